import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type MigrationInterface } from 'typeorm';
import type { AppConfig } from '#config';
import {
  EVENT_STORE,
  PostgresEventStore,
  observedEventStore,
  upcastingEventStore,
  type AppendObserver,
  type EventStore,
} from '#event-store';
import { DATABASE, openDatabase, type Database } from './database.js';
import { eventSchemas } from './event-schemas.js';
import { READ_SQL, readSql } from './read-model-sql.js';

/** Optional: told how long each append took (the api's metrics). */
export const APPEND_OBSERVER = Symbol('AppendObserver');

/** The adapter, read through the event schemas' upcasters and, where asked, with its appends timed. */
async function openEventStore(config: AppConfig, database: Database, observer?: AppendObserver): Promise<EventStore> {
  const store = upcastingEventStore(await openEventStoreAdapter(config, database), eventSchemas);
  return observer ? observedEventStore(store, observer) : store;
}

/** The adapter alone: events exactly as stored (a backup copies them so). */
export async function openEventStoreAdapter(config: AppConfig, database: Database): Promise<EventStore> {
  if (config.eventStore.kind === 'eventstoredb') {
    const { EventStoreDbEventStore } = await import('#event-store/eventstoredb');
    return EventStoreDbEventStore.connect({ connectionString: config.eventStore.connectionString });
  }
  return PostgresEventStore.connect({
    connectionString: database.connectionString,
    poolSize: database.poolSize,
    namedStatements: database.mode === 'server',
  });
}

/** Closes in dependency order: the store and TypeORM before the embedded server under them. */
class StorageShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.eventStore.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.database.embedded?.stop();
  }
}

@Module({})
class DatabaseModule {
  static forRoot(config: AppConfig): DynamicModule {
    const database = { provide: DATABASE, useFactory: () => openDatabase(config.database) };
    return { module: DatabaseModule, global: true, providers: [database], exports: [DATABASE] };
  }
}

export interface StorageOptions {
  /**
   * The migrations this process runs at boot, oldest first: each app brings the tables it owns
   * (the api its own and the read models', the projector only the read models').
   */
  readonly migrations: readonly (new () => MigrationInterface)[];
}

@Module({})
export class StorageModule {
  static forRoot(config: AppConfig, { migrations }: StorageOptions): DynamicModule {
    return {
      module: StorageModule,
      global: true,
      imports: [
        DatabaseModule.forRoot(config),
        TypeOrmModule.forRootAsync({
          inject: [DATABASE],
          useFactory: (database: Database) => ({
            type: 'postgres',
            url: database.connectionString,
            autoLoadEntities: true,
            synchronize: false,
            migrations: [...migrations],
            migrationsRun: true,
            extra: { max: database.poolSize },
          }),
        }),
      ],
      providers: [
        {
          provide: EVENT_STORE,
          useFactory: (database: Database, observer?: AppendObserver) => openEventStore(config, database, observer),
          inject: [DATABASE, { token: APPEND_OBSERVER, optional: true }],
        },
        { provide: READ_SQL, useFactory: readSql, inject: [DataSource, DATABASE] },
        StorageShutdown,
      ],
      exports: [EVENT_STORE, READ_SQL],
    };
  }
}
