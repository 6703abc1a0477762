import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { built, freePort } from '../support/processes.js';

/**
 * The multi-instance topology of issue 16, started from Debian's packages on loopback: nginx
 * (load balancer and shared cache) in front of two api instances, two projector instances, and a
 * PostgreSQL primary (the cluster of DATABASE_URL, a database of its own) with a streaming
 * replica made by pg_basebackup in a temporary directory. Everything it starts, `stop` ends.
 */

const run = promisify(execFile);

export const NGINX = '/usr/sbin/nginx';
/** READY_MAX_REPLICA_LAG_SECONDS of the api instances. */
export const REPLICA_LAG_BOUND_SECONDS = 2;
const PG_BIN = (() => {
  const versions = ['17', '16', '15'].filter((version) => existsSync(`/usr/lib/postgresql/${version}/bin/pg_basebackup`));
  return versions.length > 0 ? `/usr/lib/postgresql/${versions[0]}/bin` : null;
})();

/** What is missing on this machine to run the topology; empty when nothing is. */
export function missingPackages(): string[] {
  const missing: string[] = [];
  if (!existsSync(NGINX)) missing.push('nginx (apt-get install nginx)');
  if (PG_BIN === null) missing.push('PostgreSQL server binaries (apt-get install postgresql)');
  return missing;
}

export interface Instance {
  readonly name: string;
  readonly child: ChildProcess;
  readonly port?: number;
  output(): string;
  readonly exited: Promise<void>;
}

export interface Topology {
  /** nginx, the one address the public uses. */
  readonly baseUrl: string;
  readonly apis: readonly Instance[];
  readonly projectors: readonly Instance[];
  readonly primaryUrl: string;
  readonly replicaUrl: string;
  /** A token with the editor role, made with the tokens CLI. */
  readonly editorToken: string;
  /** Starts another projector on the primary (a replacement, after a kill). */
  startProjector(name: string): Instance;
  nginxLog(): Promise<string>;
  stop(): Promise<void>;
}

export interface TopologyOptions {
  /** The PostgreSQL server the primary database goes on (its cluster is copied for the replica). */
  readonly serverUrl: string;
  readonly log?: (line: string) => void;
}

/** Runs `command` as the postgres user when this process is root (PostgreSQL refuses to run as root). */
function asPostgres(command: string, args: readonly string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, [...args]];
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not come up within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function query<Row extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string, port?: number): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  if (port !== undefined) parsed.port = String(port);
  return parsed.toString();
}

function startProcess(name: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv, port?: number): Instance {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { name, child, ...(port !== undefined ? { port } : {}), output: () => output, exited };
}

async function stopInstance(instance: Instance): Promise<void> {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  instance.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const stopped = await Promise.race([
    instance.exited.then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 5000))),
  ]);
  clearTimeout(timer);
  if (!stopped) {
    instance.child.kill('SIGKILL');
    await instance.exited;
  }
}

/**
 * The primary must accept replication connections from loopback: added to its pg_hba.conf with
 * the method its loopback line already uses, then the configuration reloaded (never restarted).
 */
async function allowLoopbackReplication(serverUrl: string, log: (line: string) => void): Promise<void> {
  const rules = await query<{ database: string[]; address: string | null; auth_method: string }>(
    serverUrl,
    `select database, address, auth_method from pg_hba_file_rules where type = 'host' and error is null`,
  );
  const loopback = (rule: (typeof rules)[number]) => rule.address === '127.0.0.1' || rule.address === '0.0.0.0';
  if (rules.some((rule) => loopback(rule) && rule.database.includes('replication'))) return;
  const existing = rules.find((rule) => loopback(rule) && rule.database.includes('all'));
  if (!existing) throw new Error('the primary has no pg_hba.conf line for loopback to copy the method from');
  const [{ hba_file: file } = { hba_file: '' }] = await query<{ hba_file: string }>(serverUrl, 'show hba_file');
  await appendFile(
    file,
    `\n# Added by the topology test (issue 16): streaming replicas on loopback\nhost replication all 127.0.0.1/32 ${existing.auth_method}\n`,
  );
  await query(serverUrl, 'select pg_reload_conf()');
  log(`allowed replication from 127.0.0.1 in ${file} (${existing.auth_method}) and reloaded the configuration`);
}

export async function startTopology({ serverUrl, log = () => undefined }: TopologyOptions): Promise<Topology> {
  if (PG_BIN === null) throw new Error('no PostgreSQL server binaries');
  const id = randomUUID().replaceAll('-', '').slice(0, 10);
  const database = `topology_${id}`;
  const slot = `topology_${id}`;
  // TOPOLOGY_RUN_DIR (.ci/run sets it): where a run that dies before its clean-up leaves what to clean up.
  const directory = await mkdtemp(join(process.env.TOPOLOGY_RUN_DIR || tmpdir(), 'topology-'));
  await chmod(directory, 0o777);
  // For a clean-up from outside: the database and slot (one name), then each process started.
  await writeFile(join(directory, 'database'), `${database}\n`);
  const started: Instance[] = [];
  const track = async (instance: Instance) => {
    started.push(instance);
    await appendFile(join(directory, 'pids'), `${instance.child.pid}\n`);
  };
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const instance of [...started].reverse()) await stopInstance(instance).catch(() => undefined);
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => log(`cleanup: ${(error as Error).message}`));
    await rm(directory, { recursive: true, force: true });
  };

  try {
    const [{ wal_level: walLevel } = { wal_level: '' }] = await query<{ wal_level: string }>(serverUrl, 'show wal_level');
    if (walLevel === 'minimal') throw new Error('the primary has wal_level=minimal: streaming replication needs replica');
    await allowLoopbackReplication(serverUrl, log);
    // Slots left by a run that was killed before its clean-up would keep WAL on the primary forever.
    await query(
      serverUrl,
      `select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name like 'topology\\_%' and not active`,
    );
    await query(serverUrl, `create database ${database}`);
    cleanups.push(() => query(serverUrl, `drop database if exists ${database} with (force)`));
    const primaryUrl = withDatabase(serverUrl, database);

    // The replica: a copy of the whole cluster, streaming from a slot of its own.
    const primary = new URL(serverUrl);
    const replicaDirectory = join(directory, 'replica');
    const replicaPort = await freePort();
    const env = { ...process.env, PGPASSWORD: decodeURIComponent(primary.password) || process.env.PGPASSWORD || '' };
    // Reserving WAL at once: a slot that reserves nothing until the copy streams from it can be
    // invalidated by a checkpoint in between (other databases' DROPs force them), ending the copy.
    await query(serverUrl, `select pg_create_physical_replication_slot($1, true)`, [slot]);
    cleanups.push(() =>
      query(serverUrl, `select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1`, [slot]),
    );
    const backupStarted = Date.now();
    const [backup, backupArgs] = asPostgres(join(PG_BIN, 'pg_basebackup'), [
      '-h',
      primary.hostname,
      '-p',
      primary.port || '5432',
      '-U',
      decodeURIComponent(primary.username) || 'postgres',
      '-D',
      replicaDirectory,
      '-X',
      'stream',
      '-S',
      slot,
      '-R',
      '-c',
      'fast',
      '-w',
    ]);
    for (let attempt = 1; ; attempt++) {
      try {
        await run(backup, backupArgs, { env });
        break;
      } catch (error) {
        // pg_basebackup removes what it wrote when it fails; a busy shared cluster may end its connection.
        if (attempt === 3) throw error;
        log(
          `pg_basebackup failed (attempt ${attempt}), trying again: ${(error as Error).message.split('\n').slice(1).join(' ')}`,
        );
      }
    }
    log(`pg_basebackup copied the cluster in ${Date.now() - backupStarted} ms`);
    // Debian keeps the configuration in /etc: the copy gets a small one of its own, loopback only.
    const config = [
      `port = ${replicaPort}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${directory}'`,
      'hot_standby = on',
      // Long public reads are not cancelled by the primary's vacuum of rows they still see.
      'hot_standby_feedback = on',
      'max_connections = 100',
      'shared_buffers = 32MB',
      'log_min_messages = warning',
    ];
    const files = {
      'postgresql.conf': config,
      'pg_hba.conf': ['local all all trust', 'host all all 127.0.0.1/32 trust'],
    };
    for (const [file, lines] of Object.entries(files)) {
      await writeFile(join(replicaDirectory, file), `${lines.join('\n')}\n`);
      if (process.getuid?.() === 0) await run('chown', ['postgres:postgres', join(replicaDirectory, file)]);
    }
    const [ctl, ctlArgs] = asPostgres(join(PG_BIN, 'pg_ctl'), [
      '-D',
      replicaDirectory,
      '-l',
      join(directory, 'replica.log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
    await run(ctl, ctlArgs);
    cleanups.push(async () => {
      const [stopCtl, stopArgs] = asPostgres(join(PG_BIN!, 'pg_ctl'), ['-D', replicaDirectory, '-m', 'immediate', '-w', 'stop']);
      await run(stopCtl, stopArgs);
    });
    const replicaUrl = withDatabase(`postgres://postgres@127.0.0.1:${replicaPort}/postgres`, database);
    await waitFor(
      'the replica',
      async () => (await query<{ r: boolean }>(replicaUrl, 'select pg_is_in_recovery() as r'))[0]!.r,
      30_000,
    );

    const common: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: primaryUrl,
      EVENTSTORE_CONNECTION_STRING: '',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    };
    const apiPorts = [await freePort(), await freePort()];
    const apiEnv = (port: number, seed: boolean): NodeJS.ProcessEnv => ({
      ...common,
      PORT: String(port),
      READ_DATABASE_URL: replicaUrl,
      READY_MAX_REPLICA_LAG_SECONDS: String(REPLICA_LAG_BOUND_SECONDS),
      RUN_PROJECTOR: 'false',
      RUN_NOTIFIER: 'false',
      SEED_RECORD: String(seed),
      STAFF_SESSION_SECRET: `topology-${id}-shared-by-both-api-instances`,
      WRITE_RATE_LIMIT_PER_MINUTE: '100000',
      DATA_DIR: directory,
    });
    const startApi = (index: number) => {
      const instance = startProcess(
        `api ${index + 1}`,
        process.execPath,
        [built.api],
        apiEnv(apiPorts[index]!, index === 0),
        apiPorts[index],
      );
      void track(instance);
      return instance;
    };
    const ready = (instance: Instance) =>
      waitFor(
        instance.name,
        async () => {
          if (instance.child.exitCode !== null) throw new Error(`${instance.name} exited:\n${instance.output()}`);
          return (await fetch(`http://127.0.0.1:${instance.port}/health/live`)).ok;
        },
        60_000,
      ).catch((error) => {
        throw new Error(`${(error as Error).message}\n${instance.output()}`);
      });
    // The first runs the migrations (and loads the seed record) before the second starts on them.
    const firstApi = startApi(0);
    await ready(firstApi);
    const secondApi = startApi(1);
    const startProjector = (name: string) => {
      const instance = startProcess(name, process.execPath, [built.projector], { ...common, RUN_NOTIFIER: 'false' });
      void track(instance);
      return instance;
    };
    const projectors = [startProjector('projector 1'), startProjector('projector 2')];
    await ready(secondApi);

    const nginxPort = await freePort();
    const nginxDirectory = join(directory, 'nginx');
    await mkdir(nginxDirectory);
    const nginxConfig = join(nginxDirectory, 'nginx.conf');
    await writeFile(
      nginxConfig,
      nginxConfiguration({
        directory: nginxDirectory,
        listen: `127.0.0.1:${nginxPort}`,
        upstreams: apiPorts.map((port) => `127.0.0.1:${port}`),
      }),
    );
    const nginx = startProcess(
      'nginx',
      NGINX,
      ['-c', nginxConfig, '-p', nginxDirectory, '-e', join(nginxDirectory, 'error.log')],
      process.env,
    );
    await track(nginx);
    const baseUrl = `http://127.0.0.1:${nginxPort}`;
    await waitFor('nginx', async () => (await fetch(`${baseUrl}/health/live`)).ok, 10_000).catch((error) => {
      throw new Error(`${(error as Error).message}\n${nginx.output()}`);
    });

    const tokens = await run(process.execPath, [built.tokensCli, 'create', '--subject', 'topology', '--role', 'editor'], {
      env: common,
    });
    const editorToken = /ctk_[A-Za-z0-9_-]+/.exec(tokens.stdout)?.[0];
    if (!editorToken) throw new Error(`the tokens CLI printed no token:\n${tokens.stdout}${tokens.stderr}`);

    return {
      baseUrl,
      apis: [firstApi, secondApi],
      projectors,
      primaryUrl,
      replicaUrl,
      editorToken,
      startProjector,
      nginxLog: () => readFile(join(nginxDirectory, 'access.log'), 'utf8').catch(() => ''),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * nginx in front: round robin over the api instances, a shared cache that keeps what the api
 * marks `public` for as long as its Cache-Control says and revalidates with its ETag, and a
 * request that fails to reach one instance (refused, reset, 502, 503) sent on to the other. A
 * write is passed on only when it carries an Idempotency-Key: the api answers a repeat of it
 * with the first answer, so sending it twice is safe; without one, nginx never repeats a write.
 */
export function nginxConfiguration({
  directory,
  listen,
  upstreams,
  accessLog = `${directory}/access.log`,
  errorLog = `${directory}/error.log`,
}: {
  /** Where nginx keeps its pid, temporary files and the cache. */
  readonly directory: string;
  readonly listen: string;
  /** host:port of each api instance. */
  readonly upstreams: readonly string[];
  readonly accessLog?: string;
  readonly errorLog?: string;
}): string {
  const proxy = `
      proxy_pass http://tracker_api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_connect_timeout 2s;
      proxy_read_timeout 30s;
      proxy_next_upstream_tries 2;
      proxy_next_upstream_timeout 15s;`;
  return `# Written by nginxConfiguration (test/topology/topology.ts): the topology test runs it; docker/nginx.conf is checked against it.
daemon off;
worker_processes 1;
pid ${directory}/nginx.pid;
error_log ${errorLog} warn;
events { worker_connections 1024; }
http {
  log_format upstreams '$remote_addr "$request" $status $upstream_addr $upstream_status $upstream_cache_status $request_time';
  access_log ${accessLog} upstreams;
  client_body_temp_path ${directory}/client_body;
  proxy_temp_path ${directory}/proxy;
  fastcgi_temp_path ${directory}/fastcgi;
  uwsgi_temp_path ${directory}/uwsgi;
  scgi_temp_path ${directory}/scgi;
  proxy_cache_path ${directory}/cache levels=1:2 keys_zone=tracker:10m max_size=256m inactive=10m use_temp_path=off;

  upstream tracker_api {
${upstreams.map((upstream) => `    server ${upstream} max_fails=2 fail_timeout=5s;`).join('\n')}
    keepalive 32;
  }

  # A write with an Idempotency-Key may be repeated on the other instance.
  map "$request_method:$http_idempotency_key" $keyed_write {
    default 0;
    "~^(POST|PUT|PATCH|DELETE):.+" 1;
  }

  server {
    listen ${listen};
    location / {${proxy}
      proxy_next_upstream error timeout http_502 http_503;
      # Staff answers (a token or a sign-in cookie) are never kept or served from the shared cache.
      proxy_cache tracker;
      # The api answers HTML or JSON by Accept, gzip-compressed or not by Accept-Encoding (Vary
      # names both): each kept apart, so readers of one never evict the other's copy.
      proxy_cache_key "$scheme$host$request_uri $http_accept $http_accept_encoding";
      proxy_cache_bypass $http_authorization $http_cookie;
      proxy_no_cache $http_authorization $http_cookie;
      proxy_cache_revalidate on;
      proxy_cache_lock on;
      proxy_cache_use_stale error timeout updating http_502 http_503;
      proxy_cache_background_update on;
      add_header X-Cache-Status $upstream_cache_status always;
      error_page 418 = @keyed_write;
      if ($keyed_write) { return 418; }
    }
    location @keyed_write {${proxy}
      proxy_next_upstream error timeout http_502 http_503 non_idempotent;
    }
    # Health answers for the instance that took the request: a 503 there is its report, not a
    # failure to pass on, nor one that would mark the instance down (probes ask each instance).
    location /health {${proxy}
      proxy_next_upstream off;
    }
  }
}
`;
}

/** docker/nginx.conf: the configuration the topology test runs, with the compose file's names and paths. */
export const composeNginxConfiguration = () =>
  nginxConfiguration({
    directory: '/var/cache/nginx/tracker',
    listen: '80',
    upstreams: ['api-1:3000', 'api-2:3000'],
    accessLog: '/dev/stdout',
    errorLog: '/dev/stderr',
  });
