import { Injectable } from '@nestjs/common';
import type { ReadModelChange } from '#read-models';

/**
 * The changes the projections in this process commit, as they commit them. Other processes'
 * changes arrive through PostgreSQL's LISTEN/NOTIFY instead (`READ_MODEL_CHANNEL`).
 */
@Injectable()
export class ReadModelChanges {
  private readonly listeners = new Set<(change: ReadModelChange) => void>();

  publish(change: ReadModelChange): void {
    for (const listener of this.listeners) listener(change);
  }

  /** Returns the way to stop listening. */
  subscribe(listener: (change: ReadModelChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
