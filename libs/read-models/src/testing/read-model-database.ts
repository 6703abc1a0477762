import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource, type MigrationInterface } from 'typeorm';
import { openEmbeddedPostgres, type EmbeddedPostgres } from '#event-store';
import type { Sql } from '../projection/projection.js';

/** Read-model tables for a spec: on PostgreSQL in a schema of its own when DATABASE_URL is set, else on in-memory PGlite. */
export async function openReadModelDatabase(
  migrations: readonly (new () => MigrationInterface)[],
  { serverPoolSize = 1 }: { readonly serverPoolSize?: number } = {},
): Promise<{ sql: Sql; dataSource: DataSource; close: () => Promise<void> }> {
  const url = process.env.DATABASE_URL?.trim();
  const schema = `read_models_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  let embedded: EmbeddedPostgres | undefined;
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.end();
  } else embedded = await openEmbeddedPostgres('memory://');
  const dataSource = new DataSource({
    type: 'postgres',
    url: url ?? embedded!.connectionString,
    migrations: [...migrations],
    migrationsRun: true,
    synchronize: false,
    // PGlite serves one connection, as the api keeps it; a server may have more.
    ...(url ? { schema, extra: { max: serverPoolSize, options: `-c search_path=${schema}` } } : { extra: { max: 1 } }),
  });
  await dataSource.initialize();
  return {
    sql: (text, parameters) => dataSource.query(text, parameters as unknown[]),
    dataSource,
    close: async () => {
      if (url) await dataSource.query(`drop schema ${schema} cascade`);
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
