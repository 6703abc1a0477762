import type { RecordedEvent } from '#event-store';
import { commitmentStreamId, type CommitmentEvent } from '#governance';
import { commitmentsProjection } from '../commitments/commitments.projection.js';
import { readModelMigrations } from '../migrations/index.js';
import { openReadModelDatabase } from '../testing/read-model-database.js';
import { testEventLog } from '../testing/test-event-log.js';
import { linksProjection } from './links.projection.js';
import { linksOf } from './links.queries.js';

const log = testEventLog({ actor: 'ed' });
const on = (id: string, event: CommitmentEvent, day = '2022-08-18'): RecordedEvent =>
  log.record(commitmentStreamId(id), event, { occurredAt: `${day}T12:00:00.000Z` });
const made = (id: string): CommitmentEvent => ({
  type: 'CommitmentMade',
  data: {
    commitmentId: id,
    sessionId: 's1',
    sessionDate: '2020-12-10',
    speaker: { name: 'Pat', role: null },
    ownerTeam: 'Team',
    topics: ['a'],
    summary: `Summary of ${id}`,
    quote: 'We will',
    target: null,
    strength: 'plan',
  },
});

describe('the links read model', () => {
  let database: Awaited<ReturnType<typeof openReadModelDatabase>>;
  const apply = async (events: readonly RecordedEvent[]) => {
    // The links and the commitments they name, as the projector keeps both.
    await commitmentsProjection.apply(events, database.sql, (name) => name);
    await linksProjection.apply(events, database.sql, (name) => name);
  };

  beforeAll(async () => {
    database = await openReadModelDatabase(readModelMigrations);
    await apply([
      ...['x', 'y', 'z', 'original', 'old-a', 'old-b', 'survivor', 'replaced', 'r1', 'r2'].map((id) =>
        on(id, made(id), '2020-12-10'),
      ),
      on('y', { type: 'CommitmentLinked', data: { linkedTo: 'x', relation: 'follows_up', note: 'Asked again in 2022' } }),
      on('z', { type: 'CommitmentLinked', data: { linkedTo: 'x', relation: 'related', note: null } }),
      on('original', { type: 'CommitmentSplit', data: { parts: ['part-1', 'part-2'], note: 'Two promises' } }),
      on('part-1', { ...made('part-1') }),
      on('part-2', { ...made('part-2') }),
      on('old-a', { type: 'CommitmentMerged', data: { mergedInto: 'survivor', note: 'Same promise' } }),
      on('old-b', { type: 'CommitmentMerged', data: { mergedInto: 'survivor', note: 'Same promise' } }),
      on('replaced', { type: 'CommitmentSuperseded', data: { supersededBy: 'r1', alsoSupersededBy: ['r2'], note: 'Two now' } }),
    ]);
  });
  afterAll(() => database.close());

  it('shows a link on both commitments, each end in its own words, with the other one’s summary and status', async () => {
    expect(await linksOf(database.sql, 'y')).toEqual([
      { relation: 'follows_up', id: 'x', summary: 'Summary of x', status: 'announced', note: 'Asked again in 2022' },
    ]);
    expect(await linksOf(database.sql, 'x')).toEqual([
      { relation: 'followed_up_by', id: 'y', summary: 'Summary of y', status: 'announced', note: 'Asked again in 2022' },
      { relation: 'related', id: 'z', summary: 'Summary of z', status: 'announced', note: null },
    ]);
  });

  it('a split, a merge and a supersession by several, from both ends', async () => {
    expect((await linksOf(database.sql, 'original')).map(({ relation, id, status }) => [relation, id, status])).toEqual([
      ['split_into', 'part-1', 'announced'],
      ['split_into', 'part-2', 'announced'],
    ]);
    expect(await linksOf(database.sql, 'part-2')).toEqual([
      { relation: 'split_from', id: 'original', summary: 'Summary of original', status: 'split', note: 'Two promises' },
    ]);
    expect((await linksOf(database.sql, 'survivor')).map(({ relation, id, status }) => [relation, id, status])).toEqual([
      ['merged_from', 'old-a', 'superseded'],
      ['merged_from', 'old-b', 'superseded'],
    ]);
    expect((await linksOf(database.sql, 'old-a')).map(({ relation, id }) => [relation, id])).toEqual([
      ['merged_into', 'survivor'],
    ]);
    expect((await linksOf(database.sql, 'replaced')).map(({ relation, id }) => [relation, id])).toEqual([
      ['superseded_by', 'r1'],
      ['superseded_by', 'r2'],
    ]);
    expect((await linksOf(database.sql, 'r2')).map(({ relation, id, status }) => [relation, id, status])).toEqual([
      ['supersedes', 'replaced', 'superseded'],
    ]);
  });

  it('the other end’s status and summary follow it, with no event about the link', async () => {
    await apply([
      on('x', { type: 'CommitmentDelivered', data: { completeness: 'full', note: 'Done', evidence: [] } }),
      on('x', { type: 'CommitmentCorrected', data: { changes: { summary: 'Summary of x, corrected' }, reason: 'typo' } }),
    ]);
    expect(await linksOf(database.sql, 'y')).toEqual([
      expect.objectContaining({ relation: 'follows_up', id: 'x', summary: 'Summary of x, corrected', status: 'delivered' }),
    ]);
  });

  it('a reopened commitment is no longer superseded by or merged into anything; a replay changes nothing', async () => {
    const reopened = on('replaced', { type: 'CommitmentReopened', data: { reason: 'Closed by mistake' } });
    await apply([reopened]);
    expect(await linksOf(database.sql, 'replaced')).toEqual([]);
    expect(await linksOf(database.sql, 'r1')).toEqual([]);
    await linksProjection.apply([reopened], database.sql, (name) => name);
    expect((await linksOf(database.sql, 'x')).map(({ id }) => id)).toEqual(['y', 'z']);
  });

  it('as of a day, only the links known by then', async () => {
    expect(await linksOf(database.sql, 'x', { date: '2021-01-01', clock: 'recorded' })).toEqual([]);
    expect(await linksOf(database.sql, 'x', { date: '2022-08-18', clock: 'occurred' })).toHaveLength(2);
  });
});
