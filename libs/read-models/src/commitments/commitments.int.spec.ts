import type { RecordedEvent } from '#event-store';
import { commitmentStreamId, isDue, isOverdue, isStale, staleCutoff, type CommitmentEvent } from '#governance';
import { readModelMigrations } from '../migrations/index.js';
import { openReadModelDatabase } from '../testing/read-model-database.js';
import { dayStart, testEventLog } from '../testing/test-event-log.js';
import { commitmentsProjection } from './commitments.projection.js';
import { dueSql, getCommitment, latestChanges, listCommitments, openTargets } from './commitments.queries.js';

const log = testEventLog();
const on = (id: string, event: CommitmentEvent, day: string, recordedDay = day): RecordedEvent =>
  log.record(commitmentStreamId(id), event, { occurredAt: dayStart(day), recordedAt: dayStart(recordedDay) });
const made = (id: string, ownerTeam: string, latestDate: string | null, day = '2022-01-10', earliestDate?: string) =>
  on(
    id,
    {
      type: 'CommitmentMade',
      data: {
        commitmentId: id,
        sessionId: 's-1',
        sessionDate: '2022-01-10',
        speaker: { name: 'Patrick', role: null },
        ownerTeam,
        topics: ['UCoC'],
        summary: `Summary of ${id}`,
        quote: 'We will.',
        target: latestDate ? { asSaid: `by ${latestDate}`, ...(earliestDate ? { earliestDate } : {}), latestDate } : null,
        strength: 'plan',
      },
    },
    day,
  );

const TODAY = '2022-06-01';
const history = [
  made('late', 'Legal', '2022-03-01'),
  made('due-today', 'Legal', TODAY),
  made('later', 'Product', '2022-12-31'),
  made('no-date', 'Product', null),
  made('done-late', 'Legal', '2022-02-01'),
  on('done-late', { type: 'CommitmentDelivered', data: { completeness: 'full', note: 'Done', evidence: [] } }, '2022-04-01'),
  made('started-late', 'Product', '2022-05-01'),
  on('started-late', { type: 'WorkStarted', data: { note: null } }, '2022-04-15'),
  made('ratified', 'Board', null),
  on('ratified', { type: 'ProgressReported', data: { note: 'Months of work', evidence: [] } }, '2022-03-01'),
  on(
    'ratified',
    {
      type: 'CommitmentDelivered',
      data: { completeness: 'full', note: 'Ratified', evidence: ['https://example.org/r'], datePrecision: 'no_later_than' },
    },
    '2022-05-20',
  ),
  made('progressing', 'Product', null),
  on('progressing', { type: 'ProgressReported', data: { note: 'Drafting', evidence: [] } }, '2022-03-01'),
];

describe('the commitments read model', () => {
  let database: Awaited<ReturnType<typeof openReadModelDatabase>>;

  beforeAll(async () => {
    database = await openReadModelDatabase(readModelMigrations);
    await commitmentsProjection.apply(history, database.sql, (name) => name);
  });
  afterAll(() => database.close());

  const list = (filters: Partial<Parameters<typeof listCommitments>[1]>) =>
    listCommitments(database.sql, { page: 1, pageSize: 25, ...filters }, TODAY);

  it('the overdue filter in SQL agrees with isOverdue on every row', async () => {
    const all = await list({});
    expect(all.total).toBe(8);
    const overdue = all.rows.filter((row) => isOverdue(row.status, row.targetLatestDate, TODAY)).map((row) => row.commitmentId);
    expect(overdue.sort()).toEqual(['late', 'started-late']);
    expect((await list({ overdue: 'true' })).rows.map((row) => row.commitmentId).sort()).toEqual(overdue);
    expect((await list({ overdue: 'false' })).total).toBe(all.total - overdue.length);
  });

  it('a progress report starts work; a delivery known only by a date is stored as no later than it', async () => {
    expect((await getCommitment(database.sql, 'progressing'))?.view).toMatchObject({ status: 'in_progress', workStarted: true });
    const ratified = await getCommitment(database.sql, 'ratified');
    expect(ratified?.view).toMatchObject({
      status: 'delivered',
      closedAt: '2022-05-20T00:00:00.000Z',
      closedAtPrecision: 'no_later_than',
    });
    expect(ratified?.timeline.map((entry) => [entry.eventType, entry.datePrecision, entry.evidence])).toEqual([
      ['CommitmentMade', 'exact', []],
      ['ProgressReported', 'exact', []],
      ['CommitmentDelivered', 'no_later_than', ['https://example.org/r']],
    ]);
    expect((await list({ status: ['in_progress'] })).rows.map((row) => row.commitmentId).sort()).toEqual([
      'progressing',
      'started-late',
    ]);
  });

  it('reads one commitment with its timeline, oldest first', async () => {
    const found = await getCommitment(database.sql, 'done-late');
    expect(found?.view).toMatchObject({ status: 'delivered', ownerTeam: 'Legal', updateCount: 1 });
    expect(found?.timeline.map((entry) => entry.eventType)).toEqual(['CommitmentMade', 'CommitmentDelivered']);
    expect(await getCommitment(database.sql, 'missing')).toBeNull();
  });

  it('feeds: the latest changes newest first, and the open targets soonest first', async () => {
    const changes = await latestChanges(database.sql, { team: 'Legal' }, 2);
    expect(changes.map((change) => [change.commitmentId, change.eventType, change.summary])).toEqual([
      ['done-late', 'CommitmentDelivered', 'Summary of done-late'],
      ['done-late', 'CommitmentMade', 'Summary of done-late'],
    ]);
    expect((await openTargets(database.sql, {})).map((row) => row.commitmentId)).toEqual([
      'late',
      'started-late',
      'due-today',
      'later',
    ]);
  });
});

describe('the commitments read model: windows, news and staleness', () => {
  let database: Awaited<ReturnType<typeof openReadModelDatabase>>;
  const progress = (note: string): CommitmentEvent => ({ type: 'ProgressReported', data: { note, evidence: [] } });
  // Today 2022-06-01: with six months, news from 2021-12-01 on is recent.
  const cutoff = staleCutoff(TODAY, 6);
  const news = [
    made('quiet', 'Legal', null, '2021-06-01'),
    on('quiet', { type: 'CommitmentLinked', data: { linkedTo: 'heard', relation: 'related', note: null } }, '2022-05-01'),
    on('quiet', { type: 'CommitmentCorrected', data: { changes: { summary: 'Fixed' }, reason: 'Typo' } }, '2022-05-02'),
    made('heard', 'Legal', null, '2021-06-01'),
    on('heard', progress('On the first recent day'), '2021-12-01'),
    made('heard-late', 'Legal', null, '2021-06-01'),
    on('heard-late', progress('The day before'), '2021-11-30'),
    made('closed-quiet', 'Legal', null, '2021-06-01'),
    on('closed-quiet', { type: 'CommitmentDropped', data: { reason: 'other', explanation: 'No' } }, '2021-07-01'),
    made('window', 'Product', '2022-06-30', '2022-01-10', '2022-05-01'),
    made('window-ahead', 'Product', '2022-07-31', '2022-01-10', '2022-07-01'),
    made('backdated', 'Product', null),
    on('backdated', progress('Learned first, happened later'), '2022-03-01', '2022-05-01'),
    on('backdated', progress('Learned later, happened first'), '2022-02-01', '2022-05-02'),
  ];

  beforeAll(async () => {
    database = await openReadModelDatabase(readModelMigrations);
    await commitmentsProjection.apply(news, database.sql, (name) => name);
  });
  afterAll(() => database.close());

  const list = (filters: Partial<Parameters<typeof listCommitments>[1]>) =>
    listCommitments(database.sql, { page: 1, pageSize: 25, ...filters }, TODAY, cutoff);

  it('keeps the day of the latest news: links and corrections are not news, a backdated report counts by when it happened', async () => {
    const byId = new Map((await list({})).rows.map((row) => [row.commitmentId, row.lastNewsOn]));
    expect(Object.fromEntries(byId)).toEqual({
      quiet: '2021-06-01',
      heard: '2021-12-01',
      'heard-late': '2021-11-30',
      'closed-quiet': '2021-07-01',
      window: '2022-01-10',
      'window-ahead': '2022-01-10',
      backdated: '2022-03-01',
    });
  });

  it('the stale filter in SQL agrees with isStale on every row, on both sides of the cutoff', async () => {
    const all = await list({});
    const stale = all.rows.filter((row) => isStale(row.status, row.lastNewsOn, cutoff)).map((row) => row.commitmentId);
    expect(stale.sort()).toEqual(['heard-late', 'quiet']);
    expect((await list({ stale: 'true' })).rows.map((row) => row.commitmentId).sort()).toEqual(stale);
    expect((await list({ stale: 'false' })).total).toBe(all.total - stale.length);
  });

  it('stores the earliest day of a window, and due in SQL agrees with isDue', async () => {
    const all = await list({});
    expect(all.rows.find((row) => row.commitmentId === 'window')).toMatchObject({
      targetEarliestDate: '2022-05-01',
      targetLatestDate: '2022-06-30',
    });
    expect(all.rows.find((row) => row.commitmentId === 'quiet')?.targetEarliestDate).toBeNull();
    const due = all.rows
      .filter((row) => isDue(row.status, { earliestDate: row.targetEarliestDate, latestDate: row.targetLatestDate }, TODAY))
      .map((row) => row.commitmentId);
    expect(due).toEqual(['window']);
    const inSql = await database.sql<{ commitment_id: string }>(
      `select commitment_id from commitments c where ${dueSql('$1::date', 'c.')}`,
      [TODAY],
    );
    expect(inSql.map((row) => row.commitment_id)).toEqual(due);
  });

  it('reads a history in the order things happened, not the order they were recorded', async () => {
    const found = await getCommitment(database.sql, 'backdated');
    expect(
      found?.timeline.map((entry) => [entry.revision, entry.occurredAt.slice(0, 10), entry.recordedAt.slice(0, 10)]),
    ).toEqual([
      [0, '2022-01-10', '2022-01-10'],
      [2, '2022-02-01', '2022-05-02'],
      [1, '2022-03-01', '2022-05-01'],
    ]);
  });
});
