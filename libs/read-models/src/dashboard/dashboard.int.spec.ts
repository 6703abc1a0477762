import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { openEmbeddedPostgres, type EmbeddedPostgres, type RecordedEvent } from '#event-store';
import type { CommitmentEvent, Target } from '#governance';
import { commitmentsProjection } from '../commitments/commitments.projection.js';
import { ReadModels1763800000000 } from '../migrations/1763800000000-read-models.js';
import { EnglishSearch1764460000000 } from '../migrations/1764460000000-english-search.js';
import { CommitmentStates1763900000000 } from '../migrations/1763900000000-commitment-states.js';
import type { Projection, Sql } from '../projection/projection.js';
import { commitmentStatesProjection } from './commitment-states.projection.js';
import { CommitmentsAsOfFold, endOfDayBound } from '../commitments/commitments-as-of.js';
import { readDashboard, readDashboardAsOf, readDashboardAsOfViews } from './dashboard.query.js';

/** On PostgreSQL in a schema of its own when DATABASE_URL is set, else on in-memory PGlite. */
async function openDatabase(): Promise<{ dataSource: DataSource; close: () => Promise<void> }> {
  const url = process.env.DATABASE_URL?.trim();
  const schema = `dashboard_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  let embedded: EmbeddedPostgres | undefined;
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.end();
  } else embedded = await openEmbeddedPostgres('memory://');
  const dataSource = new DataSource({
    type: 'postgres',
    url: url ?? embedded!.connectionString,
    migrations: [ReadModels1763800000000, EnglishSearch1764460000000, CommitmentStates1763900000000],
    migrationsRun: true,
    synchronize: false,
    ...(url ? { schema, extra: { max: 1, options: `-c search_path=${schema}` } } : { extra: { max: 1 } }),
  });
  await dataSource.initialize();
  return {
    dataSource,
    close: async () => {
      if (url) await dataSource.query(`drop schema ${schema} cascade`);
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}

let position = 0;
const revisions = new Map<string, number>();
const day = (date: string) => `${date}T00:00:00.000Z`;
/** `occurred` and `recorded` are days; recorded defaults to the day it occurred. */
const on = (id: string, event: CommitmentEvent, occurred: string, recorded = occurred): RecordedEvent => {
  const revision = revisions.get(id) ?? 0;
  revisions.set(id, revision + 1);
  position++;
  return {
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    type: event.type,
    data: event.data as RecordedEvent['data'],
    metadata: {
      actor: 'ana',
      occurredAt: day(occurred),
      recordedAt: day(recorded),
      correlationId: 'c',
      causationId: null,
      schemaVersion: 1,
    },
    streamId: `commitment-${id}`,
    revision,
    position: `00000000000000000100/${String(position).padStart(19, '0')}` as RecordedEvent['position'],
  };
};
const by = (latestDate: string | null): Target | null => (latestDate ? { asSaid: `by ${latestDate}`, latestDate } : null);
const made = (id: string, sessionDate: string, ownerTeam: string, topics: string[], latestDate: string | null) =>
  on(
    id,
    {
      type: 'CommitmentMade',
      data: {
        commitmentId: id,
        sessionId: `s-${sessionDate}`,
        sessionDate,
        speaker: { name: 'Patrick', role: null },
        ownerTeam,
        topics,
        summary: `Summary of ${id}`,
        quote: 'We will.',
        target: by(latestDate),
        strength: 'plan',
      },
    },
    sessionDate,
  );
const delivered = (completeness: 'full' | 'partial'): CommitmentEvent => ({
  type: 'CommitmentDelivered',
  data: { completeness, note: 'Done', evidence: [] },
});
const revisited = (sessionDate: string, previous: string, next: string): CommitmentEvent => ({
  type: 'CommitmentRevisited',
  data: {
    sessionId: `s-${sessionDate}`,
    sessionDate,
    statement: 'Later',
    quote: null,
    speaker: null,
    newTarget: by(next),
    previousTarget: by(previous),
  },
});

// A delivery backdated before a later-dated revisit, recorded after it.
const backdated: RecordedEvent[] = [
  made('i', '2020-12-10', 'Comms', ['Blog'], '2021-02-28'),
  on('i', revisited('2022-08-18', '2021-02-28', '2022-09-07'), '2022-08-18'),
  on('i', delivered('full'), '2021-05-01', '2022-08-20'),
  made('j', '2022-08-18', 'Comms', ['Blog', 'Blog'], null),
];

// Eight commitments; "today" is 2022-09-01.
const history: RecordedEvent[] = [
  made('a', '2020-12-10', 'Trust & Safety', ['UCoC'], '2021-02-28'),
  made('b', '2020-12-10', 'Trust & Safety', ['UCoC', 'Elections'], '2021-03-31'),
  made('f', '2020-12-10', 'Legal', ['Policy'], '2021-01-31'),
  made('c', '2021-01-20', 'Board', ['Elections'], '2021-06-30'),
  made('d', '2021-01-20', 'Board', ['Elections'], null),
  made('g', '2021-01-20', 'Board', ['UCoC'], '2021-02-28'),
  on('c', { type: 'WorkStarted', data: { note: null } }, '2021-02-01'),
  on('g', { type: 'CommitmentSuperseded', data: { supersededBy: 'c', note: 'Restated' } }, '2021-03-01'),
  on('f', delivered('partial'), '2021-04-01'),
  on('d', { type: 'CommitmentDropped', data: { reason: 'deprioritised', explanation: 'Budget' } }, '2021-05-01'),
  on(
    'c',
    { type: 'CommitmentRetargeted', data: { previousTarget: by('2021-06-30'), newTarget: by('2021-12-31')!, reason: 'Late' } },
    '2021-06-15',
  ),
  // Delivered on 2021-03-15, but the tracker learned it only in 2022.
  on('b', delivered('full'), '2021-03-15', '2022-01-10'),
  made('e', '2022-08-18', 'Legal', ['Policy'], '2022-11-30'),
  made('h', '2022-08-18', 'Board', ['Elections'], null),
  on('a', revisited('2022-08-18', '2021-02-28', '2022-09-07'), '2022-08-18'),
];

describe('the dashboard on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof openDatabase>>;
  const sql: Sql = (text, parameters) => database.dataSource.query(text, parameters as unknown[]);
  const apply = async (projection: Projection, events: readonly RecordedEvent[]) =>
    database.dataSource.transaction((manager: EntityManager) =>
      projection.apply(
        events,
        (text, parameters) => manager.query(text, parameters as unknown[]),
        (name) => name,
      ),
    );
  const project = async (events: readonly RecordedEvent[], batchSize: number) => {
    for (let start = 0; start < events.length; start += batchSize) {
      for (const projection of [commitmentsProjection, commitmentStatesProjection])
        await apply(projection, events.slice(start, start + batchSize));
    }
  };

  beforeAll(async () => {
    database = await openDatabase();
    await project(history, 4);
  }, 60_000);

  afterAll(async () => {
    await database?.close();
  });

  it('stores one state per event, carried on across batches', async () => {
    const rows = (await sql(
      `select revision, status, to_char(closed_at at time zone 'UTC', 'YYYY-MM-DD') as closed, target_latest_date::text as target
       from commitment_states where commitment_id = 'c' order by revision`,
    )) as { revision: number; status: string; closed: string | null; target: string }[];
    expect(rows).toEqual([
      { revision: 0, status: 'announced', closed: null, target: '2021-06-30' },
      { revision: 1, status: 'in_progress', closed: null, target: '2021-06-30' },
      { revision: 2, status: 'in_progress', closed: null, target: '2021-12-31' },
    ]);
    const [{ states }] = (await sql('select count(*)::int as states from commitment_states')) as { states: number }[];
    expect(states).toBe(history.length);
  });

  it('answers the live dashboard from the commitments table, with overdue derived from today', async () => {
    const months = (from: string, to: string, open: number, closed: number) => {
      const out = [];
      for (let month = from; month <= to; month = nextMonth(month)) out.push({ month, open, closed });
      return out;
    };
    const { recentlyChanged, ...live } = await readDashboard(sql, '2022-09-01');
    expect(live).toEqual({
      today: '2022-09-01',
      asOf: null,
      totals: {
        all: 8,
        open: 4,
        closed: 4,
        byStatus: { announced: 3, in_progress: 1, delivered: 1, partially_delivered: 1, dropped: 1, superseded: 1 },
      },
      openByOwnerTeam: [
        { name: 'Board', open: 2 },
        { name: 'Legal', open: 1 },
        { name: 'Trust & Safety', open: 1 },
      ],
      openByTopic: [
        { name: 'Elections', open: 2 },
        { name: 'Policy', open: 1 },
        { name: 'UCoC', open: 1 },
      ],
      overdue: {
        count: 1,
        mostOverdue: [{ id: 'c', summary: 'Summary of c', ownerTeam: 'Board', targetLatestDate: '2021-12-31', daysOverdue: 244 }],
      },
      upcoming: {
        within30Days: 1,
        within90Days: 2,
        nextDue: [
          { id: 'a', summary: 'Summary of a', ownerTeam: 'Trust & Safety', targetLatestDate: '2022-09-07', daysLeft: 6 },
          { id: 'e', summary: 'Summary of e', ownerTeam: 'Legal', targetLatestDate: '2022-11-30', daysLeft: 90 },
        ],
      },
      delivery: {
        closed: 4,
        delivered: 1,
        partiallyDelivered: 1,
        deliveryRate: 0.25,
        partialDeliveryRate: 0.25,
        onTime: { withTarget: 2, onTime: 1, rate: 0.5 },
      },
      // a slipped 556 days (2021-02-28 to 2022-09-07), c 184 (2021-06-30 to 2021-12-31).
      slips: {
        slipped: 2,
        slippedMoreThanOnce: 0,
        medianSlipDays: 370,
        bySize: [
          { fromDays: 0, toDays: 0, count: 0 },
          { fromDays: 1, toDays: 30, count: 0 },
          { fromDays: 31, toDays: 90, count: 0 },
          { fromDays: 91, toDays: 180, count: 0 },
          { fromDays: 181, toDays: 365, count: 1 },
          { fromDays: 366, toDays: null, count: 1 },
        ],
      },
      overTime: [
        { month: '2020-12', open: 3, closed: 0 },
        ...months('2021-01', '2021-02', 6, 0),
        { month: '2021-03', open: 4, closed: 2 },
        { month: '2021-04', open: 3, closed: 3 },
        ...months('2021-05', '2022-07', 2, 4),
        ...months('2022-08', '2022-09', 4, 4),
      ],
    });
    // Latest recorded first (ties by id), each commitment once, with its last change.
    expect(recentlyChanged.map((change) => [change.id, change.eventType, change.recordedAt.slice(0, 10)])).toEqual([
      ['a', 'CommitmentRevisited', '2022-08-18'],
      ['e', 'CommitmentMade', '2022-08-18'],
      ['h', 'CommitmentMade', '2022-08-18'],
      ['b', 'CommitmentDelivered', '2022-01-10'],
      ['c', 'CommitmentRetargeted', '2021-06-15'],
      ['d', 'CommitmentDropped', '2021-05-01'],
      ['f', 'CommitmentDelivered', '2021-04-01'],
      ['g', 'CommitmentSuperseded', '2021-03-01'],
    ]);
    expect(recentlyChanged[0]).toEqual({
      id: 'a',
      summary: 'Summary of a',
      ownerTeam: 'Trust & Safety',
      status: 'announced',
      eventType: 'CommitmentRevisited',
      change: 'Revisited: Later — new target: by 2022-09-07 (by 2022-09-07)',
      occurredAt: '2022-08-18T00:00:00.000Z',
      recordedAt: '2022-08-18T00:00:00.000Z',
    });
  });

  it('as of a past day: the backdated delivery counts by occurred time, not by recorded time', async () => {
    const occurred = await readDashboardAsOf(sql, '2021-06-30', 'occurred');
    const recorded = await readDashboardAsOf(sql, '2021-06-30', 'recorded');

    expect(occurred).toMatchObject({
      today: '2021-06-30',
      asOf: { date: '2021-06-30', clock: 'occurred', includesLaterEvents: 0 },
      totals: { all: 6, open: 2, closed: 4 },
      overdue: {
        count: 1,
        mostOverdue: [{ id: 'a', targetLatestDate: '2021-02-28', daysOverdue: 122 }],
      },
      upcoming: { within30Days: 0, within90Days: 0, nextDue: [{ id: 'c', targetLatestDate: '2021-12-31', daysLeft: 184 }] },
      delivery: { closed: 4, delivered: 1, partiallyDelivered: 1, onTime: { withTarget: 2, onTime: 1, rate: 0.5 } },
      slips: { slipped: 1, medianSlipDays: 184 },
    });
    expect(occurred.overTime.at(-1)).toEqual({ month: '2021-06', open: 2, closed: 4 });
    // Each commitment's latest change that had happened by then; the backdated delivery of b among them.
    expect(occurred.recentlyChanged.map((change) => [change.id, change.eventType])).toEqual([
      ['c', 'CommitmentRetargeted'],
      ['d', 'CommitmentDropped'],
      ['f', 'CommitmentDelivered'],
      ['b', 'CommitmentDelivered'],
      ['g', 'CommitmentSuperseded'],
      ['a', 'CommitmentMade'],
    ]);

    expect(recorded).toMatchObject({
      asOf: { date: '2021-06-30', clock: 'recorded', includesLaterEvents: 0 },
      totals: { all: 6, open: 3, closed: 3, byStatus: { announced: 2, delivered: 0 } },
      overdue: {
        count: 2,
        mostOverdue: [
          { id: 'a', daysOverdue: 122 },
          { id: 'b', targetLatestDate: '2021-03-31', daysOverdue: 91 },
        ],
      },
      delivery: { closed: 3, delivered: 0, partiallyDelivered: 1, deliveryRate: 0 },
    });
    expect(recorded.overTime.at(-1)).toEqual({ month: '2021-06', open: 3, closed: 3 });
    expect(recorded.recentlyChanged.map((change) => change.id)).toEqual(['c', 'd', 'f', 'g', 'a', 'b']);

    // As of today by recorded time, it is the live dashboard.
    expect({ ...(await readDashboardAsOf(sql, '2022-09-01', 'recorded')), asOf: null }).toEqual(
      await readDashboard(sql, '2022-09-01'),
    );
    expect((await readDashboardAsOf(sql, '2020-12-09', 'occurred')).totals.all).toBe(0);
  });

  it('by occurred time, a delivery backdated before a later-dated revisit also shows that revisit: counted as approximate', async () => {
    await project(backdated, 1);
    expect((await readDashboard(sql, '2022-09-01')).openByTopic).toContainEqual({ name: 'Blog', open: 1 });
    const occurred = await readDashboardAsOf(sql, '2021-06-30', 'occurred');
    expect(occurred.asOf).toEqual({ date: '2021-06-30', clock: 'occurred', includesLaterEvents: 1 });
    // Delivered, as was true then; but with the 2022 target and slip, which were not.
    expect(occurred.slips).toMatchObject({ slipped: 2, medianSlipDays: 370 });
    expect(occurred.openByOwnerTeam.find((team) => team.name === 'Comms')).toBeUndefined();
  });

  it('from commitments folded by occurred time, only what was true then counts: the delivery, not the later revisit', async () => {
    const events = [
      made('k', '2020-12-10', 'Press', ['Radio'], '2021-02-28'),
      on('k', revisited('2022-08-18', '2021-02-28', '2022-09-07'), '2022-08-18'),
      on('k', delivered('full'), '2021-05-01', '2022-08-20'),
    ];
    // Replays change nothing: this holds whichever test ran first.
    await project([...backdated, ...events], 1);
    const fold = new CommitmentsAsOfFold('occurred', endOfDayBound('2021-06-30'));
    fold.add([...history, ...backdated, ...events]);
    const exact = await readDashboardAsOfViews(sql, '2021-06-30', 'occurred', fold.result().views);
    expect(exact.asOf).toEqual({ date: '2021-06-30', clock: 'occurred', includesLaterEvents: 0 });
    const withoutK = new CommitmentsAsOfFold('occurred', endOfDayBound('2021-06-30'));
    withoutK.add([...history, ...backdated]);
    const before = await readDashboardAsOfViews(sql, '2021-06-30', 'occurred', withoutK.result().views);
    // k counts delivered, as was true then, and without the 2022 slip that the stored states would show with it.
    expect(exact.totals.all - before.totals.all).toBe(1);
    expect(exact.delivery.delivered - before.delivery.delivered).toBe(1);
    expect(exact.slips).toEqual(before.slips);
    expect((await readDashboardAsOf(sql, '2021-06-30', 'occurred')).asOf?.includesLaterEvents).toBeGreaterThan(0);

    // Folded to the end of the log, it is the live dashboard.
    const everything = new CommitmentsAsOfFold('occurred', endOfDayBound('2022-09-01'));
    everything.add([...history, ...backdated, ...events]);
    const live = await readDashboard(sql, '2022-09-01');
    const folded = await readDashboardAsOfViews(sql, '2022-09-01', 'occurred', everything.result().views);
    expect({ ...folded, asOf: null, recentlyChanged: [] }).toEqual({ ...live, recentlyChanged: [] });
  });
});

const nextMonth = (month: string) => {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return number === 12 ? `${year + 1}-01` : `${year}-${String(number + 1).padStart(2, '0')}`;
};
