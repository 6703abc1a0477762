import type { AppConfig } from '#config';
import type { MigrationInterface } from 'typeorm';
import {
  eventStoreSchemaText,
  PostgresEventStore,
  openEmbeddedPostgres,
  type ClusterSchema,
  type EmbeddedPostgres,
} from '#event-store';

/** The PostgreSQL database that holds read models and the api's own tables (and events, unless EventStoreDB is configured). */
export interface Database {
  readonly mode: 'embedded' | 'server';
  readonly connectionString: string;
  /** PGlite is one backend: one connection per pool keeps transactions from interleaving. */
  readonly poolSize: number;
  readonly embedded?: EmbeddedPostgres;
}

export const DATABASE = Symbol('Database');

export type Migrations = readonly (new () => MigrationInterface)[];

/**
 * What a process migrates a fresh database to at boot: the event store's schema when it keeps the
 * events, then the TypeORM migrations, exactly as the boot runs them (so a cluster made from it is
 * one the boot finds up to date).
 */
export function clusterSchema(config: Pick<AppConfig, 'eventStore'>, migrations: Migrations): ClusterSchema {
  const eventsHere = config.eventStore.kind === 'postgres';
  return {
    // The migrations' code as well as their names: one edited before its release makes a new template too.
    key: JSON.stringify({
      eventStore: eventsHere ? eventStoreSchemaText('event_store') : null,
      migrations: migrations.map(({ name, prototype }) => [name, String(prototype.up), String(prototype.down)]),
    }),
    apply: async (connectionString) => {
      if (eventsHere) await (await PostgresEventStore.connect({ connectionString, poolSize: 1, namedStatements: false })).close();
      // Initialising runs the migrations (migrationsRun), as at boot. TypeORM loads only for a fresh cluster
      // here: this file is what a CLI loads before anything else (withEarlyDatabase).
      const { DataSource } = await import('typeorm');
      const dataSource = new DataSource({ ...typeOrmMigrations(migrations), url: connectionString, extra: { max: 1 } });
      await (await dataSource.initialize()).destroy();
    },
  };
}

/** How TypeORM runs the migrations, at boot and for the template alike. */
export function typeOrmMigrations(migrations: Migrations) {
  return { type: 'postgres' as const, synchronize: false, migrations: [...migrations], migrationsRun: true };
}

export async function openDatabase(database: AppConfig['database'], schema?: ClusterSchema): Promise<Database> {
  if (database.kind === 'server') return { mode: 'server', connectionString: database.url, poolSize: 10 };
  const embedded = await openEmbeddedPostgres(database.dataDir, schema);
  return { mode: 'embedded', connectionString: embedded.connectionString, poolSize: 1, embedded };
}

/**
 * Runs a one-shot CLI on its database, begun opening before the CLI loads Nest, TypeORM and its own
 * modules (which `run` imports): PGlite compiles its WebAssembly and reads its files meanwhile, where
 * it would otherwise start only once they had loaded. `run` hands the opening to StorageModule
 * (`database`), whose shutdown closes it; should the CLI fail before its boot took it over, it is closed here.
 */
export async function withEarlyDatabase<T>(
  config: Pick<AppConfig, 'database' | 'eventStore'>,
  migrations: Migrations,
  run: (database: Promise<Database>) => Promise<T>,
): Promise<T> {
  const opening = openDatabase(config.database, clusterSchema(config, migrations));
  // Its failure is the boot's, thrown where StorageModule awaits it, not an unhandled rejection before.
  opening.catch(() => undefined);
  try {
    return await run(opening);
  } finally {
    // A no-op once the boot's shutdown stopped it (stop is idempotent).
    await (await opening.catch(() => undefined))?.embedded?.stop();
  }
}
