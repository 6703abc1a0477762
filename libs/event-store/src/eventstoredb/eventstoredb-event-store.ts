import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type AppendResult as ClientAppendResult,
  type Filter,
  type Position,
  type ReadStreamOptions as ClientReadStreamOptions,
  type RecordedEvent as ClientRecordedEvent,
} from '@eventstore/db-client';
import { validateAppend } from '../append-validation.js';
import { IdempotencyConflictError, WrongExpectedRevisionError } from '../errors.js';
import {
  LOG_START,
  type AppendResult,
  type EventData,
  type EventMetadata,
  type EventStore,
  type EventStoreHealth,
  type ExpectedRevision,
  type LogCursor,
  type LogPosition,
  type NewEvent,
  type ReadAllOptions,
  type ReadAllPage,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.js';

export interface EventStoreDbEventStoreOptions {
  /**
   * e.g. `esdb://localhost:2113?tls=false`. Reading `$all` (global log, subscription, health)
   * needs a user allowed to: on a secure server, put an admin's credentials in the string.
   */
  readonly connectionString: string;
  /**
   * When set, the global log (`readAll`, `subscribeToAll`) holds only streams whose name starts
   * with one of these. Otherwise it holds every stream not starting with `$` (system streams).
   */
  readonly streamPrefixes?: readonly string[];
  /**
   * How many of a stream's latest events an append compares its event ids with (see
   * `append`). Default 500. A partial overlap with older events goes unnoticed.
   */
  readonly idempotencyWindow?: number;
}

const DEFAULT_IDEMPOTENCY_WINDOW = 500;
const DEFAULT_MAX_BATCH_SIZE = 500;
const HEALTH_TIMEOUT_MS = 5000;
// Older servers send u64::MAX as the commit position of events read from a stream.
const LARGEST_REAL_POSITION = 2n ** 63n - 1n;

type ClientEvent = ClientRecordedEvent;

/**
 * Event store on EventStoreDB (gRPC client 6.x, server 22.6 or later: older servers do not
 * report an event's log position in stream reads, which `readStream` needs).
 *
 * The global log is `$all` read forwards; ESDB commits in log order, so a follower that reads
 * past an event never sees an earlier one appear later. Positions are `commit/prepare`, each
 * zero-padded to 20 digits, so string order equals ESDB's `$all` order.
 *
 * Idempotency (the contract's, which is stricter than ESDB's own) is checked by the adapter
 * before each append; see `append` for how, and for what it cannot see.
 */
export class EventStoreDbEventStore implements EventStore {
  /** EventStoreDB has no transaction across streams: `appendMany` appends one stream after another. */
  readonly atomicMultiStream = false;
  private readonly prefixes: readonly string[] | undefined;

  private constructor(
    private readonly client: EventStoreDBClient,
    streamPrefixes: readonly string[] | undefined,
    private readonly idempotencyWindow: number,
  ) {
    this.prefixes = streamPrefixes === undefined ? undefined : [...streamPrefixes];
  }

  /** Creates the client; it connects on first use, so an unreachable server shows in `health()`. */
  static async connect(options: EventStoreDbEventStoreOptions): Promise<EventStoreDbEventStore> {
    const { connectionString, streamPrefixes, idempotencyWindow = DEFAULT_IDEMPOTENCY_WINDOW } = options;
    if (streamPrefixes !== undefined && (streamPrefixes.length === 0 || streamPrefixes.some((prefix) => prefix.length === 0))) {
      throw new Error('EventStoreDB streamPrefixes must be absent or a list of non-empty prefixes');
    }
    if (!Number.isSafeInteger(idempotencyWindow) || idempotencyWindow < 1) {
      throw new Error('EventStoreDB idempotencyWindow must be an integer >= 1');
    }
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), streamPrefixes, idempotencyWindow);
  }

  /**
   * Idempotency. EventStoreDB alone does not give the contract's guarantees: with `any` it only
   * consults a cache of recent event ids (so a late retry may be written twice), a retry with a
   * stale expected revision reports the batch's last revision rather than the stream's, and a
   * partial overlap is either written again (with `any`) or reported as a wrong expected
   * revision. So before appending, the adapter reads the stream's latest `idempotencyWindow`
   * events, plus the revisions where a retry must sit when the expected revision pins them
   * (`no_stream`: from 0; revision n: from n + 1), plus the neighbourhood of any id it finds,
   * so that a copy of the batch straddling the window's edge is seen whole. Then, like the
   * PostgreSQL adapter:
   *  - no id found: append, the server checking the expected revision;
   *  - every id found, contiguous and in order: a retry. It succeeds without writing, with the
   *    stream's current last revision and the log position of the batch's last event, unless
   *    the expected revision (`no_stream` or a number) places the batch elsewhere: then it is a
   *    `WrongExpectedRevisionError`;
   *  - anything else: `IdempotencyConflictError`, nothing written.
   *
   * Limits:
   *  - Ids are looked for in this stream only. ESDB has no index by event id, so an id already
   *    used in another stream is not detected and the event is written again (the contract test
   *    "an event id already used in another stream is an error and writes nothing" fails here).
   *  - Events older than the window are not compared: a partial overlap with them is written.
   *  - Check and append are two requests. Concurrent identical retries are still written once by
   *    ESDB's own idempotency (exact: `no_stream` or a revision; best effort: `any` and
   *    `stream_exists`, from its id cache), and then report the batch's last revision. Concurrent
   *    partial overlaps can be written twice (`any`) or fail as a wrong expected revision.
   */
  async append(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    validateAppend(streamId, events, expectedRevision);
    const retry = await this.recogniseRetry(streamId, events, expectedRevision);
    if (retry) return retry;

    let result: ClientAppendResult;
    try {
      result = await this.client.appendToStream(
        streamId,
        events.map(({ id, type, data, metadata }) => jsonEvent({ id, type, data: { ...data }, metadata: { ...metadata } })),
        { expectedRevision: toClientExpectedRevision(expectedRevision) },
      );
    } catch (error) {
      throw translateAppendError(error, streamId, expectedRevision);
    }
    return {
      nextExpectedRevision: Number(result.nextExpectedRevision),
      position: await this.positionOfAppend(streamId, events, result),
    };
  }

  /**
   * Not atomic: the appends run in order, and a failure leaves the earlier ones written. Every
   * append is idempotent by event id, so sending the same appends again (an import re-run, its
   * event ids derived from stable keys) writes what is missing and nothing twice.
   */
  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    for (const { streamId, events, expectedRevision } of appends) validateAppend(streamId, events, expectedRevision, true);
    // Checks cannot be held across streams here: they run first, so a failing one writes nothing.
    const checked = new Map<number, AppendResult>();
    for (const [index, { streamId, events, expectedRevision }] of appends.entries()) {
      if (events.length === 0) checked.set(index, await this.check(streamId, expectedRevision));
    }
    const results: AppendResult[] = [];
    for (const [index, { streamId, events, expectedRevision }] of appends.entries())
      results.push(checked.get(index) ?? (await this.append(streamId, events, expectedRevision)));
    return results;
  }

  private async check(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const [last] = await this.readEvents(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    const current = last ? last.revision : -1;
    const holds =
      expected === 'any' ||
      (expected === 'no_stream' && current === -1) ||
      (expected === 'stream_exists' && current >= 0) ||
      expected === current;
    if (!holds) throw new WrongExpectedRevisionError(streamId, expected, current < 0 ? 'no_stream' : current);
    return {
      nextExpectedRevision: current,
      position: last ? last.position : encodePosition({ commit: 0n, prepare: 0n }),
    };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<readonly RecordedEvent[]> {
    if (options.maxCount === 0) return [];
    return this.readEvents(streamId, {
      direction: FORWARDS,
      fromRevision: BigInt(options.fromRevision ?? 0),
      ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
    });
  }

  /**
   * This client's `readAll` takes no server-side filter, so events are filtered here. ESDB reads
   * `$all` from a position inclusively: each chunk asks for one more than needed and skips what
   * is not after the cursor. Chunks repeat while filtered-out events (system streams, other
   * prefixes) leave the page short and the log has more.
   */
  async readAll({ after, maxCount, types }: ReadAllOptions): Promise<ReadAllPage> {
    const wanted = types === undefined ? undefined : new Set(types);
    /** The last event of the log gone over, when the page came back short: `next` passes what was skipped. */
    let passed: Position | undefined;
    const events: RecordedEvent[] = [];
    if (maxCount <= 0) return { events, next: after };
    let cursor: Position | undefined = after === LOG_START ? undefined : decodePosition(after);
    const chunk = maxCount + 1;
    for (;;) {
      let scanned = 0;
      let lastScanned: Position | undefined;
      const read = this.client.readAll({
        direction: FORWARDS,
        fromPosition: cursor ?? START,
        maxCount: chunk,
        resolveLinkTos: false,
      });
      for await (const resolved of read) {
        scanned++;
        const event = resolved.event;
        if (!event) continue;
        lastScanned = event.position;
        if (cursor && comparePositions(event.position, cursor) <= 0) continue;
        if (events.length < maxCount && this.isInLog(event) && (wanted === undefined || wanted.has(event.type)))
          events.push(toRecordedEvent(event, event.position));
      }
      if (events.length >= maxCount || lastScanned === undefined) break;
      if (wanted !== undefined && (cursor === undefined || comparePositions(lastScanned, cursor) > 0)) passed = lastScanned;
      if (scanned < chunk) break;
      cursor = lastScanned;
    }
    if (events.length < maxCount && passed !== undefined) return { events, next: encodePosition(passed) };
    return { events, next: events.at(-1)?.position ?? after };
  }

  /**
   * A catch-up subscription on `$all` after the checkpoint (ESDB starts a subscription after
   * the given position; events at or before it are skipped here too). Delivers what has
   * arrived, up to `maxBatchSize` at a time, and reads nothing more until `onEvents` settles:
   * the client stream's buffer (sized to the batch) then fills and gRPC flow control holds
   * the server back. A server or connection error ends it with that error; the caller restarts
   * from its checkpoint.
   */
  /** `$all` shows every committed event at once. */
  async settled(): Promise<void> {}

  subscribeToAll({ after, maxBatchSize = DEFAULT_MAX_BATCH_SIZE, onEvents }: SubscribeOptions): Subscription {
    const checkpoint = after === LOG_START ? undefined : decodePosition(after);
    const source: AllStreamSubscription = this.client.subscribeToAll(
      { fromPosition: checkpoint ?? START, resolveLinkTos: false, filter: this.subscriptionFilter() },
      { highWaterMark: Math.max(1, maxBatchSize) },
    );

    let stopped = false;
    let ended = false;
    let failure: { readonly error: unknown } | undefined;
    let wakeUp: (() => void) | undefined;
    const wake = () => {
      const resolve = wakeUp;
      wakeUp = undefined;
      resolve?.();
    };
    // Listening from the start: an `error` event with no listener would crash the process.
    source.on('readable', wake);
    source.on('error', (error: unknown) => {
      failure ??= { error };
      wake();
    });
    source.on('end', () => {
      ended = true;
      wake();
    });
    source.on('close', () => {
      ended = true;
      wake();
    });

    const run = async () => {
      try {
        while (!stopped) {
          const batch: RecordedEvent[] = [];
          while (batch.length < maxBatchSize) {
            const resolved = source.read() as AllStreamResolvedEvent | null;
            if (resolved === null) break;
            // Checkpoint and caught-up messages carry no event; the client mostly drops them.
            const event = resolved.event;
            if (!event || !this.isInLog(event)) continue;
            if (checkpoint && comparePositions(event.position, checkpoint) <= 0) continue;
            batch.push(toRecordedEvent(event, event.position));
          }
          if (batch.length > 0) {
            await onEvents(batch);
            continue;
          }
          if (failure) throw failure.error;
          if (ended) throw new Error('EventStoreDB ended the subscription to $all');
          // Nothing buffered: `read()` returning null arms the next `readable` event.
          await new Promise<void>((resolve) => {
            wakeUp = resolve;
          });
        }
      } finally {
        await source.unsubscribe().catch(() => undefined);
        source.destroy();
      }
    };

    const finished = run();
    return {
      finished,
      stop: async () => {
        stopped = true;
        wake();
        await finished.catch(() => undefined);
      },
    };
  }

  async health(): Promise<EventStoreHealth> {
    // Reads run without a gRPC deadline in this client (a `deadline` option is ignored), so
    // the check gets its own timer and cancels the read when it fires.
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, resolveLinkTos: false });
    let timer: NodeJS.Timeout | undefined;
    try {
      const last = await Promise.race([
        (async () => {
          let position: Position | undefined;
          for await (const resolved of read) position = resolved.event?.position ?? position;
          return position;
        })(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS);
        }),
      ]);
      return {
        adapter: 'eventstoredb',
        ok: true,
        detail: last ? `$all readable, last event at ${encodePosition(last)}` : '$all readable, the log is empty',
      };
    } catch (error) {
      await read.cancel().catch(() => undefined);
      return { adapter: 'eventstoredb', ok: false, detail: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  /** Finds an earlier copy of `events` in the stream: returns the retry's result, throws on a conflict. */
  private async recogniseRetry(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult | undefined> {
    const latest = await this.readEvents(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: this.idempotencyWindow });
    if (latest.length === 0) return undefined; // no stream: nothing in it can repeat this batch
    const current = latest[0]!.revision;
    const count = events.length;
    const loaded = new Map<number, RecordedEvent>(latest.map((event) => [event.revision, event]));
    const requested = new Set(loaded.keys());

    /** Loads revisions `from..to` (clipped to the stream) not loaded yet; says whether it read any. */
    const load = async (from: number, to: number): Promise<boolean> => {
      const first = Math.max(0, from);
      const last = Math.min(current, to);
      let didRead = false;
      for (let revision = first; revision <= last; revision++) {
        if (requested.has(revision)) continue;
        let end = revision;
        while (end < last && !requested.has(end + 1)) end++;
        for (let r = revision; r <= end; r++) requested.add(r);
        const read = await this.readEvents(streamId, {
          direction: FORWARDS,
          fromRevision: BigInt(revision),
          maxCount: end - revision + 1,
        });
        for (const event of read) loaded.set(event.revision, event);
        didRead = true;
        revision = end;
      }
      return didRead;
    };

    const indexInBatch = new Map(events.map((event, index) => [event.id.toLowerCase(), index]));
    const copies = () =>
      [...loaded.values()].filter((event) => indexInBatch.has(event.id.toLowerCase())).sort((a, b) => a.revision - b.revision);

    if (expected === 'no_stream' || typeof expected === 'number') {
      const slot = expected === 'no_stream' ? 0 : expected + 1;
      await load(slot, slot + count - 1);
    }
    // A copy of the batch holding a found event lies within count - 1 revisions of it.
    for (let grew = true; grew;) {
      grew = false;
      for (const found of copies()) {
        if (await load(found.revision - (count - 1), found.revision + (count - 1))) grew = true;
      }
    }

    const found = copies();
    if (found.length === 0) return undefined;
    const start = found[0]!.revision;
    const sameAppend =
      found.length === count &&
      found.every((event, index) => event.revision === start + index && indexInBatch.get(event.id.toLowerCase()) === index);
    if (!sameAppend) {
      const repeated = new Set(found.map((event) => event.id.toLowerCase())).size;
      throw new IdempotencyConflictError(
        streamId,
        `${repeated} of ${count} event ids were written before, not as this same append`,
      );
    }
    if ((expected === 'no_stream' && start !== 0) || (typeof expected === 'number' && start !== expected + 1)) {
      throw new WrongExpectedRevisionError(streamId, expected, current);
    }
    return { nextExpectedRevision: current, position: found[count - 1]!.position };
  }

  /**
   * The log position of an append's last event, exactly as reads report it. For one event the
   * server's answer is that event's own `(commit, prepare)`. For several, servers report one
   * position for the whole write (which one has changed between versions), so the last event
   * is read back: one more request, but the append's position then always equals what
   * `readStream`, `readAll` and the subscription say.
   */
  private async positionOfAppend(
    streamId: string,
    events: readonly NewEvent[],
    result: ClientAppendResult,
  ): Promise<LogPosition> {
    const reported = result.position;
    if (events.length === 1 && reported && reported.commit === reported.prepare && reported.commit <= LARGEST_REAL_POSITION) {
      return encodePosition(reported);
    }
    const lastId = events[events.length - 1]!.id.toLowerCase();
    const [stored] = await this.readEvents(streamId, {
      direction: FORWARDS,
      fromRevision: result.nextExpectedRevision,
      maxCount: 1,
    });
    if (stored?.id.toLowerCase() !== lastId) {
      throw new Error(
        `EventStoreDB reported the append to "${streamId}" ending at revision ${result.nextExpectedRevision}, ` +
          `but that revision holds ${stored ? `event ${stored.id}` : 'no event'}, not ${lastId}`,
      );
    }
    return stored.position;
  }

  /** Reads a stream; a stream that does not exist reads as empty. */
  private async readEvents(streamId: string, options: ClientReadStreamOptions): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, { resolveLinkTos: false, ...options })) {
        const event = resolved.event;
        if (event) events.push(toRecordedEvent(event, event.position));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  /** Whether an event belongs to this store's global log (mirrors `subscriptionFilter`). */
  private isInLog(event: ClientEvent): boolean {
    if (event.streamId.startsWith('$') || event.type.startsWith('$')) return false;
    return this.prefixes?.some((prefix) => event.streamId.startsWith(prefix)) ?? true;
  }

  private subscriptionFilter(): Filter {
    return this.prefixes
      ? streamNameFilter({ prefixes: [...this.prefixes] })
      : // Every stream not starting with `$`: system, metadata (`$$…`) and projection streams are left out.
        streamNameFilter({ regex: '^[^$]' });
  }
}

function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
}

function translateAppendError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (!(error instanceof WrongExpectedVersionError)) return error;
  const actual = error.actualVersion;
  return new WrongExpectedRevisionError(streamId, expected, actual === NO_STREAM || actual < 0n ? 'no_stream' : Number(actual));
}

function toRecordedEvent(event: ClientEvent, position: Position | undefined): RecordedEvent {
  if (position === undefined || position.commit > LARGEST_REAL_POSITION || position.prepare > LARGEST_REAL_POSITION) {
    throw new Error(
      `EventStoreDB did not report the log position of event ${event.id} in "${event.streamId}"; ` +
        'this adapter needs EventStoreDB 22.6 or later',
    );
  }
  if (!event.isJson || !isObject(event.data) || !isObject(event.metadata)) {
    throw new Error(
      `Event ${event.id} in "${event.streamId}" has no JSON data and metadata: it was not written by this event store`,
    );
  }
  return {
    id: event.id,
    type: event.type,
    data: event.data as EventData,
    metadata: event.metadata as unknown as EventMetadata,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: encodePosition(position),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

// Zero-padded so that string order equals (commit, prepare) order, ESDB's order of `$all`.
function encodePosition({ commit, prepare }: Position): LogPosition {
  return `${commit.toString().padStart(20, '0')}/${prepare.toString().padStart(20, '0')}` as LogPosition;
}

function decodePosition(cursor: LogCursor): Position {
  const match = /^(\d{20})\/(\d{20})$/.exec(cursor);
  if (!match) throw new Error(`Not an EventStoreDB event store position: "${cursor}"`);
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
}

function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}
