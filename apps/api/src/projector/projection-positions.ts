import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { compareLogPositions, LOG_START, type LogCursor } from '#event-store';

const POLL_MS = 10;

/** Read-your-writes: how far a projection has applied the log, and waiting (bounded) for a position. */
@Injectable()
export class ProjectionPositions {
  constructor(private readonly dataSource: DataSource) {}

  async current(projection: string): Promise<LogCursor> {
    const rows = (await this.dataSource.query('select position from projection_checkpoints where projection = $1', [
      projection,
    ])) as {
      position: string;
    }[];
    return (rows[0]?.position ?? LOG_START) as LogCursor;
  }

  /** Resolves true once `projection` has applied `position`, false after `timeoutMs`. */
  async waitFor(projection: string, position: LogCursor, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (compareLogPositions(await this.current(projection), position) >= 0) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
