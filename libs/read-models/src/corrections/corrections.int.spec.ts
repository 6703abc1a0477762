import type { RecordedEvent } from '#event-store';
import { readModelMigrations } from '../migrations/index.js';
import { openReadModelDatabase } from '../testing/read-model-database.js';
import { testEventLog } from '../testing/test-event-log.js';
import { correctionsProjection } from './corrections.projection.js';
import { latestCorrections, listCorrections } from './corrections.queries.js';

const log = testEventLog({ actor: 'ed' });
const recorded = (streamId: string, revision: number, type: string, data: object, recordedAt: string): RecordedEvent =>
  log.record(streamId, { type, data }, { occurredAt: recordedAt, revision });
const made = (id: string) =>
  recorded(
    `commitment-${id}`,
    0,
    'CommitmentMade',
    {
      commitmentId: id,
      sessionId: 's1',
      sessionDate: '2021-01-01',
      speaker: { name: 'Pat', role: null },
      ownerTeam: 'Team',
      topics: ['a'],
      summary: `Summary of ${id}`,
      quote: 'We will',
      target: null,
      strength: 'plan',
    },
    '2022-01-01T00:00:00.000Z',
  );
const corrected = (id: string, revision: number, summary: string, day: string) =>
  recorded(`commitment-${id}`, revision, 'CommitmentCorrected', { changes: { summary }, reason: 'typo' }, `${day}T00:00:00.000Z`);

describe('the corrections read model', () => {
  let database: Awaited<ReturnType<typeof openReadModelDatabase>>;

  beforeAll(async () => {
    database = await openReadModelDatabase(readModelMigrations);
    const history = [
      made('a'),
      made('b'),
      corrected('a', 1, 'First fix of a', '2022-02-01'),
      corrected('b', 1, 'Fix of b', '2022-03-01'),
      corrected('a', 2, 'Second fix of a', '2022-04-01'),
    ];
    await correctionsProjection.apply(history, database.sql, (name) => name);
  });
  afterAll(() => database.close());

  it('pages corrections newest first and counts them all, for every subject or one', async () => {
    const first = await listCorrections(database.sql, null, 1, 2);
    expect(first.total).toBe(3);
    expect(first.rows.map((row) => row.subjectTitle)).toEqual(['Second fix of a', 'Fix of b']);
    expect((await listCorrections(database.sql, null, 2, 2)).rows.map((row) => row.subjectTitle)).toEqual(['First fix of a']);
    const ofA = await listCorrections(database.sql, { kind: 'commitment', id: 'a' }, 1, 50);
    expect(ofA.total).toBe(2);
    expect(ofA.rows[1]).toMatchObject({
      recordedAt: '2022-02-01T00:00:00.000Z',
      changes: [{ field: 'summary', from: 'Summary of a', to: 'First fix of a' }],
    });
  });

  it('the feed takes the latest few', async () => {
    expect((await latestCorrections(database.sql, null, 1)).map((row) => row.subjectTitle)).toEqual(['Second fix of a']);
  });
});
