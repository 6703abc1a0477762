import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import {
  emptyClusterTemplate,
  keepSchemaClusterTemplate,
  schemaClusterTemplate,
  type ClusterSchema,
} from './cluster-template.js';

export interface EmbeddedPostgres {
  /** A `pg` connection string to the loopback socket. */
  readonly connectionString: string;
  /** False when another process serves this data directory and we only connected to it. */
  readonly ownsServer: boolean;
  /** Idempotent: a second call waits for the first. */
  stop(): Promise<void>;
}

const SERVER_FILE = 'pglite-server.json';

/**
 * PostgreSQL compiled to WebAssembly (PGlite), persisted under `dataDir` and served on a
 * loopback port, so the ordinary `pg` code runs on it unchanged. PGlite is one backend:
 * the socket server queues queries and keeps each transaction to the connection that began it.
 *
 * PGlite must never open the same files twice, so a process that finds the directory already
 * served (the api running while a CLI starts) connects to that server instead.
 * `dataDir` of `memory://` keeps everything in memory (tests).
 *
 * With `schema`, a fresh cluster is unpacked already migrated to it when this install keeps that
 * template; otherwise it is migrated now and then kept as the template for the next fresh one.
 * The caller's own migrations still run at boot and find nothing left to do (or, on a directory
 * made by older code, the migrations added since).
 */
export async function openEmbeddedPostgres(dataDir: string, schema?: ClusterSchema): Promise<EmbeddedPostgres> {
  if (dataDir === 'memory://') return serve('memory://', undefined, schema);
  await mkdir(dataDir, { recursive: true });
  const running = await findRunningServer(dataDir);
  if (running) return { connectionString: running, ownsServer: false, stop: async () => undefined };
  return serve(join(dataDir, 'pglite'), join(dataDir, SERVER_FILE), schema);
}

async function serve(location: string, serverFile: string | undefined, schema?: ClusterSchema): Promise<EmbeddedPostgres> {
  const fresh = location === 'memory://' || !(await exists(join(location, 'PG_VERSION')));
  const migrated = fresh && schema ? await schemaClusterTemplate(schema) : undefined;
  const db = await PGlite.create(location, fresh ? { loadDataDir: migrated ?? (await emptyClusterTemplate()) } : {});
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 16 });
  await server.start();
  const connectionString = `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
  // Nothing but the migrations has run on it yet: as it stands it is the template.
  if (fresh && schema && !migrated) {
    try {
      await schema.apply(connectionString);
      await keepSchemaClusterTemplate(schema, db);
    } catch (error) {
      await server.stop();
      await db.close();
      throw error;
    }
  }
  if (serverFile) await writeFile(serverFile, JSON.stringify({ pid: process.pid, connectionString }));
  let stopped: Promise<void> | undefined;
  return {
    connectionString,
    ownsServer: true,
    // Once: a CLI that fails before its boot took the database over stops it too.
    stop: () =>
      (stopped ??= (async () => {
        if (serverFile) await rm(serverFile, { force: true });
        await server.stop();
        await db.close();
      })()),
  };
}

async function findRunningServer(dataDir: string): Promise<string | undefined> {
  let recorded: { pid: number; connectionString: string };
  try {
    recorded = JSON.parse(await readFile(join(dataDir, SERVER_FILE), 'utf8')) as typeof recorded;
  } catch {
    return undefined;
  }
  if (recorded.pid === process.pid || !isAlive(recorded.pid)) return undefined;
  const { hostname, port } = new URL(recorded.connectionString);
  return (await accepts(hostname, Number(port))) ? recorded.connectionString : undefined;
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
