import type { RecordedEvent } from '#event-store';
import { commitmentStreamId, isOverdue, type CommitmentEvent } from '#governance';
import { ReadModels1763800000000 } from '../migrations/1763800000000-read-models.js';
import { EnglishSearch1764460000000 } from '../migrations/1764460000000-english-search.js';
import { openReadModelDatabase } from '../testing/read-model-database.js';
import { commitmentsProjection } from './commitments.projection.js';
import { getCommitment, latestChanges, listCommitments, openTargets } from './commitments.queries.js';

let position = 0;
const revisions = new Map<string, number>();
const on = (id: string, event: CommitmentEvent, day: string): RecordedEvent => {
  const revision = revisions.get(id) ?? 0;
  revisions.set(id, revision + 1);
  position++;
  const at = `${day}T00:00:00.000Z`;
  return {
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    type: event.type,
    data: event.data as RecordedEvent['data'],
    metadata: { actor: 'ana', occurredAt: at, recordedAt: at, correlationId: 'c', causationId: null, schemaVersion: 1 },
    streamId: commitmentStreamId(id),
    revision,
    position: `00000000000000000100/${String(position).padStart(19, '0')}` as RecordedEvent['position'],
  };
};
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
];

describe('the commitments read model', () => {
  let database: Awaited<ReturnType<typeof openReadModelDatabase>>;

  beforeAll(async () => {
    database = await openReadModelDatabase([ReadModels1763800000000, EnglishSearch1764460000000]);
    await commitmentsProjection.apply(history, database.sql, (name) => name);
  });
  afterAll(() => database.close());

  const list = (filters: Partial<Parameters<typeof listCommitments>[1]>) =>
    listCommitments(database.sql, { page: 1, pageSize: 25, ...filters }, TODAY);

  it('the overdue filter in SQL agrees with isOverdue on every row', async () => {
    const all = await list({});
    expect(all.total).toBe(6);
    const overdue = all.rows.filter((row) => isOverdue(row.status, row.targetLatestDate, TODAY)).map((row) => row.commitmentId);
    expect(overdue.sort()).toEqual(['late', 'started-late']);
    expect((await list({ overdue: 'true' })).rows.map((row) => row.commitmentId).sort()).toEqual(overdue);
    expect((await list({ overdue: 'false' })).total).toBe(all.total - overdue.length);
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
