import { randomUUID } from 'node:crypto';
import { IdempotencyConflictError, InvalidAppendError, WrongExpectedRevisionError } from '../errors.js';
import {
  LOG_START,
  compareLogPositions,
  type EventStore,
  type LogCursor,
  type NewEvent,
  type RecordedEvent,
} from '../event-store.js';

/** Holds appends to some streams open inside their transaction, so later ones commit first. */
export interface AppendHold {
  /** Resolves once an append to a held stream is waiting inside its transaction. */
  untilAppendIsHeld(): Promise<void>;
  /** Lets the held appends commit; calling it again does nothing. */
  release(): Promise<void>;
}

export interface ContractSubject {
  readonly name: string;
  /** Set when the adapter cannot run here; the suite is skipped with this printed reason. */
  readonly unavailable?: string;
  /** A store over an empty, isolated log. */
  open(): Promise<EventStore>;
  /** Holds appends to streams starting with `prefix`. Absent where commits cannot reorder (one backend). */
  readonly holdAppends?: (store: EventStore, prefix: string) => Promise<AppendHold>;
  cleanUp?(): Promise<void>;
}

export function anEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    id: randomUUID(),
    type: 'CommitmentMade',
    data: { summary: 'Phase 2 starts in January or February' },
    metadata: {
      actor: 'editor:ana',
      occurredAt: '2020-12-10T17:00:00.000Z',
      recordedAt: '2026-11-21T09:30:00.000Z',
      correlationId: randomUUID(),
      causationId: null,
      schemaVersion: 1,
    },
    ...overrides,
  };
}

const events = (count: number) => Array.from({ length: count }, () => anEvent());
const ids = (list: readonly { id: string }[]) => list.map((event) => event.id);

async function readWholeLog(store: EventStore, onlyStreams?: (streamId: string) => boolean): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let after: LogCursor = LOG_START;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1000 });
    if (page.events.length === 0) break;
    all.push(...page.events.filter((event) => onlyStreams?.(event.streamId) ?? true));
    after = page.next;
  }
  return all;
}

/**
 * The log as a follower will see it once everything committed so far is visible. Readers only
 * see below the oldest transaction still running (anywhere in the cluster), so an append that
 * has returned may show a moment later: a marker appended now and seen proves every earlier
 * commit is visible too. Marker streams are left out of the result.
 */
async function settledLog(store: EventStore, onlyStreams?: (streamId: string) => boolean): Promise<RecordedEvent[]> {
  const marker = anEvent({ type: 'LogSettled' });
  await store.append(`settled-${randomUUID()}`, [marker], 'no_stream');
  for (let attempt = 0; ; attempt++) {
    const log = await readWholeLog(store);
    if (log.some((event) => event.id === marker.id)) {
      return log.filter((event) => !event.streamId.startsWith('settled-') && (onlyStreams?.(event.streamId) ?? true));
    }
    if (attempt > 2000) throw new Error('the log did not settle');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function eventually(condition: () => boolean, what: string, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Runs `body` with a subscriber collecting events of `ours`, always stopping it afterwards. */
async function whileFollowing(
  store: EventStore,
  ours: (streamId: string) => boolean,
  maxBatchSize: number,
  body: (received: RecordedEvent[]) => Promise<void>,
): Promise<void> {
  const received: RecordedEvent[] = [];
  const subscription = store.subscribeToAll({
    after: LOG_START,
    maxBatchSize,
    onEvents: async (batch) => {
      received.push(...batch.filter((event) => ours(event.streamId)));
    },
  });
  try {
    await body(received);
  } finally {
    await subscription.stop();
  }
}

/** The behaviour every EventStore adapter must show; run once per adapter. */
export function eventStoreContract(subject: ContractSubject): void {
  const describeIfAvailable = subject.unavailable ? describe.skip : describe;
  if (subject.unavailable) {
    // A skipped adapter says why, so a green run never hides a suite that did not run.
    console.warn(`[event store contract] ${subject.name} skipped: ${subject.unavailable}`);
  }

  describeIfAvailable(`EventStore contract: ${subject.name}`, () => {
    let store: EventStore;
    const stream = (prefix = 'commitment') => `${prefix}-${randomUUID()}`;

    // Opening embedded PGlite compiles its WebAssembly: seconds on a quiet machine, far more on a
    // busy shared one. Setup only; no assertion depends on it.
    beforeAll(async () => {
      store = await subject.open();
    }, 180_000);
    afterAll(async () => {
      await store?.close();
      await subject.cleanUp?.();
    });

    describe('expected revision', () => {
      it('no_stream creates a stream with revisions from 0 and rejects an existing one', async () => {
        const id = stream();
        const result = await store.append(id, events(3), 'no_stream');
        expect(result.nextExpectedRevision).toBe(2);

        await expect(store.append(id, events(1), 'no_stream')).rejects.toMatchObject({
          name: 'WrongExpectedRevisionError',
          streamId: id,
          actual: 2,
        });
        expect((await store.readStream(id)).map((event) => event.revision)).toEqual([0, 1, 2]);
      });

      it('stream_exists refuses a missing stream and accepts an existing one', async () => {
        const id = stream();
        const refused = store.append(id, events(1), 'stream_exists');
        await expect(refused).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(refused).rejects.toMatchObject({ actual: 'no_stream' });
        expect(await store.readStream(id)).toEqual([]);

        await store.append(id, events(1), 'no_stream');
        expect((await store.append(id, events(2), 'stream_exists')).nextExpectedRevision).toBe(2);
      });

      it('an exact revision succeeds when current and conflicts when stale or missing', async () => {
        const id = stream();
        await expect(store.append(id, events(1), 0)).rejects.toMatchObject({ actual: 'no_stream' });
        await store.append(id, events(2), 'no_stream');

        expect((await store.append(id, events(1), 1)).nextExpectedRevision).toBe(2);
        await expect(store.append(id, events(1), 1)).rejects.toMatchObject({
          name: 'WrongExpectedRevisionError',
          expected: 1,
          actual: 2,
        });
        await expect(store.append(id, events(1), 7)).rejects.toMatchObject({ actual: 2 });
        expect(await store.readStream(id)).toHaveLength(3);
      });

      it('any appends to a new or an existing stream', async () => {
        const id = stream();
        expect((await store.append(id, events(1), 'any')).nextExpectedRevision).toBe(0);
        expect((await store.append(id, events(2), 'any')).nextExpectedRevision).toBe(2);
      });

      it('a conflicting append writes nothing to the stream or the log', async () => {
        const id = stream();
        await store.append(id, events(1), 'no_stream');
        const before = await settledLog(store);
        await expect(store.append(id, events(3), 5)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await settledLog(store)).toEqual(before);
      });

      it('only one of many concurrent writers with the same expected revision wins', async () => {
        const id = stream();
        await store.append(id, events(1), 'no_stream');
        const attempts = await Promise.allSettled(Array.from({ length: 8 }, () => store.append(id, events(1), 0)));
        expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
        for (const attempt of attempts.filter((a) => a.status === 'rejected')) {
          expect((attempt as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
        }
        expect(await store.readStream(id)).toHaveLength(2);
      });
    });

    describe('idempotent appends', () => {
      it('re-sending the same events with the same expected revision succeeds and writes nothing', async () => {
        const id = stream();
        const batch = events(3);
        const first = await store.append(id, batch, 'no_stream');
        const retry = await store.append(id, batch, 'no_stream');
        expect(retry).toEqual(first);
        expect(ids(await store.readStream(id))).toEqual(ids(batch));
      });

      it('a retry is still recognised after the stream moved on', async () => {
        const id = stream();
        const batch = events(2);
        const first = await store.append(id, batch, 'no_stream');
        await store.append(id, events(1), 1);
        expect(await store.append(id, batch, 'no_stream')).toEqual({ ...first, nextExpectedRevision: 2 });
        expect(await store.append(id, batch, 'any')).toEqual({ ...first, nextExpectedRevision: 2 });
        expect(await store.readStream(id)).toHaveLength(3);
      });

      it('concurrent retries of one append write it once', async () => {
        const id = stream();
        const batch = events(2);
        await Promise.all(Array.from({ length: 6 }, () => store.append(id, batch, 'any')));
        expect(ids(await store.readStream(id))).toEqual(ids(batch));
      });

      it('a partial overlap with earlier events is an error and writes nothing', async () => {
        const id = stream();
        const [e1, e2, e3] = events(3) as [NewEvent, NewEvent, NewEvent];
        await store.append(id, [e1, e2], 'no_stream');

        await expect(store.append(id, [e2, e3], 'any')).rejects.toBeInstanceOf(IdempotencyConflictError);
        await expect(store.append(id, [e1, e3], 'any')).rejects.toBeInstanceOf(IdempotencyConflictError);
        await expect(store.append(id, [e2, e1], 'any')).rejects.toBeInstanceOf(IdempotencyConflictError);
        expect(ids(await store.readStream(id))).toEqual([e1.id, e2.id]);
      });

      it('an event id already used in another stream is an error and writes nothing', async () => {
        const taken = anEvent();
        await store.append(stream(), [taken], 'no_stream');
        const other = stream();
        await expect(store.append(other, [anEvent(), taken], 'any')).rejects.toBeInstanceOf(IdempotencyConflictError);
        expect(await store.readStream(other)).toEqual([]);
      });
    });

    describe('multi-stream appends', () => {
      it('appends to each stream in order, one result per append, as appending them one by one would', async () => {
        const [a, b] = [stream(), stream()];
        await store.append(b, events(1), 'no_stream');
        const [forA, forB, moreA] = [events(2), events(1), events(1)];
        const results = await store.appendMany([
          { streamId: a, events: forA, expectedRevision: 'no_stream' },
          { streamId: b, events: forB, expectedRevision: 0 },
          { streamId: a, events: moreA, expectedRevision: 1 },
        ]);
        expect(results.map((result) => result.nextExpectedRevision)).toEqual([1, 1, 2]);
        expect(ids(await store.readStream(a))).toEqual(ids([...forA, ...moreA]));
        expect(ids(await store.readStream(b)).slice(1)).toEqual(ids(forB));
        const log = await settledLog(store, (streamId) => streamId === a || streamId === b);
        expect(ids(log).slice(1)).toEqual(ids([...forA, ...forB, ...moreA]));
        expect(results.map((result) => result.position)).toEqual([log[2]!.position, log[3]!.position, log[4]!.position]);
        expect(await store.appendMany([])).toEqual([]);
      });

      it('a part without events checks its stream: it holds, or nothing at all is written', async () => {
        const [a, read] = [stream(), stream()];
        await store.append(read, events(2), 'no_stream');
        const [check, written] = await store.appendMany([
          { streamId: read, events: [], expectedRevision: 1 },
          { streamId: a, events: events(1), expectedRevision: 'no_stream' },
        ]);
        expect(check!.nextExpectedRevision).toBe(1);
        expect(written!.nextExpectedRevision).toBe(0);
        await store.append(read, events(1), 1);
        const before = await settledLog(store);
        await expect(
          store.appendMany([
            { streamId: read, events: [], expectedRevision: 1 },
            { streamId: a, events: events(1), expectedRevision: 0 },
          ]),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(a)).toHaveLength(1);
        expect(await store.readStream(read)).toHaveLength(3);
        expect(await settledLog(store)).toEqual(before);
        await expect(store.append(a, [], 0)).rejects.toBeInstanceOf(InvalidAppendError);
      });

      it('re-sending the same appends writes nothing twice', async () => {
        const [a, b] = [stream(), stream()];
        const appends = [
          { streamId: a, events: events(2), expectedRevision: 'no_stream' as const },
          { streamId: b, events: events(1), expectedRevision: 'no_stream' as const },
        ];
        const first = await store.appendMany(appends);
        expect(await store.appendMany(appends)).toEqual(first);
        expect(await store.readStream(a)).toHaveLength(2);
        expect(await store.readStream(b)).toHaveLength(1);
      });

      it('a malformed part is refused before anything is written', async () => {
        const a = stream();
        const before = await settledLog(store);
        await expect(
          store.appendMany([
            { streamId: a, events: events(1), expectedRevision: 'no_stream' },
            { streamId: '', events: events(1), expectedRevision: 'any' },
          ]),
        ).rejects.toBeInstanceOf(InvalidAppendError);
        expect(await settledLog(store)).toEqual(before);
      });

      it('all or nothing where the store claims it: a failing later append leaves the earlier streams unwritten', async () => {
        const [a, b, c] = [stream(), stream(), stream()];
        await store.append(b, events(1), 'no_stream');
        const taken = anEvent();
        await store.append(stream(), [taken], 'no_stream');
        const before = await settledLog(store);
        await expect(
          store.appendMany([
            { streamId: a, events: events(2), expectedRevision: 'no_stream' },
            { streamId: b, events: events(1), expectedRevision: 5 },
          ]),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        if (!store.atomicMultiStream) {
          // Sequential: the first stream was written (the next test shows re-sending completes it).
          expect(await store.readStream(a)).toHaveLength(2);
          return;
        }
        expect(await store.readStream(a)).toEqual([]);
        // An event id used in another stream: the database itself refuses the second insert.
        await expect(
          store.appendMany([
            { streamId: c, events: events(1), expectedRevision: 'no_stream' },
            { streamId: b, events: [taken], expectedRevision: 0 },
          ]),
        ).rejects.toBeInstanceOf(IdempotencyConflictError);
        expect(await store.readStream(c)).toEqual([]);
        expect(await settledLog(store)).toEqual(before);
      });

      it('after a failure, re-sending the same appends completes them with each event once', async () => {
        const [a, b] = [stream(), stream()];
        const appends = [
          { streamId: a, events: events(2), expectedRevision: 'no_stream' as const },
          { streamId: b, events: events(1), expectedRevision: 'stream_exists' as const },
        ];
        await expect(store.appendMany(appends)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await store.append(b, events(1), 'no_stream');
        const results = await store.appendMany(appends);
        expect(results.map((result) => result.nextExpectedRevision)).toEqual([1, 1]);
        expect(ids(await store.readStream(a))).toEqual(ids(appends[0]!.events));
        expect(await store.readStream(b)).toHaveLength(2);
      });
    });

    describe('reading', () => {
      it('reads a stream back in order, from a revision, a page at a time', async () => {
        const id = stream();
        const batch = events(5);
        await store.append(id, batch.slice(0, 2), 'no_stream');
        await store.append(id, batch.slice(2), 1);

        const all = await store.readStream(id);
        expect(ids(all)).toEqual(ids(batch));
        expect(all.map((event) => [event.streamId, event.revision])).toEqual(batch.map((_, index) => [id, index]));
        expect(ids(await store.readStream(id, { fromRevision: 3 }))).toEqual(ids(batch.slice(3)));
        expect(ids(await store.readStream(id, { fromRevision: 1, maxCount: 2 }))).toEqual(ids(batch.slice(1, 3)));
        expect(await store.readStream(stream())).toEqual([]);
      });

      it('round-trips type, data and every metadata field', async () => {
        const id = stream();
        const event = anEvent({
          type: 'CommitmentRetargeted',
          data: {
            target: { asSaid: 'January or February 2021', latest: '2021-02-28' },
            reason: 'Rückmeldung «später» — 反馈 <b>"quoted"</b>',
            evidence: ['https://example.org/a?b=1&c=2'],
            count: 3,
            ratio: 0.25,
            flag: false,
            nothing: null,
          },
          metadata: {
            actor: 'staff:tomás',
            occurredAt: '2021-03-01T10:15:00.000Z',
            recordedAt: '2026-11-21T08:00:00.000Z',
            correlationId: randomUUID(),
            causationId: randomUUID(),
            schemaVersion: 2,
          },
        });
        const result = await store.append(id, [event], 'no_stream');
        const [read] = await store.readStream(id);
        expect(read).toEqual({ ...event, streamId: id, revision: 0, position: result.position });
      });

      it('keeps a multi-event append contiguous in the stream and in the global log', async () => {
        const streams = Array.from({ length: 6 }, () => stream('atomic'));
        const batches = streams.map(() => events(10));
        await Promise.all(streams.map((id, index) => store.append(id, batches[index]!, 'no_stream')));

        const log = await settledLog(store, (streamId) => streams.includes(streamId));
        for (const batch of batches) {
          const start = log.findIndex((event) => event.id === batch[0]!.id);
          expect(ids(log.slice(start, start + 10))).toEqual(ids(batch));
        }
      });

      it('pages through the global log in order without repeats', async () => {
        const id = stream();
        await store.append(id, events(7), 'no_stream');
        await settledLog(store);
        const seen: RecordedEvent[] = [];
        let after: LogCursor = LOG_START;
        for (;;) {
          const page = await store.readAll({ after, maxCount: 3 });
          if (page.events.length === 0) break;
          seen.push(...page.events);
          after = page.next;
        }
        const positions = seen.map((event) => event.position);
        expect(new Set(positions).size).toBe(positions.length);
        expect([...positions].sort(compareLogPositions)).toEqual(positions);
        expect(seen.filter((event) => event.streamId === id).map((event) => event.revision)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      });

      it('reads only the types asked for, a page at a time, and its cursor passes the events of other types', async () => {
        // A type of its own: other tests' events are not of it.
        const rare = `Rare${randomUUID().replaceAll('-', '')}`;
        const id = stream();
        await store.append(
          id,
          [anEvent(), anEvent({ type: rare }), anEvent(), anEvent(), anEvent({ type: rare }), anEvent({ type: rare }), anEvent()],
          'no_stream',
        );
        const log = await settledLog(store);
        const seen: RecordedEvent[] = [];
        let after: LogCursor = LOG_START;
        for (;;) {
          const page = await store.readAll({ after, maxCount: 2, types: [rare] });
          expect(page.events.every((event) => event.type === rare)).toBe(true);
          seen.push(...page.events);
          expect(compareLogPositions(page.next, after)).toBeGreaterThanOrEqual(0);
          if (page.events.length === 0) break;
          after = page.next;
        }
        expect(seen.map((event) => event.revision)).toEqual([1, 4, 5]);
        // Caught up, the cursor stands at the end of the log, past the last event of another type.
        const end = await store.readAll({ after, maxCount: 2, types: [rare] });
        expect(end.events).toEqual([]);
        expect(compareLogPositions(end.next, log.at(-1)!.position)).toBeGreaterThanOrEqual(0);
        // And nothing of the type is after it.
        expect((await store.readAll({ after: end.next, maxCount: 10, types: [rare] })).events).toEqual([]);
      });

      it('once settled, every event appended before is in the log', async () => {
        const id = stream();
        const result = await store.append(id, events(2), 'no_stream');
        await store.settled(30_000);
        expect((await readWholeLog(store, (streamId) => streamId === id)).at(-1)?.position).toBe(result.position);
      });

      it('gives each append the log position of its last event', async () => {
        const id = stream();
        const result = await store.append(id, events(3), 'no_stream');
        const log = await settledLog(store, (streamId) => streamId === id);
        expect(log.at(-1)?.position).toBe(result.position);
      });
    });

    describe('bad input', () => {
      const rejects = async (attempt: () => Promise<unknown>, field: RegExp) => {
        const before = await settledLog(store);
        await expect(attempt()).rejects.toBeInstanceOf(InvalidAppendError);
        await expect(attempt()).rejects.toMatchObject({ field: expect.stringMatching(field) });
        expect(await settledLog(store)).toHaveLength(before.length);
      };

      it('rejects an empty or malformed stream name', async () => {
        await rejects(() => store.append('', events(1), 'any'), /^streamId$/);
        await rejects(() => store.append('$system', events(1), 'any'), /^streamId$/);
        await rejects(() => store.append('has space', events(1), 'any'), /^streamId$/);
        await rejects(() => store.append('x'.repeat(201), events(1), 'any'), /^streamId$/);
      });

      it('rejects an append with no events or a bad expected revision', async () => {
        await rejects(() => store.append(stream(), [], 'any'), /^events$/);
        await rejects(() => store.append(stream(), events(1), -1), /^expectedRevision$/);
        await rejects(() => store.append(stream(), events(1), 'sometimes' as never), /^expectedRevision$/);
      });

      it('rejects an event over the size limit, with nothing of its append written', async () => {
        const id = stream();
        const huge = anEvent({ data: { text: 'x'.repeat(300 * 1024) } });
        await rejects(() => store.append(id, [anEvent(), huge], 'any'), /^events\[1\]$/);
        expect(await store.readStream(id)).toEqual([]);
      });

      it('rejects malformed events and metadata, naming the field', async () => {
        const good = anEvent();
        const withMetadata = (metadata: object) => anEvent({ metadata: { ...good.metadata, ...metadata } as never });
        await rejects(() => store.append(stream(), [anEvent({ id: 'not-a-uuid' })], 'any'), /^events\[0\]\.id$/);
        await rejects(() => store.append(stream(), [anEvent({ type: '' })], 'any'), /^events\[0\]\.type$/);
        await rejects(() => store.append(stream(), [anEvent({ data: [] as never })], 'any'), /^events\[0\]\.data$/);
        await rejects(() => store.append(stream(), [withMetadata({ actor: '' })], 'any'), /metadata\.actor$/);
        await rejects(() => store.append(stream(), [withMetadata({ occurredAt: '10/12/2020' })], 'any'), /metadata\.occurredAt$/);
        await rejects(() => store.append(stream(), [withMetadata({ recordedAt: undefined })], 'any'), /metadata\.recordedAt$/);
        await rejects(() => store.append(stream(), [withMetadata({ schemaVersion: 0 })], 'any'), /metadata\.schemaVersion$/);
        await rejects(() => store.append(stream(), [withMetadata({ colour: 'red' })], 'any'), /metadata\.colour$/);
        await rejects(() => store.append(stream(), [good, { ...good }], 'any'), /^events\[1\]\.id$/);
      });
    });

    describe('catch-up subscription', () => {
      it('delivers only events after the stored checkpoint, then new ones as they are appended', async () => {
        const id = stream();
        await store.append(id, events(3), 'no_stream');
        const [, second] = await store.readStream(id);
        const received: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({
          after: second!.position,
          onEvents: async (batch) => {
            received.push(...batch);
          },
        });
        const later = events(2);
        await store.append(id, later, 2);
        await eventually(() => received.filter((event) => event.streamId === id).length === 3, 'three events');
        await subscription.stop();
        expect(received.filter((event) => event.streamId === id).map((event) => event.revision)).toEqual([2, 3, 4]);
        await expect(subscription.finished).resolves.toBeUndefined();
      });

      it('ends with the handler’s error when the handler fails', async () => {
        await store.append(stream(), events(1), 'no_stream');
        const subscription = store.subscribeToAll({
          after: LOG_START,
          onEvents: async () => {
            throw new Error('projection failed');
          },
        });
        await expect(subscription.finished).rejects.toThrow('projection failed');
      });

      it('race: many concurrent writers while a subscriber follows — every event exactly once, in log order', async () => {
        const prefix = `race${randomUUID().slice(0, 8)}-`;
        const ours = (streamId: string) => streamId.startsWith(prefix);
        await whileFollowing(store, ours, 37, async (received) => {
          const writers = 16;
          const appendsPerWriter = 15;
          const written: string[] = [];
          await Promise.all(
            Array.from({ length: writers }, async (_, writer) => {
              const id = `${prefix}${writer}`;
              for (let append = 0; append < appendsPerWriter; append++) {
                const batch = events(1 + (append % 3));
                await store.append(id, batch, append === 0 ? 'no_stream' : 'any');
                written.push(...ids(batch));
              }
            }),
          );

          await eventually(() => received.length >= written.length, `${written.length} events`);
          await new Promise((resolve) => setTimeout(resolve, 200)); // room for a repeat to show up

          expect(received).toHaveLength(written.length);
          expect(new Set(ids(received))).toEqual(new Set(written));
          const log = await readWholeLog(store, ours);
          expect(ids(received)).toEqual(ids(log));
        });
      });

      const raceWithHeldTransaction = subject.holdAppends ? it : it.skip;
      raceWithHeldTransaction(
        'race: a subscriber does not pass an append held open while later appends commit, and gets it once it commits',
        async () => {
          const prefix = `held${randomUUID().slice(0, 8)}-`;
          const hold = await subject.holdAppends!(store, `${prefix}slow`);
          const ours = (streamId: string) => streamId.startsWith(prefix);
          try {
            await whileFollowing(store, ours, 25, async (received) => {
              const early = events(2);
              await store.append(`${prefix}early`, early, 'no_stream');
              await eventually(() => received.length === 2, 'the early events');

              const slow = anEvent();
              const slowAppend = store.append(`${prefix}slow`, [slow], 'no_stream');
              await hold.untilAppendIsHeld();

              // These take sequence values after the held one and commit before it.
              const late: string[] = [];
              await Promise.all(
                Array.from({ length: 8 }, async (_, writer) => {
                  for (let append = 0; append < 10; append++) {
                    const batch = events(1 + (append % 2));
                    await store.append(`${prefix}late-${writer}`, batch, 'any');
                    late.push(...ids(batch));
                  }
                }),
              );
              await new Promise((resolve) => setTimeout(resolve, 300)); // the subscriber polls meanwhile
              const receivedWhileHeld = ids(received);

              await hold.release();
              await slowAppend;
              await eventually(() => received.length >= 2 + 1 + late.length, 'every event after the release');
              await new Promise((resolve) => setTimeout(resolve, 200));

              expect(receivedWhileHeld).toEqual(ids(early));
              expect(received).toHaveLength(2 + 1 + late.length);
              expect(new Set(ids(received))).toEqual(new Set([...ids(early), slow.id, ...late]));
              expect(ids(received)).toEqual(ids(await readWholeLog(store, ours)));
              expect(received[2]!.id).toBe(slow.id);
            });
          } finally {
            await hold.release();
          }
        },
      );
    });
  });
}
