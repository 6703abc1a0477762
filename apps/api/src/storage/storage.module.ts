import { Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import type { AppConfig } from '#config';
import { EVENT_STORE, PostgresEventStore, startEmbeddedPostgres, type EmbeddedPostgres, type EventStore } from '#event-store';

/** The PostgreSQL database that holds read models (and, unless EventStoreDB is configured, events). */
export interface Database {
  readonly mode: 'embedded' | 'server';
  readonly connectionString: string;
  readonly pool: pg.Pool;
  /** Set when this process runs the embedded PGlite server. */
  readonly embedded?: EmbeddedPostgres;
}

export const DATABASE = Symbol('Database');

async function openDatabase(config: AppConfig): Promise<Database> {
  if (config.database.kind === 'server') {
    const { url } = config.database;
    return { mode: 'server', connectionString: url, pool: new pg.Pool({ connectionString: url, max: 10 }) };
  }
  const embedded = await startEmbeddedPostgres(config.database.dataDir);
  new Logger('Storage').log(`Embedded PostgreSQL (PGlite) in ${config.database.dataDir}`);
  // PGlite is one backend: one connection per pool keeps transactions from interleaving.
  return { mode: 'embedded', connectionString: embedded.connectionString, pool: new pg.Pool({ connectionString: embedded.connectionString, max: 1 }), embedded };
}

async function openEventStore(config: AppConfig, database: Database): Promise<EventStore> {
  if (config.eventStore.kind === 'eventstoredb') {
    const { EventStoreDbEventStore } = await import('#event-store');
    return EventStoreDbEventStore.connect({ connectionString: config.eventStore.connectionString });
  }
  return PostgresEventStore.connect({ connectionString: database.connectionString, poolSize: database.mode === 'embedded' ? 1 : 10 });
}

class StorageLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.eventStore.close();
    await this.database.pool.end();
    await this.database.embedded?.stop();
  }
}

@Module({})
export class StorageModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: StorageModule,
      global: true,
      providers: [
        { provide: DATABASE, useFactory: () => openDatabase(config) },
        { provide: EVENT_STORE, useFactory: (database: Database) => openEventStore(config, database), inject: [DATABASE] },
        StorageLifecycle,
      ],
      exports: [DATABASE, EVENT_STORE],
    };
  }
}
