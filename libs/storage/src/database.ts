import { Logger } from '@nestjs/common';
import type { AppConfig } from '#config';
import { DataSource, type MigrationInterface } from 'typeorm';
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
      // Initialising runs the migrations (migrationsRun), as at boot.
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
  new Logger('Storage').log(
    `Embedded PostgreSQL (PGlite) in ${database.dataDir}${embedded.ownsServer ? '' : ', served by another running process'}`,
  );
  return { mode: 'embedded', connectionString: embedded.connectionString, poolSize: 1, embedded };
}
