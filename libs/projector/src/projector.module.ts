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
import { ProjectionPositions } from './projection-positions.js';
import { ReadModelChanges } from './read-model-changes.js';

/** Follows the log for every projection until the application shuts down. */
@Injectable()
export class Projector implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projector');
  private readonly stop = new AbortController();
  private running: Promise<void>[] = [];

  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly changes: ReadModelChanges,
    private readonly appends: LogAppends,
  ) {}

  onApplicationBootstrap(): void {
    this.running = projections.map((projection) =>
      // Each follows on its own: one that cannot apply an event waits on it alone, the others carry on.
      new ProjectionRunner(this.dataSource, this.store, projection, {
        onApplied: (change) => this.changes.publish(change),
        wakeOnAppend: (wake) => this.appends.subscribe(wake),
      }).follow(this.stop.signal, (error) =>
        this.logger.error(
          error instanceof ProjectionFailure
            ? `${error.message}; stopped there, retrying with backoff (the other projections carry on)`
            : `${projection.name}: ${(error as Error).message}; retrying`,
        ),
      ),
    );
    this.logger.log(`Following the log for ${projections.map((projection) => projection.name).join(', ')}`);
  }

  /** Before storage closes, so no batch is cut off mid-way by a closed pool. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await Promise.all(this.running);
  }
}

@Module({})
export class ProjectorModule {
  /** `follow`: run the projections here; either way, readers can wait for a position. */
  static forRoot({ follow }: { follow: boolean }): DynamicModule {
    return {
      module: ProjectorModule,
      global: true,
      providers: [ProjectionPositions, ReadModelChanges, ...(follow ? [Projector] : [])],
      exports: [ProjectionPositions, ReadModelChanges],
    };
  }
}
