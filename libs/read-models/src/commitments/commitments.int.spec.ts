import type { RecordedEvent } from '#event-store';
import { commitmentStreamId, isOverdue, type CommitmentEvent } from '#governance';
import { ReadModels1763800000000 } from '../migrations/1763800000000-read-models.js';
import { CommitmentStates1763900000000 } from '../migrations/1763900000000-commitment-states.js';
import { StatusFollowsTheFacts1764320000000 } from '../migrations/1764320000000-status-follows-the-facts.js';
import { openReadModelDatabase } from '../testing/read-model-database.js';
import { dayStart, testEventLog } from '../testing/test-event-log.js';
import { commitmentsProjection } from './commitments.projection.js';
import { getCommitment, latestChanges, listCommitments, openTargets } from './commitments.queries.js';

const log = testEventLog();
const on = (id: string, event: CommitmentEvent, day: string): RecordedEvent =>
  log.record(commitmentStreamId(id), event, { occurredAt: dayStart(day) });
const made = (id: string, ownerTeam: string, latestDate: string | null) =>
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
        target: latestDate ? { asSaid: `by ${latestDate}`, latestDate } : null,
        strength: 'plan',
      },
    },
    '2022-01-10',
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
    database = await openReadModelDatabase([
      ReadModels1763800000000,
      CommitmentStates1763900000000,
      StatusFollowsTheFacts1764320000000,
    ]);
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
    expect((await list({ status: 'in_progress' })).rows.map((row) => row.commitmentId).sort()).toEqual([
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
