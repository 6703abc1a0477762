import type { EventStore, LogCursor } from '#event-store';
import type { DataSource } from 'typeorm';
import { lockProjection, readCheckpoint, storeCheckpoint } from './checkpoints.js';
import type { Projection, Sql } from './projection.js';

export type StepOutcome = 'applied' | 'caught_up' | 'busy';

export interface RunnerOptions {
  readonly batchSize?: number;
  /** Suffix of the tables written: '' for the live ones, '_next' while rebuilding. */
  readonly tableSuffix?: string;
  /** Told how many events each applied batch held. */
  readonly onBatch?: (events: number) => void;
}

const FIRST_IDLE_WAIT_MS = 10;
const LONGEST_IDLE_WAIT_MS = 200;

/**
 * Follows the log from a projection's stored checkpoint. Each step reads a batch after the
 * checkpoint, then, in one transaction, takes the projection's advisory lock, checks the
 * checkpoint has not moved, applies the batch and stores the new checkpoint. So any number
 * of instances may run: one applies at a time, and another carries on when it dies.
 * Events are read before the transaction opens: PGlite serves one transaction at a time.
 */
export class ProjectionRunner {
  private readonly checkpointKey: string;
  private readonly batchSize: number;
  private readonly suffix: string;
  private readonly onBatch: (events: number) => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    readonly projection: Projection,
    options: RunnerOptions = {},
  ) {
    this.suffix = options.tableSuffix ?? '';
    this.checkpointKey = `${projection.name}${this.suffix}`;
    this.batchSize = options.batchSize ?? 1000;
    this.onBatch = options.onBatch ?? (() => undefined);
  }

  checkpoint(sql: Sql = (text, parameters) => this.dataSource.query(text, parameters as unknown[])): Promise<LogCursor> {
    return readCheckpoint(sql, this.checkpointKey);
  }

  async step(): Promise<StepOutcome> {
    const after = await this.checkpoint();
    const page = await this.store.readAll({ after, maxCount: this.batchSize });
    if (page.events.length === 0) return 'caught_up';
    return this.dataSource.transaction(async (manager) => {
      const sql: Sql = (text, parameters) => manager.query(text, parameters as unknown[]);
      if (!(await lockProjection(sql, this.checkpointKey, 'try')) || (await this.checkpoint(sql)) !== after) return 'busy';
      await this.projection.apply(page.events, sql, (name) => `${name}${this.suffix}`);
      await storeCheckpoint(sql, this.checkpointKey, page.next);
      this.onBatch(page.events.length);
      return 'applied';
    });
  }

  /** Steps until caught up, returning how many batches it applied. */
  async catchUp(onBatch?: (checkpoint: LogCursor) => void): Promise<number> {
    let batches = 0;
    for (;;) {
      const outcome = await this.step();
      if (outcome === 'caught_up') return batches;
      if (outcome === 'applied') {
        batches++;
        onBatch?.(await this.checkpoint());
      } else await sleep(FIRST_IDLE_WAIT_MS);
    }
  }

  /** Follows the log until `signal` aborts; a failing batch is retried after a pause, never skipped. */
  async follow(signal: AbortSignal, onError: (error: unknown) => void): Promise<void> {
    let wait = FIRST_IDLE_WAIT_MS;
    while (!signal.aborted) {
      try {
        const outcome = await this.step();
        if (outcome === 'applied') {
          wait = FIRST_IDLE_WAIT_MS;
          continue;
        }
      } catch (error) {
        onError(error);
        wait = LONGEST_IDLE_WAIT_MS * 5;
      }
      await sleep(wait, signal);
      wait = Math.min(wait * 2, LONGEST_IDLE_WAIT_MS);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', wake);
      resolve();
    }, ms);
    signal?.addEventListener('abort', wake, { once: true });
  });
}
