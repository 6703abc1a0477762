/**
 * The one port through which the product reads and writes events. Adapters:
 * PostgreSQL (server or embedded PGlite) and EventStoreDB; all pass the same contract suite.
 */

/** What the writer knows about the stream it appends to. Revisions count from 0. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface EventMetadata {
  /** Token subject of whoever caused the event, or `import`. */
  readonly actor: string;
  /** When it happened in the world (ISO 8601); may lie in the past. */
  readonly occurredAt: string;
  /** When the tracker learned it (ISO 8601). */
  readonly recordedAt: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly schemaVersion: number;
}

export type EventData = Readonly<Record<string, unknown>>;

export interface NewEvent<Data extends EventData = EventData> {
  /** A UUID chosen by the writer; re-sending the same id makes the append idempotent. */
  readonly id: string;
  readonly type: string;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

/**
 * A place in the global log. Opaque: compare positions only with `compareLogPositions`.
 * Every adapter encodes it so that string order equals log order.
 */
export type LogPosition = string & { readonly __logPosition: unique symbol };

export const LOG_START = 'start' as const;
export type LogCursor = LogPosition | typeof LOG_START;

export interface RecordedEvent<Data extends EventData = EventData> extends NewEvent<Data> {
  readonly streamId: string;
  readonly revision: number;
  readonly position: LogPosition;
}

export interface AppendResult {
  /** Revision of the last event in the stream after this append: the next expected revision. */
  readonly nextExpectedRevision: number;
  /** Log position of the last event of this append. */
  readonly position: LogPosition;
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive). Default 0. */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Return events strictly after this position. */
  readonly after: LogCursor;
  readonly maxCount: number;
  /**
   * Only events of these types. `next` still passes the events of other types it went over, so
   * a reader that handles few types keeps up with the log's end.
   */
  readonly types?: readonly string[];
}

export interface ReadAllPage {
  readonly events: readonly RecordedEvent[];
  /** Cursor to continue from: the last event's position, or `after` when nothing was read. */
  readonly next: LogCursor;
}

export interface SubscribeOptions {
  /** The stored checkpoint: events strictly after it are delivered. */
  readonly after: LogCursor;
  readonly maxBatchSize?: number;
  /**
   * Receives events in log order, each exactly once for the life of the subscription.
   * The next batch waits until the returned promise settles; a rejection ends the subscription.
   */
  readonly onEvents: (events: readonly RecordedEvent[]) => Promise<void>;
}

export interface Subscription {
  /** Settles when the subscription ends: resolves after `stop()`, rejects on a failure. */
  readonly finished: Promise<void>;
  stop(): Promise<void>;
}

export interface EventStoreHealth {
  readonly adapter: 'postgres' | 'eventstoredb';
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * One stream's part of a multi-stream append. With no events it is a check: the stream must be
 * at `expectedRevision` when the others are written (a decision that read it stays true).
 */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedRevision: ExpectedRevision;
}

export interface EventStore {
  /**
   * True when `appendMany` is all or nothing: one transaction across its streams (PostgreSQL,
   * PGlite). False when it appends stream after stream (EventStoreDB): a failure leaves the
   * earlier streams written, and re-sending the same appends (same event ids) completes it.
   */
  readonly atomicMultiStream: boolean;
  append(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /**
   * Appends to several streams, in order, each with its own expected revision; one result per
   * append. Each append is checked and idempotent exactly as `append`. On an atomic store any
   * failure writes nothing at all. A stream may appear more than once (later parts follow earlier).
   * A part without events writes nothing and fails with WrongExpectedRevisionError when its
   * stream is elsewhere; its result is the stream's revision and its last event's position.
   */
  appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<readonly RecordedEvent[]>;
  readAll(options: ReadAllOptions): Promise<ReadAllPage>;
  /**
   * Resolves once every event committed before the call can be read by `readAll` (on PostgreSQL a
   * transaction still running elsewhere in the cluster holds the readable log back); throws after
   * `timeoutMs`. A backup waits for it, so it never leaves out what was already committed.
   */
  settled(timeoutMs: number): Promise<void>;
  subscribeToAll(options: SubscribeOptions): Subscription;
  health(): Promise<EventStoreHealth>;
  close(): Promise<void>;
}

/** Injection token for the port; bound by `Symbol` so no adapter class leaks into callers. */
export const EVENT_STORE = Symbol('EventStore');

export function compareLogPositions(a: LogCursor, b: LogCursor): number {
  if (a === b) return 0;
  if (a === LOG_START) return -1;
  if (b === LOG_START) return 1;
  return a < b ? -1 : 1;
}
