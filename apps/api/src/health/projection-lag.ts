import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore, type LogCursor } from '#event-store';
import { projections, readProjectionStatuses, type ProjectionStatus } from '#read-models';

/** How far a projection is behind the log. */
export interface ProjectionLag {
  readonly name: string;
  /** Events in the log after its checkpoint, counted up to LAG_COUNT_LIMIT. */
  readonly events: number;
  /**
   * How long the oldest of those has waited: since it was recorded, or since the projection last
   * moved if that is later (a replay of backdated events is not lag). 0 when caught up.
   */
  readonly seconds: number;
}

/** Counting stops here: past it the figure reads "at least". */
export const LAG_COUNT_LIMIT = 1000;

/** Each projection's status and lag, from the checkpoint table and the log (any process's projector). */
@Injectable()
export class ProjectionLags {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  statuses(): Promise<ProjectionStatus[]> {
    return readProjectionStatuses(
      (text, parameters) => this.dataSource.query(text, parameters as unknown[]),
      projections.map((projection) => projection.name),
    );
  }

  async lags(statuses: readonly ProjectionStatus[], now: Date): Promise<ProjectionLag[]> {
    // Projections at one checkpoint (the usual case) share one read of the log.
    const behind = new Map<LogCursor, Promise<{ events: number; oldestRecordedAt: number | null }>>();
    const after = (position: LogCursor) => {
      let found = behind.get(position);
      if (!found) {
        found = this.store.readAll({ after: position, maxCount: LAG_COUNT_LIMIT }).then((page) => ({
          events: page.events.length,
          oldestRecordedAt: page.events[0] ? Date.parse(page.events[0].metadata.recordedAt) : null,
        }));
        behind.set(position, found);
      }
      return found;
    };
    return Promise.all(
      statuses.map(async (status) => {
        const { events, oldestRecordedAt } = await after(status.position);
        if (oldestRecordedAt === null) return { name: status.name, events: 0, seconds: 0 };
        const since = Math.max(oldestRecordedAt, status.updatedAt ? Date.parse(status.updatedAt) : 0);
        return { name: status.name, events, seconds: Math.max(0, (now.getTime() - since) / 1000) };
      }),
    );
  }
}
