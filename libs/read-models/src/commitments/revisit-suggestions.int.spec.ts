import type { RecordedEvent } from '#event-store';
import { commitmentStreamId, type CommitmentEvent } from '#governance';
import { readModelMigrations } from '../migrations/index.js';
import { openReadModelDatabase } from '../testing/read-model-database.js';
import { dayStart, testEventLog } from '../testing/test-event-log.js';
import { commitmentsProjection } from './commitments.projection.js';
import { suggestRevisits } from './commitments.queries.js';

const log = testEventLog();
const made = (id: string, sessionId: string, summary: string, quote: string, topics: string[]): RecordedEvent =>
  log.record(
    commitmentStreamId(id),
    {
      type: 'CommitmentMade',
      data: {
        commitmentId: id,
        sessionId,
        sessionDate: '2020-12-10',
        speaker: { name: 'Patrick', role: null },
        ownerTeam: 'Trust & Safety',
        topics,
        summary,
        quote,
        target: null,
        strength: 'plan',
      },
    } satisfies CommitmentEvent,
    { occurredAt: dayStart('2020-12-10') },
  );

const history = [
  made(
    'phase-2-start',
    's-2020',
    'Phase 2 of the code of conduct starts in January or February.',
    'We are planning to start in January or February.',
    ['code of conduct'],
  ),
  made('hire', 's-2020', 'A human rights lead is hired soon.', 'So close.', ['human rights']),
  made('training', 's-2020', 'Training for mediators in many languages.', 'Training to help the people doing mediation.', [
    'training',
  ]),
  made('closed', 's-2020', 'Mediators training budget in the spring.', 'Budget season comes in the Spring.', ['training']),
  made('same-session', 's-2022', 'Mediators get training in the new session.', 'We will train mediators.', ['training']),
  log.record(
    commitmentStreamId('closed'),
    { type: 'CommitmentDelivered', data: { completeness: 'full', note: 'Done', evidence: [] } },
    { occurredAt: dayStart('2021-06-01') },
  ),
];

describe('suggested revisits: open commitments of other sessions, ranked by shared words', () => {
  let database: Awaited<ReturnType<typeof openReadModelDatabase>>;

  beforeAll(async () => {
    database = await openReadModelDatabase(readModelMigrations);
    await commitmentsProjection.apply(history, database.sql, (name) => name);
  }, 60_000);
  afterAll(() => database?.close());

  it('ranks the commitment sharing the rarest words first, with a score, for each text in one call', async () => {
    const [phase, training, nothing] = await suggestRevisits(
      database.sql,
      [
        'When does phase 2 of the code of conduct start? It started.',
        'More training for mediators, in more languages',
        'zzz qqq',
      ],
      { excludeSession: 's-2022', limit: 3 },
    );
    expect(phase![0]).toMatchObject({ commitmentId: 'phase-2-start', index: 0 });
    expect(phase![0]!.score).toBeGreaterThan(0);
    expect(phase![0]!.score).toBeLessThanOrEqual(1);
    expect(training!.map((match) => match.commitmentId)).toEqual(['training']);
    expect(nothing).toEqual([]);
  });

  it('leaves out closed commitments and those of the session being drafted, and keeps to the limit', async () => {
    const [training] = await suggestRevisits(database.sql, ['mediators training budget spring'], {
      excludeSession: 's-2022',
      limit: 1,
    });
    expect(training!.map((match) => match.commitmentId)).toEqual(['training']);
    const [withSession] = await suggestRevisits(database.sql, ['mediators training'], { limit: 5 });
    expect(withSession!.map((match) => match.commitmentId).sort()).toEqual(['same-session', 'training']);
  });

  it('takes the texts as parameters: quotes and SQL-looking words are only words', async () => {
    const [odd] = await suggestRevisits(database.sql, ["training'); drop table commitments; --"], {});
    expect(odd!.map((match) => match.commitmentId)).toContain('training');
    expect((await database.sql('select count(*)::int as n from commitments'))[0]).toEqual({ n: 5 });
  });
});
