import type { RecordedEvent } from '#event-store';
import { commitmentStreamId, type CommitmentEvent } from '#governance';
import { readModelMigrations } from '../migrations/index.js';
import { openReadModelDatabase } from '../testing/read-model-database.js';
import { dayStart, testEventLog } from '../testing/test-event-log.js';
import { CommitmentsAsOfFold } from './commitments-as-of.js';
import { commitmentsProjection } from './commitments.projection.js';
import { commitmentsAsOfSource, listCommitments, type CommitmentFilters } from './commitments.queries.js';
import { searchQueryOf } from './search-document.js';

// On in-memory PGlite, or on PostgreSQL when DATABASE_URL is set: the same English configuration on both.
const log = testEventLog();
const on = (id: string, event: CommitmentEvent, day: string): RecordedEvent =>
  log.record(commitmentStreamId(id), event, { occurredAt: dayStart(day) });
const made = (id: string, summary: string, ownerTeam: string, topics: string[], sessionId = 's-2020', note?: string) =>
  on(
    id,
    {
      type: 'CommitmentMade',
      data: {
        commitmentId: id,
        sessionId,
        sessionDate: '2020-12-10',
        speaker: { name: 'Patrick', role: null },
        ownerTeam,
        topics,
        summary,
        quote: 'We will.',
        target: null,
        strength: 'plan',
        ...(note ? { note } : {}),
      },
    },
    '2020-12-10',
  );

const history = [
  made('vote', 'Another vote on the elections', 'Board', ['Elections']),
  made('ucoc', 'Publish the UCoC Enforcement guidelines', 'Trust & Safety', ['UCoC', 'Policy'], 's-2020', 'Wording unclear'),
  made('hire', 'Hire a human rights lead', 'Legal', ['Human rights', 'Policy']),
  on('ucoc', { type: 'ProgressReported', data: { note: 'Guidelines ratified by the board', evidence: [] } }, '2021-03-01'),
  on(
    'ucoc',
    {
      type: 'CommitmentRevisited',
      data: {
        sessionId: 's-2022',
        sessionDate: '2022-08-18',
        statement: 'Training for functionaries starts',
        quote: 'We start in September',
        speaker: null,
        newTarget: null,
        previousTarget: null,
      },
    },
    '2022-08-18',
  ),
  on(
    'ucoc',
    {
      type: 'CommitmentRetargeted',
      data: { previousTarget: null, newTarget: { asSaid: 'autumn', latestDate: null }, reason: 'Consultation took longer' },
    },
    '2022-09-01',
  ),
  on('hire', { type: 'CommitmentDropped', data: { reason: 'deprioritised', explanation: 'Budget frozen' } }, '2022-10-01'),
  on(
    'hire',
    { type: 'CommitmentCorrected', data: { changes: { summary: 'Hire a human rights lead' }, reason: 'Zebra typo' } },
    '2022-10-02',
  ),
];

describe('searching and counting commitments', () => {
  let database: Awaited<ReturnType<typeof openReadModelDatabase>>;

  beforeAll(async () => {
    database = await openReadModelDatabase(readModelMigrations);
    await commitmentsProjection.apply(history, database.sql, (name) => name);
  });
  afterAll(() => database.close());

  const list = (filters: Partial<CommitmentFilters>) =>
    listCommitments(database.sql, { page: 1, pageSize: 25, ...filters }, '2023-01-01');
  const found = async (q: string, filters: Partial<CommitmentFilters> = {}) =>
    (await list({ q, ...filters })).rows.map((row) => row.commitmentId).sort();

  it('stems English words and matches every word as a prefix', async () => {
    expect(await found('election')).toEqual(['vote']);
    expect(await found('ELECTIONS')).toEqual(['vote']);
    expect(await found('enforce')).toEqual(['ucoc']);
    expect(await found('enforcing')).toEqual(['ucoc']);
    expect(await found('ratif')).toEqual(['ucoc']);
    expect(await found('ratification')).toEqual(['ucoc']);
    expect(await found('human righ')).toEqual(['hire']);
    expect(await found('policy')).toEqual(['hire', 'ucoc']);
  });

  it('searches the note, the owner, the topics and the history: revisits, progress, re-targets and drops, not corrections', async () => {
    expect(await found('wording')).toEqual(['ucoc']);
    expect(await found('trust safety')).toEqual(['ucoc']);
    expect(await found('functionary')).toEqual(['ucoc']);
    expect(await found('september')).toEqual(['ucoc']);
    expect(await found('consultations')).toEqual(['ucoc']);
    expect(await found('budget')).toEqual(['hire']);
    expect(await found('zebra')).toEqual([]);
    // Every word must match, wherever each is.
    expect(await found('board elections')).toEqual(['vote']);
    expect(await found('board guidelines')).toEqual(['ucoc']);
  });

  it('a replayed event adds its words once', async () => {
    await commitmentsProjection.apply(history, database.sql, (name) => name);
    const [row] = await database.sql<{ search_history: string }>(
      `select search_history from commitments where commitment_id = 'ucoc'`,
    );
    expect(row!.search_history.match(/ratified/g)).toHaveLength(1);
  });

  it('a rebuild writes the same search texts as the live projection', async () => {
    const written: Record<string, unknown>[] = [];
    const replay = commitmentsProjection.replay!();
    const write = async (table: string, _columns: unknown, rows: readonly object[]) => {
      if (table === 'commitments') written.push(...(rows as Record<string, unknown>[]));
    };
    await replay.add(history, database.sql, (name) => name, write as never);
    await replay.finish(database.sql, (name) => name, write as never);
    const stored = await database.sql<{ commitment_id: string; search_text: string; search_history: string }>(
      'select commitment_id, search_text, search_history from commitments order by commitment_id',
    );
    expect(
      written
        .map((row) => ({ commitment_id: row.commitmentId, search_text: row.searchText, search_history: row.searchHistory }))
        .sort((a, b) => String(a.commitment_id).localeCompare(String(b.commitment_id))),
    ).toEqual(stored);
  });

  it('whatever is typed, the query is well formed and matches what its words match', async () => {
    const signs = [`'`, '"', '&', '|', '!', ':', '*', '(', ')', '\\', '<', '>', '-', ' ', 'é', '²', '日本'];
    const words = ['ratif', 'board', 'the', 'a'];
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let attempt = 0; attempt < 150; attempt++) {
      let typed = '';
      for (let part = 0; part < 1 + random(8); part++)
        typed += random(3) === 0 ? words[random(words.length)] : signs[random(signs.length)];
      const wordsOnly = (typed.match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');
      expect({ typed, found: await found(typed) }).toEqual({ typed, found: await found(wordsOnly) });
    }
    expect(searchQueryOf(`ratif'):* | !(`)).toBe('ratif:*');
    expect(searchQueryOf('!!! ::')).toBeNull();
  });

  it('counts each facet under every other filter, over all the values it knows', async () => {
    const { facets } = await list({ topic: 'policy' });
    // The policy commitment with a progress report is in progress (a progress report starts work).
    expect(facets.status).toEqual([
      { value: 'dropped', count: 1 },
      { value: 'in_progress', count: 1 },
      { value: 'announced', count: 0 },
    ]);
    // The topic facet ignores its own filter.
    expect(facets.topic).toEqual([
      { value: 'Policy', count: 2 },
      { value: 'Elections', count: 1 },
      { value: 'Human rights', count: 1 },
      { value: 'UCoC', count: 1 },
    ]);
    expect(facets.owner).toEqual([
      { value: 'Legal', count: 1 },
      { value: 'Trust & Safety', count: 1 },
      { value: 'Board', count: 0 },
    ]);
    expect(facets.session).toEqual([
      { value: 's-2020', count: 2 },
      { value: 's-2022', count: 1 },
    ]);
    const dropped = await list({ status: ['dropped'], q: 'policy' });
    expect(dropped.rows.map((row) => row.commitmentId)).toEqual(['hire']);
    expect(dropped.facets.status).toEqual([
      { value: 'dropped', count: 1 },
      { value: 'in_progress', count: 1 },
      { value: 'announced', count: 0 },
    ]);
    expect((await list({ status: ['in_progress', 'dropped'], session: 'S-2022' })).rows.map((row) => row.commitmentId)).toEqual([
      'ucoc',
    ]);
  });

  it('a past list is filtered, searched and counted by the same SQL as the live one', async () => {
    const everything = new CommitmentsAsOfFold('occurred', '9999-01-01T00:00:00.000Z');
    everything.add(history);
    const now = commitmentsAsOfSource(everything.result().views);
    for (const filters of [
      { q: 'ratif' },
      { topic: 'POLICY' },
      { status: ['dropped' as const] },
      { session: 's-2022', q: 'train' },
    ]) {
      const live = await list(filters);
      const past = await listCommitments(database.sql, { page: 1, pageSize: 25, ...filters }, '2023-01-01', undefined, now);
      expect(past).toEqual(live);
    }
    const before = new CommitmentsAsOfFold('occurred', '2021-06-01T00:00:00.000Z');
    before.add(history);
    const then = commitmentsAsOfSource(before.result().views);
    const ratified = await listCommitments(database.sql, { page: 1, pageSize: 25, q: 'ratif' }, '2021-05-31', undefined, then);
    expect(ratified.rows.map((row) => row.commitmentId)).toEqual(['ucoc']);
    const training = await listCommitments(database.sql, { page: 1, pageSize: 25, q: 'training' }, '2021-05-31', undefined, then);
    expect(training.total).toBe(0);
    expect(before.result().revisits).toEqual([]);
  });
});
