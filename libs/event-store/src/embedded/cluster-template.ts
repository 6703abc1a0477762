import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * A fresh PGlite directory is made by running initdb in WebAssembly, which takes seconds (most of a
 * first start). initdb makes the same empty cluster every time for one PGlite version, so it runs once
 * per install (`npm ci` runs `prepare`, which makes it) and the cluster is kept as a tarball beside the
 * installed package; a fresh directory is unpacked from it instead.
 *
 * Likewise the schema an app migrates a fresh cluster to is the same every time for one list of
 * migrations: a cluster holding it (and the migrations' bookkeeping, nothing else) is kept under a
 * key naming that list, so a new migration makes a new template. It is dumped right after the
 * migrations ran, before the process appends or projects anything, so it never holds events or
 * read-model rows.
 */
const pgliteRoot = join(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), '..');
const cacheDirectory = join(pgliteRoot, '..', '..', '.cache', 'commitment-tracker');

/** The schema an app's fresh cluster is migrated to. */
export interface ClusterSchema {
  /** Names every migration `apply` runs (a template is kept per PGlite version and key). */
  readonly key: string;
  /** Runs the migrations on the cluster behind this `pg` connection string. */
  readonly apply: (connectionString: string) => Promise<void>;
}

async function templateFile(contents: string): Promise<string> {
  const { version } = JSON.parse(await readFile(join(pgliteRoot, 'package.json'), 'utf8')) as { version: string };
  return join(cacheDirectory, `pglite-${version}-${contents}.tar.gz`);
}

function schemaTemplateFile(schema: ClusterSchema): Promise<string> {
  return templateFile(`schema-${createHash('sha256').update(schema.key).digest('hex').slice(0, 16)}`);
}

async function kept(file: string): Promise<Blob | undefined> {
  try {
    return new Blob([await readFile(file)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return undefined;
  }
}

/** The empty cluster's tarball, made now if this install has none yet. */
export async function emptyClusterTemplate(): Promise<Blob> {
  const file = await templateFile('empty-cluster');
  const template = await kept(file);
  if (template) return template;
  const db = await PGlite.create('memory://');
  const made = await db.dumpDataDir('gzip');
  await db.close();
  await keep(file, new Uint8Array(await made.arrayBuffer()));
  return made;
}

/** The migrated cluster's tarball, or undefined when this install has none for this list of migrations yet. */
export async function schemaClusterTemplate(schema: ClusterSchema): Promise<Blob | undefined> {
  return kept(await schemaTemplateFile(schema));
}

/** Keeps `db`, just migrated to `schema` and holding nothing else, as that schema's template. */
export async function keepSchemaClusterTemplate(schema: ClusterSchema, db: PGlite): Promise<void> {
  // Every page on disk, so the tarball needs no WAL replayed when it is unpacked.
  await db.exec('checkpoint');
  const made = await db.dumpDataDir('gzip');
  await keep(await schemaTemplateFile(schema), new Uint8Array(await made.arrayBuffer()));
}

/** Written whole under another name, then renamed, so a concurrent start never reads half of it. */
async function keep(file: string, bytes: Uint8Array): Promise<void> {
  const partial = `${file}.${randomUUID()}.partial`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(partial, bytes);
    await rename(partial, file);
  } catch {
    // A read-only install still starts; it runs initdb (or the migrations) again next time.
    await rm(partial, { force: true });
  }
}
