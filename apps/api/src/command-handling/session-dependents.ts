import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '#event-store';
import { ProjectionPositions } from '#projector';
import { READ_SQL, type ReadSql } from '#storage';

/** How long a date correction waits for the commitments read model to take in the whole log. */
const LONGEST_CATCH_UP_MS = 5000;

/**
 * What is dated by a session's day: the commitments made or revisited in it. Read from the
 * commitments read model once it holds the whole log, so a commitment just made there counts.
 */
@Injectable()
export class SessionDependents {
  constructor(
    @Inject(READ_SQL) private readonly sql: ReadSql,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly positions: ProjectionPositions,
  ) {}

  async commitmentsDatedBy(sessionId: string): Promise<number> {
    await this.caughtUp();
    const [row] = await this.sql<{ count: number }>(
      'select count(distinct commitment_id)::int as count from commitment_timeline where session_id = $1',
      [sessionId],
    );
    return row?.count ?? 0;
  }

  private async caughtUp(): Promise<void> {
    const deadline = Date.now() + LONGEST_CATCH_UP_MS;
    for (;;) {
      const { events } = await this.store.readAll({ after: await this.positions.current('commitments'), maxCount: 1 });
      if (events.length === 0) return;
      const left = deadline - Date.now();
      if (left <= 0 || !(await this.positions.waitFor('commitments', events[0]!.position, left)))
        throw new ServiceUnavailableException(
          'The commitments read model is behind the log, so what is dated by this session is not known yet; try again shortly.',
        );
    }
  }
}
