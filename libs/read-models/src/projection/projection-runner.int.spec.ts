import { jest } from '@jest/globals';
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { LOG_START, LogAppends, type EventStore, type LogCursor, type LogPosition, type RecordedEvent } from '#event-store';
import { readModelMigrations } from '../migrations/index.js';
import { openReadModelDatabase } from '../testing/read-model-database.js';
import { readProjectionStatuses } from './checkpoints.js';
import type { Projection } from './projection.js';
import { ProjectionFailure, ProjectionRunner } from './projection-runner.js';

const openDatabase = () => openReadModelDatabase(readModelMigrations, { serverPoolSize: 4 });

const position = (index: number) => String(index).padStart(8, '0') as LogPosition;

/** The log, in memory: only `readAll` is needed to follow it. */
function logOf(events: readonly RecordedEvent[]): EventStore {
  return {
    readAll: async ({ after, maxCount, types }: { after: LogCursor; maxCount: number; types?: readonly string[] }) => {
      const from = after === LOG_START ? 0 : events.findIndex((event) => event.position === after) + 1;
      const rest = events.slice(from);
      const page = rest.filter((event) => types?.includes(event.type) ?? true).slice(0, maxCount);
      // As the port says: a short page of some types passes the events of other types it went over.
      const next = page.length < maxCount ? (rest.at(-1)?.position ?? after) : page.at(-1)!.position;
      return { events: page, next };
    },
  } as unknown as EventStore;
}

/** An event at the log's `index`th position; `ok` false breaks the recording tables' check. */
const eventAt = (
  index: number,
  { type, streamId, revision, ok }: { type: string; streamId: string; revision: number; ok: boolean },
): RecordedEvent => ({
  id: randomUUID(),
  type,
  streamId,
  revision,
  position: position(index),
  data: { ok },
  metadata: {
    actor: 'test',
    occurredAt: '2026-01-01T00:00:00Z',
    recordedAt: '2026-01-01T00:00:00Z',
    correlationId: randomUUID(),
    causationId: null,
    schemaVersion: 1,
  },
});

/** Writes each event's position into `table`; `ok = false` events break its check constraint. */
const recording = (name: string, table: string): Projection => ({
  name,
  tables: [table],
  async apply(events, sql) {
    await sql(`insert into ${table} (position, ok) select * from unnest($1::text[], $2::boolean[])`, [
      events.map((event) => event.position),
      events.map((event) => event.data.ok !== false),
    ]);
  },
});

describe('ProjectionRunner and an event it cannot apply', () => {
  let dataSource: DataSource;
  let close: () => Promise<void>;
  const events: RecordedEvent[] = Array.from({ length: 1500 }, (_, index) =>
    eventAt(index, { type: index === 600 ? 'Poison' : 'Good', streamId: `stream-${index % 7}`, revision: 0, ok: index !== 600 }),
  );
  const store = logOf(events);
  const sql = (text: string, parameters?: readonly unknown[]) => dataSource.query(text, parameters as unknown[]);
  const table = (name: string) => sql(`create table ${name} (position text primary key, ok boolean not null check (ok))`);
  const count = async (name: string) => Number((await sql(`select count(*) as n from ${name}`))[0].n);

  beforeAll(async () => {
    ({ dataSource, close } = await openDatabase());
  });
  afterAll(async () => {
    await close();
  });

  it('applies every event before it, even in the same batch of 1,000, and stops right before it', async () => {
    await table('caught_rows');
    const runner = new ProjectionRunner(dataSource, store, recording('caught', 'caught_rows'));
    const failure = await runner.catchUp().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ProjectionFailure);
    expect(failure).toMatchObject({ checkpoint: position(599), event: { position: position(600), type: 'Poison' } });
    expect(await runner.checkpoint()).toBe(position(599));
    expect(await count('caught_rows')).toBe(600);
  });

  it('when following, records where and why, keeps retrying without skipping, lets the others follow, and resumes once fixed', async () => {
    await table('stuck_rows');
    await sql(`create table other_rows (position text primary key, ok boolean not null)`);
    const stop = new AbortController();
    const errors: unknown[] = [];
    const retry = { firstMs: 5, longestMs: 20 };
    const stuck = new ProjectionRunner(dataSource, store, recording('stuck', 'stuck_rows'), { retry });
    const other = new ProjectionRunner(dataSource, store, recording('other', 'other_rows'), { retry });
    const following = [stuck, other].map((runner) => runner.follow(stop.signal, (error) => errors.push(error)));
    const statuses = () => readProjectionStatuses(sql, ['stuck', 'other']);
    const until = async (what: string, done: () => Promise<boolean>) => {
      const deadline = Date.now() + 20_000;
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    try {
      await until('three attempts at the poison', async () => {
        const [status] = await statuses();
        return status!.status === 'stuck' && status!.attempts >= 3;
      });
      await until('the other projection to reach the end', async () => (await other.checkpoint()) === position(1499));
      const [stuckStatus, otherStatus] = await statuses();
      expect(stuckStatus).toMatchObject({
        name: 'stuck',
        status: 'stuck',
        position: position(599),
        failingEvent: { position: position(600), streamId: 'stream-5', type: 'Poison' },
        error: expect.stringContaining('stuck_rows_ok_check'),
      });
      expect(otherStatus).toMatchObject({ name: 'other', status: 'following', position: position(1499) });
      expect(await count('stuck_rows')).toBe(600);
      expect(await count('other_rows')).toBe(1500);
      expect(errors.every((error) => error instanceof ProjectionFailure && error.projection === 'stuck')).toBe(true);

      // The fix: a migration that lets the row in. It resumes by itself and the failure is cleared.
      await sql('alter table stuck_rows drop constraint stuck_rows_ok_check');
      await until('the stuck projection to catch up', async () => (await stuck.checkpoint()) === position(1499));
      expect(await count('stuck_rows')).toBe(1500);
      expect((await statuses())[0]).toEqual({
        name: 'stuck',
        status: 'following',
        position: position(1499),
        updatedAt: expect.any(String),
      });
    } finally {
      stop.abort();
      await Promise.all(following);
    }
  });

  it('stuck on the very first event, it reports the start of the log as its position', async () => {
    await table('first_rows');
    const log = logOf([{ ...events[600]!, position: position(0) }, ...events.slice(1, 5)]);
    const stop = new AbortController();
    const runner = new ProjectionRunner(dataSource, log, recording('first', 'first_rows'), {
      retry: { firstMs: 5, longestMs: 20 },
    });
    const following = runner.follow(stop.signal, () => undefined);
    try {
      const deadline = Date.now() + 20_000;
      let status = (await readProjectionStatuses(sql, ['first']))[0]!;
      while (status.status !== 'stuck' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        status = (await readProjectionStatuses(sql, ['first']))[0]!;
      }
      expect(status).toMatchObject({
        status: 'stuck',
        position: 'start',
        failingEvent: { position: position(0), type: 'Poison' },
      });
      expect(await count('first_rows')).toBe(0);
    } finally {
      stop.abort();
      await following;
    }
  });
});

describe('ProjectionRunner and the event types a projection handles', () => {
  it('applies only those, and its checkpoint follows the log to its end though the tail holds none of them', async () => {
    const { dataSource, close } = await openDatabase();
    try {
      const events: RecordedEvent[] = Array.from({ length: 50 }, (_, index) =>
        eventAt(index, { type: index % 10 === 3 ? 'Handled' : 'Other', streamId: `stream-${index}`, revision: 0, ok: true }),
      );
      const seen: string[] = [];
      const projection: Projection = {
        name: 'typed',
        tables: [],
        eventTypes: ['Handled'],
        async apply(batch) {
          seen.push(...batch.map((event) => event.type));
        },
      };
      const runner = new ProjectionRunner(dataSource, logOf(events), projection, { batchSize: 2 });
      await runner.catchUp();
      expect(seen).toEqual(Array(5).fill('Handled'));
      expect(await runner.checkpoint()).toBe(position(49));
      // Events it never reads arrive: the checkpoint still moves to the end, for readers waiting on a position.
      for (let index = 50; index < 55; index++) events.push({ ...events[0]!, id: randomUUID(), position: position(index) });
      await runner.catchUp();
      expect(seen).toHaveLength(5);
      expect(await runner.checkpoint()).toBe(position(54));
    } finally {
      await close();
    }
  });
});

describe('ProjectionRunner woken by this process’s appends', () => {
  let dataSource: DataSource;
  let close: () => Promise<void>;
  const sql = (text: string, parameters?: readonly unknown[]) => dataSource.query(text, parameters as unknown[]);

  beforeAll(async () => {
    ({ dataSource, close } = await openDatabase());
  });
  afterAll(async () => {
    await close();
  });

  const event = (index: number) => eventAt(index, { type: 'Good', streamId: 'woken', revision: index, ok: true });

  it('reads at once when this process appends, and not before its poll otherwise', async () => {
    await sql('create table woken_rows (position text primary key, ok boolean not null)');
    const log: RecordedEvent[] = [event(0)];
    const appends = new LogAppends();
    const stop = new AbortController();
    const whole = logOf(log);
    let emptyReads = 0;
    const counted = {
      readAll: async (options: Parameters<EventStore['readAll']>[0]) => {
        const page = await whole.readAll(options);
        if (page.events.length === 0) emptyReads++;
        return page;
      },
    } as unknown as EventStore;
    const runner = new ProjectionRunner(dataSource, counted, recording('woken', 'woken_rows'), {
      wakeUps: (wake) => appends.subscribe(wake),
    });
    /** Until the runner has read the log and found nothing new since `before` empty reads: then it idles. */
    const caughtUp = async (before: number) => {
      while (emptyReads <= before) await turns(1);
      await turns(20);
    };
    const count = async () => Number((await sql('select count(*) as n from woken_rows'))[0].n);
    const turns = async (n: number) => {
      for (let turn = 0; turn < n; turn++) await new Promise((resolve) => setImmediate(resolve));
    };
    const applied = async (rows: number) => {
      while ((await count()) < rows) await turns(1);
    };
    // The runner's clock stands still: its idle wait never ends by itself, so only an announced
    // append can make it read the log again once it has caught up.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'Date', 'performance', 'hrtime'] });
    const following = runner.follow(stop.signal, () => undefined);
    try {
      await caughtUp(0);
      expect(await count()).toBe(1);
      log.push(event(1));
      await turns(200);
      expect(await count()).toBe(1);
      for (let index = 1; index <= 3; index++) {
        const before = emptyReads;
        if (index > 1) log.push(event(index));
        appends.announce(['Good']);
        await applied(index + 1);
        await caughtUp(before);
      }
      expect(await runner.checkpoint()).toBe(position(3));
    } finally {
      jest.useRealTimers();
      stop.abort();
      await following;
    }
  });
});
