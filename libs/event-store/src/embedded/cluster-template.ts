import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * A fresh PGlite directory is made by running initdb in WebAssembly, which takes seconds (most of a
 * first start). initdb makes the same empty cluster every time for one PGlite version, so it runs once
 * per install (`npm ci` runs `prepare`, which makes it) and the cluster is kept as a tarball beside the
 * installed package; a fresh directory is unpacked from it instead. It holds none of our data: the
 * migrations and the seed record run on top of it as on a cluster initdb just made.
 */
const pgliteRoot = join(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), '..');
const cacheDirectory = join(pgliteRoot, '..', '..', '.cache', 'commitment-tracker');

async function templateFile(): Promise<string> {
  const { version } = JSON.parse(await readFile(join(pgliteRoot, 'package.json'), 'utf8')) as { version: string };
  return join(cacheDirectory, `pglite-${version}-empty-cluster.tar.gz`);
}

/** The empty cluster's tarball, made now if this install has none yet. */
export async function emptyClusterTemplate(): Promise<Blob> {
  const file = await templateFile();
  try {
    return new Blob([await readFile(file)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const db = await PGlite.create('memory://');
  const template = await db.dumpDataDir('gzip');
  await db.close();
  await keep(file, new Uint8Array(await template.arrayBuffer()));
  return template;
}

/** Written whole under another name, then renamed, so a concurrent start never reads half of it. */
async function keep(file: string, bytes: Uint8Array): Promise<void> {
  const partial = `${file}.${process.pid}.partial`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(partial, bytes);
    await rename(partial, file);
  } catch {
    // A read-only install still starts; it runs initdb again next time.
    await rm(partial, { force: true });
  }
}
