import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { compareLogPositions, type LogCursor } from '#event-store';
import { readCheckpoint } from '#read-models';

const POLL_MS = 10;

/** Read-your-writes: how far a projection has applied the log, and waiting (bounded) for a position. */
@Injectable()
export class ProjectionPositions {
  constructor(private readonly dataSource: DataSource) {}

  current(projection: string): Promise<LogCursor> {
    return readCheckpoint((text, parameters) => this.dataSource.query(text, parameters as unknown[]), projection);
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
