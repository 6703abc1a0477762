import { Logger } from '@nestjs/common';
import type { AppConfig } from '#config';
import { openEmbeddedPostgres, type EmbeddedPostgres } from '#event-store';

/** The PostgreSQL database that holds read models and the api's own tables (and events, unless EventStoreDB is configured). */
export interface Database {
  readonly mode: 'embedded' | 'server';
  readonly connectionString: string;
  /** PGlite is one backend: one connection per pool keeps transactions from interleaving. */
  readonly poolSize: number;
  readonly embedded?: EmbeddedPostgres;
}

export const DATABASE = Symbol('Database');

export async function openDatabase(database: AppConfig['database']): Promise<Database> {
  if (database.kind === 'server') return { mode: 'server', connectionString: database.url, poolSize: 10 };
  const embedded = await openEmbeddedPostgres(database.dataDir);
  new Logger('Storage').log(
    `Embedded PostgreSQL (PGlite) in ${database.dataDir}${embedded.ownsServer ? '' : ', served by another running process'}`,
  );
  return { mode: 'embedded', connectionString: embedded.connectionString, poolSize: 1, embedded };
}
