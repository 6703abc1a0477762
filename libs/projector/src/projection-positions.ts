import { Inject, Injectable } from '@nestjs/common';
import { compareLogPositions, LOG_START, type LogCursor } from '#event-store';
import { readCheckpoint } from '#read-models';
import { READ_SQL, type ReadSql } from '#storage';

const POLL_MS = 10;

/** How a wait for a position ended. */
export type WaitOutcome = 'reached' | 'timed_out' | 'stuck';

interface Waiter {
  readonly position: LogCursor;
  readonly deadline: number;
  readonly settle: (outcome: WaitOutcome) => void;
}

/**
 * Read-your-writes: how far a projection has applied the log, and waiting (bounded) for a position.
 * The checkpoints are read where the public reads are (READ_SQL): on a replica, a position is
 * reached once the replica has replayed the batch that applied it, so the read that follows sees it.
 * All readers waiting on one projection share one poll of its checkpoint, so many waiting
 * requests (any anonymous reader may send `?minPosition=`) cost the database one query a tick.
 */
@Injectable()
export class ProjectionPositions {
  private readonly waiters = new Map<string, Set<Waiter>>();

  private readonly wakers = new Map<string, () => void>();

  constructor(@Inject(READ_SQL) private readonly sql: ReadSql) {}

  /** The projector of `projection` in this process: woken when a reader starts waiting for it. */
  onWaiting(projection: string, wake: () => void): () => void {
    this.wakers.set(projection, wake);
    return () => {
      if (this.wakers.get(projection) === wake) this.wakers.delete(projection);
    };
  }

  current(projection: string): Promise<LogCursor> {
    return readCheckpoint((text, parameters) => this.sql(text, parameters), projection);
  }

  /** Resolves true once `projection` has applied `position`, false after `timeoutMs`. */
  async waitFor(projection: string, position: LogCursor, timeoutMs: number): Promise<boolean> {
    return (await this.waitUntil(projection, position, timeoutMs)) === 'reached';
  }

  /**
   * Like `waitFor`, but gives up at once (`stuck`) when the projection is stuck on an event it
   * cannot apply before `position`: waiting would not help.
   */
  waitUntil(projection: string, position: LogCursor, timeoutMs: number): Promise<WaitOutcome> {
    // A projector in this process that sleeps (no append of its types) reads now: it may owe
    // this reader only a step of its checkpoint over events it does not read.
    this.wakers.get(projection)?.();
    return new Promise((settle) => {
      const waiting = this.waiters.get(projection);
      const waiter = { position, deadline: Date.now() + timeoutMs, settle };
      if (waiting) return void waiting.add(waiter);
      this.waiters.set(projection, new Set([waiter]));
      void this.poll(projection);
    });
  }

  private async poll(projection: string): Promise<void> {
    for (;;) {
      const waiting = this.waiters.get(projection)!;
      let row: { position: string; failing_position: string | null } | undefined;
      try {
        [row] = await this.sql<{ position: string; failing_position: string | null }>(
          'select position, failing_position from projection_checkpoints where projection = $1',
          [projection],
        );
      } catch {
        // The database is away for a moment: waiters time out as they would while it lags.
      }
      const now = Date.now();
      for (const waiter of waiting) {
        const checkpoint = (row?.position ?? LOG_START) as LogCursor;
        const outcome: WaitOutcome | undefined =
          compareLogPositions(checkpoint, waiter.position) >= 0
            ? 'reached'
            : row?.failing_position != null
              ? 'stuck'
              : now >= waiter.deadline
                ? 'timed_out'
                : undefined;
        if (outcome === undefined) continue;
        waiting.delete(waiter);
        waiter.settle(outcome);
      }
      if (waiting.size === 0) {
        this.waiters.delete(projection);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
