import type pg from 'pg';
import {
  LOG_START,
  compareLogPositions,
  type EventStore,
  type LogCursor,
  type LogPosition,
  type RecordedEvent,
} from '#event-store';
import type { DataSource } from 'typeorm';
import type { ReadModelChange } from './change-notice.js';
import { lockName, readCheckpoint, recordFailure, storeCheckpoint } from './checkpoints.js';
import type { Projection, Sql } from './projection.js';

/** `narrowed`: a batch failed and the next step reads fewer events, to find the one at fault. */
export type StepOutcome = 'applied' | 'caught_up' | 'busy' | 'narrowed';

export interface RunnerOptions {
  readonly batchSize?: number;
  /** Suffix of the tables written: '' for the live ones, '_next' while rebuilding. */
  readonly tableSuffix?: string;
  /** Told how many events each applied batch held. */
  readonly onBatch?: (events: number) => void;
  /** Told, once a batch has committed, what it changed (live tables only: a rebuild's shadows serve nobody). */
  readonly onApplied?: (change: ReadModelChange) => void;
  /** Pauses between attempts at an event the projection cannot apply: doubling from the first to the longest. */
  readonly retry?: { readonly firstMs: number; readonly longestMs: number };
  /** Caught up, `follow` polls at most this far apart (appends of other processes are seen so). */
  readonly longestIdleMs?: number;
  /**
   * Registers what wakes a caught-up `follow` to read at once (an append of this process of a
   * type it reads, a reader waiting for it); returns what unregisters it.
   */
  readonly wakeUps?: (wake: () => void) => () => void;
  /**
   * Every append that matters to it is announced through `wakeUps` (the api's own projector,
   * where the commands append): a batch shorter than asked for means it is caught up, and caught
   * up it polls only as a safety net, at the longest interval, instead of reading the log again
   * and again after each command.
   */
  readonly appendsAnnounced?: boolean;
}

const FIRST_IDLE_WAIT_MS = 10;
const LONGEST_IDLE_WAIT_MS = 200;
export const DEFAULT_RETRY = { firstMs: 500, longestMs: 5000 } as const;

/** A projection cannot apply one event: it stands at `checkpoint`, just before it. */
export class ProjectionFailure extends Error {
  constructor(
    readonly projection: string,
    readonly checkpoint: LogCursor,
    readonly event: RecordedEvent,
    override readonly cause: unknown,
  ) {
    super(`${projection} cannot apply ${event.type} at ${event.position} (stream ${event.streamId}): ${messageOf(cause)}`);
    this.name = 'ProjectionFailure';
  }
}

/**
 * Follows the log from a projection's stored checkpoint. Each step reads a batch after the
 * checkpoint, then, in one transaction, takes the projection's advisory lock, checks the
 * checkpoint has not moved, applies the batch and stores the new checkpoint. So any number
 * of instances may run: one applies at a time, and another carries on when it dies.
 * Events are read before the transaction opens: PGlite serves one transaction at a time.
 *
 * A batch that fails is read again halved, and so on down to the one event at fault, so the
 * events before it are applied and the checkpoint stands right before it. That event is never
 * skipped: `follow` records the failure beside the checkpoint and retries it with backoff until
 * it applies (after a code fix, a migration, a correction), and only this projection waits.
 */
export class ProjectionRunner {
  private readonly checkpointKey: string;
  private readonly batchSize: number;
  private readonly suffix: string;
  private readonly onBatch: (events: number) => void;
  private readonly onApplied: (change: ReadModelChange) => void;
  private readonly retry: { readonly firstMs: number; readonly longestMs: number };
  private readonly longestIdleMs: number;
  private readonly wakeUps: ((wake: () => void) => () => void) | undefined;
  private readonly appendsAnnounced: boolean;
  /** Whether the last batch applied held fewer events than were asked for: the log's end, as then readable. */
  private lastBatchShort = false;
  private appendedMeanwhile = false;
  /** The checkpoint as this runner left it, so a step need not read it first; unknown after anything else. */
  private knownCheckpoint: LogCursor | undefined;
  private wake: (() => void) | undefined;
  /** How many events the next step reads: less than `batchSize` while looking for an event at fault. */
  private limit: number;
  /** The last event of the smallest batch that failed: the limit stays down until the checkpoint passes it. */
  private suspect: LogPosition | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    readonly projection: Projection,
    options: RunnerOptions = {},
  ) {
    this.suffix = options.tableSuffix ?? '';
    this.checkpointKey = `${projection.name}${this.suffix}`;
    this.batchSize = options.batchSize ?? 1000;
    this.limit = this.batchSize;
    this.onBatch = options.onBatch ?? (() => undefined);
    this.onApplied = options.onApplied ?? (() => undefined);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.longestIdleMs = options.longestIdleMs ?? LONGEST_IDLE_WAIT_MS;
    this.wakeUps = options.wakeUps;
    this.appendsAnnounced = options.appendsAnnounced ?? false;
  }

  checkpoint(sql: Sql = (text, parameters) => this.dataSource.query(text, parameters as unknown[])): Promise<LogCursor> {
    return readCheckpoint(sql, this.checkpointKey);
  }

  /** One batch. Throws a `ProjectionFailure` when the single event after the checkpoint cannot be applied. */
  async step(): Promise<StepOutcome> {
    // The checkpoint this runner last stored or read; the transaction below checks it still holds.
    const after = this.knownCheckpoint ?? (await this.checkpoint());
    this.knownCheckpoint = undefined;
    const page = await this.store.readAll({
      after,
      maxCount: this.limit,
      ...(this.projection.eventTypes ? { types: this.projection.eventTypes } : {}),
    });
    if (page.events.length === 0) {
      // Nothing of its types, but the log went on: the checkpoint follows, so readers waiting
      // for a later position are not kept waiting on events this projection never reads.
      if (page.next === after) this.knownCheckpoint = after;
      else if (await this.advance(after, page.next)) this.knownCheckpoint = page.next;
      return 'caught_up';
    }
    let failedToApply: { readonly error: unknown } | undefined;
    let outcome: StepOutcome;
    try {
      outcome = await this.inLockedTransaction(after, async (sql) => {
        try {
          await this.projection.apply(page.events, sql, (name) => `${name}${this.suffix}`);
        } catch (error) {
          failedToApply = { error };
          throw error;
        }
        await storeCheckpoint(
          sql,
          this.checkpointKey,
          page.next,
          this.suffix === '' ? changeOf(this.projection, page) : undefined,
        );
        return 'applied' as const;
      });
    } catch (error) {
      // Not the events' fault (the database, the lock, the commit): no narrowing, the caller retries.
      if (!failedToApply) throw error;
      this.suspect = page.events.at(-1)!.position;
      if (page.events.length > 1) {
        this.limit = Math.ceil(page.events.length / 2);
        return 'narrowed';
      }
      this.limit = 1;
      throw new ProjectionFailure(this.checkpointKey, after, page.events[0]!, failedToApply.error);
    }
    if (outcome === 'applied') {
      this.knownCheckpoint = page.next;
      this.lastBatchShort = page.events.length < this.limit;
      // Past the batch that failed: back to full batches. Before it, the limit stays and the
      // next step reads the other half.
      if (this.suspect === undefined || compareLogPositions(page.next, this.suspect) >= 0) {
        this.suspect = undefined;
        this.limit = this.batchSize;
      }
      this.onBatch(page.events.length);
      if (this.suffix === '') this.onApplied(changeOf(this.projection, page));
    }
    return outcome;
  }

  /** Whether it moved the checkpoint (not when another instance holds the lock or moved it first). */
  private async advance(from: LogCursor, to: LogCursor): Promise<boolean> {
    const moved = await this.inLockedTransaction(from, async (sql) => {
      await storeCheckpoint(sql, this.checkpointKey, to);
      return true;
    });
    return moved === true;
  }

  /**
   * `work` in a transaction holding the projection's lock, while its checkpoint is still `expected`;
   * 'busy' (and nothing done) when another instance holds the lock or has moved the checkpoint.
   * The transaction opens, the lock is tried and the checkpoint read in one round trip: three
   * statements of one simple query, each with a snapshot of its own, so the checkpoint is read
   * after the lock is held and sees what its last holder committed (in one statement, with the
   * lock, its snapshot would be older than the lock). On the pool's pg client, without TypeORM's
   * query building in between: a step runs after every command.
   */
  private async inLockedTransaction<T>(expected: LogCursor, work: (sql: Sql) => Promise<T>): Promise<T | 'busy'> {
    const client = await (this.dataSource.driver as unknown as { master: pg.Pool }).master.connect();
    let broken: Error | undefined;
    try {
      const opened = (await client.query(
        `start transaction;
         select pg_try_advisory_xact_lock(hashtextextended(${client.escapeLiteral(lockName(this.checkpointKey))}, 0)) as locked;
         select position from projection_checkpoints where projection = ${client.escapeLiteral(this.checkpointKey)}`,
      )) as unknown as [pg.QueryResult, pg.QueryResult<{ locked: boolean }>, pg.QueryResult<{ position: string }>];
      const checkpoint = (opened[2].rows[0]?.position ?? LOG_START) as LogCursor;
      if (!opened[1].rows[0]!.locked || checkpoint !== expected) {
        await client.query('rollback');
        return 'busy';
      }
      const sql: Sql = async <Row>(text: string, parameters?: readonly unknown[]) =>
        (await client.query<Row & pg.QueryResultRow>(text, parameters ? [...parameters] : undefined)).rows;
      const result = await work(sql);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch((rollbackFailed: Error) => {
        broken = rollbackFailed;
      });
      throw error;
    } finally {
      // A connection whose rollback failed is not handed out again.
      client.release(broken);
    }
  }

  /** Steps until caught up, returning how many batches it applied; a `ProjectionFailure` ends it. */
  async catchUp(onBatch?: (checkpoint: LogCursor) => void): Promise<number> {
    let batches = 0;
    for (;;) {
      const outcome = await this.step();
      if (outcome === 'caught_up') return batches;
      if (outcome === 'applied') {
        batches++;
        onBatch?.(await this.checkpoint());
      } else if (outcome === 'busy') await sleep(FIRST_IDLE_WAIT_MS);
    }
  }

  /**
   * Follows the log until `signal` aborts. An event it cannot apply is recorded beside the
   * checkpoint and retried with backoff, never skipped; any other failure is retried too.
   * `leads`, when given, says whether this instance is the projection's active one: a standby
   * reads nothing and applies nothing until it takes over.
   */
  async follow(signal: AbortSignal, onError: (error: unknown) => void, leads: () => boolean = () => true): Promise<void> {
    // A wake-up while a step reads is not missed: the flag makes the next idle end at once.
    const stopWaking = this.wakeUps?.(() => {
      this.appendedMeanwhile = true;
      this.wake?.();
    });
    try {
      await this.followUntil(signal, onError, leads);
    } finally {
      stopWaking?.();
    }
  }

  private async followUntil(signal: AbortSignal, onError: (error: unknown) => void, leads: () => boolean): Promise<void> {
    let wait = FIRST_IDLE_WAIT_MS;
    let failures = 0;
    let busy = false;
    while (!signal.aborted) {
      if (!leads()) {
        await sleep(FIRST_IDLE_WAIT_MS * 5, signal);
        wait = FIRST_IDLE_WAIT_MS;
        continue;
      }
      try {
        this.appendedMeanwhile = false;
        const outcome = await this.step();
        failures = 0;
        // Another instance holds the projection: soon again, it may be done with this batch.
        busy = outcome === 'busy';
        if (busy) wait = FIRST_IDLE_WAIT_MS;
        else if (outcome === 'narrowed' || (outcome === 'applied' && !(this.appendsAnnounced && this.lastBatchShort))) {
          wait = FIRST_IDLE_WAIT_MS;
          continue;
        }
      } catch (error) {
        failures++;
        if (error instanceof ProjectionFailure) await this.record(error, onError);
        onError(error);
        await sleep(Math.min(this.retry.firstMs * 2 ** Math.min(failures - 1, 20), this.retry.longestMs), signal);
        wait = FIRST_IDLE_WAIT_MS;
        continue;
      }
      const woken = await this.idle(this.appendsAnnounced && !busy ? this.longestIdleMs : wait, signal);
      wait = woken ? FIRST_IDLE_WAIT_MS : Math.min(wait * 2, this.longestIdleMs);
    }
  }

  /** Caught up: waits `ms`, or less when woken (see `wakeUps`); true when woken. */
  private idle(ms: number, signal: AbortSignal): Promise<boolean> {
    if (this.appendedMeanwhile) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (woken: boolean) => {
        clearTimeout(timer);
        this.wake = undefined;
        signal.removeEventListener('abort', aborted);
        resolve(woken);
      };
      const aborted = () => done(false);
      const timer = setTimeout(() => done(false), ms);
      this.wake = () => done(true);
      signal.addEventListener('abort', aborted, { once: true });
    });
  }

  private async record(failure: ProjectionFailure, onError: (error: unknown) => void): Promise<void> {
    try {
      await recordFailure(
        (text, parameters) => this.dataSource.query(text, parameters as unknown[]),
        this.checkpointKey,
        failure.checkpoint,
        {
          event: { position: failure.event.position, streamId: failure.event.streamId, type: failure.event.type },
          error: messageOf(failure.cause),
        },
      );
    } catch (error) {
      onError(error);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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

/** What a batch changed: its projection, the new checkpoint, and each stream it applied once. */
function changeOf(
  projection: Projection,
  page: { readonly events: readonly RecordedEvent[]; readonly next: LogCursor },
): ReadModelChange {
  const touched = page.events.flatMap((event) => projection.touches?.(event) ?? [event.streamId]);
  return { projection: projection.name, checkpoint: page.next, streamIds: [...new Set(touched)] };
}
