import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_STORE, LogAppends, type EventStore } from '#event-store';
import { ProjectionFailure, ProjectionRunner, projections } from '#read-models';
import { DATABASE, type Database } from '#storage';
import { ProjectionLeadership } from './projection-leadership.js';
import { ProjectionPositions } from './projection-positions.js';
import { ReadModelChanges } from './read-model-changes.js';

const LEAD = Symbol('ProjectorLeads');

/** Follows the log for every projection until the application shuts down. */
@Injectable()
export class Projector implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projector');
  private readonly stop = new AbortController();
  private running: Promise<void>[] = [];
  /** Projector instances on a server (apps/projector): one leads each projection. */
  private readonly leadership: ProjectionLeadership | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly changes: ReadModelChanges,
    private readonly appends: LogAppends,
    private readonly positions: ProjectionPositions,
    @Inject(DATABASE) database: Database,
    @Inject(LEAD) private readonly leads: boolean,
  ) {
    if (leads && database.mode === 'server') {
      this.leadership = new ProjectionLeadership(
        database.connectionString,
        projections.map((projection) => projection.name),
        (projection, leading) =>
          this.logger.log(
            leading ? `Leading ${projection}` : `No longer leading ${projection}: another instance may take it over`,
          ),
      );
    }
  }

  onApplicationBootstrap(): void {
    this.leadership?.start(this.stop.signal);
    const leadership = this.leadership;
    this.running = projections.map((projection) =>
      // Each follows on its own: one that cannot apply an event waits on it alone, the others carry on.
      new ProjectionRunner(this.dataSource, this.store, projection, {
        onApplied: (change) => this.changes.publish(change),
        // Inside the api the commands append in this process and announce it; a projector
        // process of its own (it leads) hears of appends only by polling.
        appendsAnnounced: !this.leads,
        // At once when this process appends an event of its types, or a reader waits for it.
        wakeUps: (wake) => {
          const types = projection.eventTypes ? new Set(projection.eventTypes) : null;
          const onAppend = this.appends.subscribe((appended) => {
            if (types === null || appended.some((type) => types.has(type))) wake();
          });
          const onWaiting = this.positions.onWaiting(projection.name, wake);
          return () => {
            onAppend();
            onWaiting();
          };
        },
      }).follow(
        this.stop.signal,
        (error) =>
          this.logger.error(
            error instanceof ProjectionFailure
              ? `${error.message}; stopped there, retrying with backoff (the other projections carry on)`
              : `${projection.name}: ${(error as Error).message}; retrying`,
          ),
        leadership ? () => leadership.leads(projection.name) : undefined,
      ),
    );
    this.logger.log(`Following the log for ${projections.map((projection) => projection.name).join(', ')}`);
  }

  /** Before storage closes, so no batch is cut off mid-way by a closed pool. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await Promise.all(this.running);
    await this.leadership?.stopped();
  }
}

@Module({})
export class ProjectorModule {
  /**
   * `follow`: run the projections here; either way, readers can wait for a position. `lead`: on
   * a server, apply a projection only while leading it (the projector instances of several,
   * apps/projector). Without it (the api's own projector, the single-machine default) every
   * instance takes its turn batch by batch under the projection's transaction lock.
   */
  static forRoot({ follow, lead = false }: { follow: boolean; lead?: boolean }): DynamicModule {
    return {
      module: ProjectorModule,
      global: true,
      providers: [ProjectionPositions, ReadModelChanges, { provide: LEAD, useValue: lead }, ...(follow ? [Projector] : [])],
      exports: [ProjectionPositions, ReadModelChanges],
    };
  }
}
