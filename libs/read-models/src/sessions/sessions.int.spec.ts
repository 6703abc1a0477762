import type { RecordedEvent } from '#event-store';
import { sessionStreamId, type SessionEvent } from '#governance';
import { commitmentsProjection } from '../commitments/commitments.projection.js';
import { readModelMigrations } from '../migrations/index.js';
import { openReadModelDatabase } from '../testing/read-model-database.js';
import { dayStart, testEventLog } from '../testing/test-event-log.js';
import { sessionsProjection } from './sessions.projection.js';
import { getSession, listSessions } from './sessions.queries.js';

const log = testEventLog();
const recorded = (streamId: string, revision: number, event: { type: string; data: unknown }): RecordedEvent =>
  log.record(streamId, event, { occurredAt: dayStart('2022-01-10'), revision });
const session = (id: string, date: string, revision = 0, event?: SessionEvent) =>
  recorded(
    sessionStreamId(id),
    revision,
    event ?? {
      type: 'SessionRecorded',
      data: { sessionId: id, date, title: `Office hour ${date}`, kind: 'office_hour', hosts: [], sourceUrl: 'https://x.org' },
    },
  );
const made = (id: string, sessionId: string) =>
  recorded(`commitment-${id}`, 0, {
    type: 'CommitmentMade',
    data: {
      commitmentId: id,
      sessionId,
      sessionDate: '2022-01-10',
      speaker: { name: 'Patrick', role: null },
      ownerTeam: 'Legal',
      topics: ['UCoC'],
      summary: id,
      quote: 'We will.',
      target: null,
      strength: 'plan',
    },
  });

describe('the sessions read model', () => {
  let database: Awaited<ReturnType<typeof openReadModelDatabase>>;

  beforeAll(async () => {
    database = await openReadModelDatabase(readModelMigrations);
    const history = [
      session('early', '2022-01-10'),
      session('late', '2022-03-10'),
      session('late', '2022-03-10', 1, { type: 'SessionCorrected', data: { changes: { title: 'Board Q&A' }, reason: 'typo' } }),
      made('a', 'early'),
      made('b', 'early'),
    ];
    await sessionsProjection.apply(history, database.sql, (name) => name);
    await commitmentsProjection.apply(history, database.sql, (name) => name);
  });
  afterAll(() => database.close());

  it('reads one session as corrected, and null for one never recorded', async () => {
    expect(await getSession(database.sql, 'late')).toMatchObject({ date: '2022-03-10', title: 'Board Q&A', revision: 1 });
    expect(await getSession(database.sql, 'missing')).toBeNull();
  });

  it('lists sessions latest first, with the commitments each made', async () => {
    const listed = await listSessions(database.sql);
    expect(listed.map(({ session, made, revisited }) => [session.sessionId, made, revisited])).toEqual([
      ['late', 0, 0],
      ['early', 2, 0],
    ]);
  });
});
