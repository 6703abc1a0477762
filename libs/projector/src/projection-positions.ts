import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { compareLogPositions, LOG_START, type LogCursor } from '#event-store';
import { readCheckpoint } from '#read-models';

const POLL_MS = 10;

/** How a wait for a position ended. */
export type WaitOutcome = 'reached' | 'timed_out' | 'stuck';

/** Read-your-writes: how far a projection has applied the log, and waiting (bounded) for a position. */
@Injectable()
export class ProjectionPositions {
  constructor(private readonly dataSource: DataSource) {}

  current(projection: string): Promise<LogCursor> {
    return readCheckpoint((text, parameters) => this.dataSource.query(text, parameters as unknown[]), projection);
  }

  /** Resolves true once `projection` has applied `position`, false after `timeoutMs`. */
  async waitFor(projection: string, position: LogCursor, timeoutMs: number): Promise<boolean> {
    return (await this.waitUntil(projection, position, timeoutMs)) === 'reached';
  }

  /**
   * Like `waitFor`, but gives up at once (`stuck`) when the projection is stuck on an event it
   * cannot apply before `position`: waiting would not help.
   */
  async waitUntil(projection: string, position: LogCursor, timeoutMs: number): Promise<WaitOutcome> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row] = (await this.dataSource.query(
        'select position, failing_position from projection_checkpoints where projection = $1',
        [projection],
      )) as { position: string; failing_position: string | null }[];
      if (compareLogPositions((row?.position ?? LOG_START) as LogCursor, position) >= 0) return 'reached';
      if (row?.failing_position != null) return 'stuck';
      if (Date.now() >= deadline) return 'timed_out';
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
