import 'reflect-metadata';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#event-store';
import type { CommitmentEvent, Target } from '#governance';
import { commitmentsProjection } from '../commitments/commitments.projection.js';
import type { Projection, Sql } from '../projection/projection.js';
import { readModelMigrations } from '../migrations/index.js';
import { openReadModelDatabase } from '../testing/read-model-database.js';
import { dayStart, testEventLog } from '../testing/test-event-log.js';
import { commitmentStatesProjection } from './commitment-states.projection.js';
import { CommitmentsAsOfFold, endOfDayBound } from '../commitments/commitments-as-of.js';
import { readDashboard, readDashboardAsOf, readDashboardAsOfViews } from './dashboard.query.js';

const log = testEventLog();
const day = dayStart;
/** `occurred` and `recorded` are days; recorded defaults to the day it occurred. */
const on = (id: string, event: CommitmentEvent, occurred: string, recorded = occurred): RecordedEvent =>
  log.record(`commitment-${id}`, event, { occurredAt: day(occurred), recordedAt: day(recorded) });
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
  let database: Awaited<ReturnType<typeof openReadModelDatabase>>;
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
    database = await openReadModelDatabase(readModelMigrations);
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
        byStatus: { announced: 3, in_progress: 1, delivered: 1, partially_delivered: 1, dropped: 1, superseded: 1, split: 0 },
      },
      // c: no news since its re-target of 2021-06-15, before 2022-03-01 (six months before today).
      flags: {
        due: 0,
        stale: 1,
        staleSince: '2022-03-01',
        longestWithoutNews: [
          { id: 'c', summary: 'Summary of c', ownerTeam: 'Board', madeOn: '2021-01-20', lastNewsOn: '2021-06-15' },
        ],
      },
      openByOwnerTeam: [
        { name: 'Board', open: 2 },
        { name: 'Legal', open: 1 },
        { name: 'Trust & Safety', open: 1 },
      ],
      byTeam: [
        { name: 'Board', open: 2, overdue: 1, stale: 1, due: 0 },
        { name: 'Legal', open: 1, overdue: 0, stale: 0, due: 0 },
        { name: 'Trust & Safety', open: 1, overdue: 0, stale: 0, due: 0 },
      ],
      openByTopic: [
        { name: 'Elections', open: 2 },
        { name: 'Policy', open: 1 },
        { name: 'UCoC', open: 1 },
      ],
      overdue: {
        count: 1,
        mostOverdue: [
          {
            id: 'c',
            summary: 'Summary of c',
            ownerTeam: 'Board',
            strength: 'plan',
            targetLatestDate: '2021-12-31',
            daysOverdue: 244,
          },
        ],
      },
      upcoming: {
        within30Days: 1,
        within90Days: 2,
        nextDue: [
          {
            id: 'a',
            summary: 'Summary of a',
            ownerTeam: 'Trust & Safety',
            strength: 'plan',
            targetLatestDate: '2022-09-07',
            daysLeft: 6,
          },
          {
            id: 'e',
            summary: 'Summary of e',
            ownerTeam: 'Legal',
            strength: 'plan',
            targetLatestDate: '2022-11-30',
            daysLeft: 90,
          },
        ],
      },
      delivery: {
        closed: 4,
        delivered: 1,
        partiallyDelivered: 1,
        // Four closed, two with a target: too few to rate either.
        minimumSample: 5,
        deliveryRate: null,
        partialDeliveryRate: null,
        onTime: { withTarget: 2, onTime: 1, rate: null },
      },
      // a slipped 556 days (2021-02-28 to 2022-09-07), c 184 (2021-06-30 to 2021-12-31).
      slips: {
        slipped: 2,
        slippedMoreThanOnce: 0,
        // c was re-targeted on 2021-06-15, before its 2021-06-30 passed; a only in 2022, long after 2021-02-28.
        extended: 1,
        slippedLate: 1,
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
      strength: 'plan',
      status: 'announced',
      eventType: 'CommitmentRevisited',
      change: 'Revisited: Later — new target: by 2022-09-07 (by 2022-09-07)',
      occurredAt: '2022-08-18T00:00:00.000Z',
      datePrecision: 'exact',
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
      delivery: { closed: 4, delivered: 1, partiallyDelivered: 1, onTime: { withTarget: 2, onTime: 1, rate: null } },
      slips: { slipped: 1, extended: 1, slippedLate: 0, medianSlipDays: 184 },
      // As of 2021-06-30, a had had no news since it was made on 2020-12-10, before 2020-12-30.
      flags: { due: 0, stale: 1, staleSince: '2020-12-30', longestWithoutNews: [{ id: 'a', lastNewsOn: '2020-12-10' }] },
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
      delivery: { closed: 3, delivered: 0, partiallyDelivered: 1, deliveryRate: null },
    });
    expect(recorded.overTime.at(-1)).toEqual({ month: '2021-06', open: 3, closed: 3 });
    expect(recorded.recentlyChanged.map((change) => change.id)).toEqual(['c', 'd', 'f', 'g', 'a', 'b']);

    // As of today by recorded time, it is the live dashboard.
    expect({ ...(await readDashboardAsOf(sql, '2022-09-01', 'recorded')), asOf: null }).toEqual(
      await readDashboard(sql, '2022-09-01'),
    );
    expect((await readDashboardAsOf(sql, '2020-12-09', 'occurred')).totals.all).toBe(0);
  });

  it('as of the last day of a target, it is due; the day after, overdue', async () => {
    const onTheDay = await readDashboardAsOf(sql, '2022-09-07', 'occurred');
    expect(onTheDay.flags.due).toBe(1);
    expect(onTheDay.byTeam.find((team) => team.name === 'Trust & Safety')).toEqual({
      name: 'Trust & Safety',
      open: 1,
      overdue: 0,
      stale: 0,
      due: 1,
    });
    const dayAfter = await readDashboardAsOf(sql, '2022-09-08', 'occurred');
    expect(dayAfter.flags.due).toBe(0);
    expect(dayAfter.byTeam.find((team) => team.name === 'Trust & Safety')).toMatchObject({ overdue: 1, due: 0 });
  });

  it('by occurred time, a delivery backdated before a later-dated revisit also shows that revisit: counted as approximate', async () => {
    const linked = on('j', { type: 'CommitmentLinked', data: { linkedTo: 'i', relation: 'related', note: null } }, '2022-08-21');
    await project([...backdated, linked], 1);
    const live = await readDashboard(sql, '2022-09-01');
    // Five closed now: enough to rate (b and i delivered in full, f in part).
    expect(live.delivery).toMatchObject({ closed: 5, delivered: 2, deliveryRate: 0.4, partialDeliveryRate: 0.2 });
    // The link, recorded last, is bookkeeping: j shows its last news, being made.
    expect(live.recentlyChanged.map((change) => [change.id, change.eventType])).toEqual([
      ['i', 'CommitmentDelivered'],
      ['a', 'CommitmentRevisited'],
      ['e', 'CommitmentMade'],
      ['h', 'CommitmentMade'],
      ['j', 'CommitmentMade'],
      ['b', 'CommitmentDelivered'],
      ['c', 'CommitmentRetargeted'],
      ['d', 'CommitmentDropped'],
      ['f', 'CommitmentDelivered'],
      ['g', 'CommitmentSuperseded'],
    ]);
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
