import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import pg from 'pg';
import { readCacheOf, type AppConfig, type DatabaseTarget } from '#config';
import { ProjectionPositions, ReadModelChanges } from '#projector';
import { decodeChange, READ_MODEL_CHANNEL, type ReadModelChange } from '#read-models';
import { READ_REPLICA, type ReadReplica } from '#storage';
import { PublicAnswers } from './public-answers.js';

const DATABASE = Symbol('READ_CACHE_DATABASE');
const FIRST_RECONNECT_MS = 200;
const LONGEST_RECONNECT_MS = 5000;
/** How long a change waits for the read replica to replay it before the answers it touches are dropped anyway. */
const LONGEST_REPLICA_WAIT_MS = 30_000;

/**
 * Keeps the cache in step with the read models: the changes this process's projector commits,
 * and, on a PostgreSQL server, every instance's through LISTEN. While that connection is down,
 * nothing is served from memory (a change could be missed); once it is back, all kept answers
 * are dropped and keeping starts again. With a read replica, a change counts once the replica's
 * checkpoint has reached it: an answer drawn from the replica before then is dropped, not kept as fresh.
 */
@Injectable()
export class ReadCacheFollower implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReadCache');
  private unsubscribe: (() => void) | undefined;
  private client: pg.Client | undefined;
  private stopped = false;
  private reconnectMs = FIRST_RECONNECT_MS;

  constructor(
    private readonly answers: PublicAnswers,
    private readonly changes: ReadModelChanges,
    @Inject(DATABASE) private readonly database: DatabaseTarget,
    private readonly positions: ProjectionPositions,
    @Inject(READ_REPLICA) private readonly replica: ReadReplica | null,
  ) {}

  private changed(change: ReadModelChange): void {
    // A notice that names no checkpoint (one that could not be read) counts at once.
    if (!this.replica || change.projection === '') return this.answers.changed(change);
    void this.positions
      .waitUntil(change.projection, change.checkpoint, LONGEST_REPLICA_WAIT_MS)
      .catch(() => undefined)
      .then(() => this.answers.changed(change));
  }

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe = this.changes.subscribe((change) => this.changed(change));
    if (this.database.kind === 'server' && this.answers.enabled) {
      this.answers.pause();
      await this.listen();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await this.client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    if (this.stopped || this.database.kind !== 'server') return;
    const client = new pg.Client({ connectionString: this.database.url, application_name: 'tracker read cache' });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      this.answers.pause();
      if (!this.stopped) {
        this.logger.warn(
          `read model notices lost (${error?.message ?? 'connection ended'}); serving without the cache until back`,
        );
        setTimeout(() => void this.listen(), this.reconnectMs).unref();
        this.reconnectMs = Math.min(this.reconnectMs * 2, LONGEST_RECONNECT_MS);
      }
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (message) => {
      if (message.channel === READ_MODEL_CHANNEL) this.changed(decodeChange(message.payload ?? ''));
    });
    try {
      await client.connect();
      await client.query(`listen ${READ_MODEL_CHANNEL}`);
      this.client = client;
      this.reconnectMs = FIRST_RECONNECT_MS;
      // Whatever changed while nobody listened is unknown: start from nothing.
      this.answers.forgetAll();
      this.answers.resume();
    } catch (error) {
      await client.end().catch(() => undefined);
      this.client = client;
      lost(error as Error);
    }
  }
}

@Global()
@Module({})
export class ReadCacheModule {
  static forRoot(config: Pick<AppConfig, 'readCache' | 'database'>): DynamicModule {
    return {
      module: ReadCacheModule,
      providers: [
        { provide: PublicAnswers, useValue: new PublicAnswers(readCacheOf(config)) },
        { provide: DATABASE, useValue: config.database },
        ReadCacheFollower,
      ],
      exports: [PublicAnswers],
    };
  }
}
