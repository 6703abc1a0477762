import { Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { AppConfig } from '#config';
import {
  EVENT_STORE,
  PostgresEventStore,
  LogAppends,
  announcingAppends,
  observedEventStore,
  upcastingEventStore,
  type AppendObserver,
  type EventStore,
} from '#event-store';
import { DATABASE, clusterSchema, openDatabase, typeOrmMigrations, type Database, type Migrations } from './database.js';
import { eventSchemas } from './event-schemas.js';
import { READ_REPLICA, READ_SQL, readSql, type ReadReplica } from './read-model-sql.js';

/** Optional: told how long each append took (the api's metrics). */
export const APPEND_OBSERVER = Symbol('AppendObserver');

/** The adapter, read through the event schemas' upcasters and, where asked, with its appends timed. */
async function openEventStore(
  config: AppConfig,
  database: Database,
  appends: LogAppends,
  observer?: AppendObserver,
): Promise<EventStore> {
  const store = announcingAppends(upcastingEventStore(await openEventStoreAdapter(config, database), eventSchemas), appends);
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

/** A pool on the replica of READ_DATABASE_URL, or null when the reads go to the primary. */
function openReadReplica(config: AppConfig): ReadReplica | null {
  if (!config.readDatabaseUrl) return null;
  const pool = new pg.Pool({ connectionString: config.readDatabaseUrl, max: 10, application_name: 'tracker reads' });
  // An idle client the replica dropped (a restart) is replaced on the next read; it must not crash the process.
  pool.on('error', () => undefined);
  return { pool };
}

/** Closes in dependency order: the store and TypeORM before the embedded server under them. */
class StorageShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly dataSource: DataSource,
    @Inject(READ_REPLICA) private readonly replica: ReadReplica | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.replica?.pool.end();
    await this.eventStore.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.database.embedded?.stop();
  }
}

@Module({})
class DatabaseModule {
  static forRoot(config: AppConfig, migrations: Migrations, opening?: Promise<Database>): DynamicModule {
    const database = {
      provide: DATABASE,
      useFactory: async () => {
        const database = await (opening ?? openDatabase(config.database, clusterSchema(config, migrations)));
        if (database.embedded && config.database.kind !== 'server') {
          new Logger('Storage').log(
            `Embedded PostgreSQL (PGlite) in ${config.database.dataDir}${database.embedded.ownsServer ? '' : ', served by another running process'}`,
          );
        }
        return database;
      },
    };
    return { module: DatabaseModule, global: true, providers: [database], exports: [DATABASE] };
  }
}

export interface StorageOptions {
  /**
   * The migrations this process runs at boot, oldest first: each app brings the tables it owns
   * (the api its own and the read models', the projector only the read models').
   */
  readonly migrations: Migrations;
  /** The database this process began opening before it loaded its modules (withEarlyDatabase, a CLI's). */
  readonly database?: Promise<Database>;
}

@Module({})
export class StorageModule {
  static forRoot(config: AppConfig, { migrations, database }: StorageOptions): DynamicModule {
    return {
      module: StorageModule,
      global: true,
      imports: [
        DatabaseModule.forRoot(config, migrations, database),
        TypeOrmModule.forRootAsync({
          inject: [DATABASE],
          useFactory: (database: Database) => ({
            ...typeOrmMigrations(migrations),
            url: database.connectionString,
            autoLoadEntities: true,
            extra: { max: database.poolSize },
          }),
        }),
      ],
      providers: [
        {
          provide: EVENT_STORE,
          useFactory: (database: Database, appends: LogAppends, observer?: AppendObserver) =>
            openEventStore(config, database, appends, observer),
          inject: [DATABASE, LogAppends, { token: APPEND_OBSERVER, optional: true }],
        },
        // This process's appends wake its projections at once (see ProjectionRunner.follow).
        { provide: LogAppends, useValue: new LogAppends() },
        { provide: READ_REPLICA, useFactory: () => openReadReplica(config) },
        { provide: READ_SQL, useFactory: readSql, inject: [DataSource, DATABASE, READ_REPLICA] },
        StorageShutdown,
      ],
      exports: [EVENT_STORE, READ_SQL, READ_REPLICA, LogAppends],
    };
  }
}
