import type { RecordedEvent } from '#event-store';
import { sessionStreamId, type SessionEvent } from '#governance';
import { commitmentsProjection } from '../commitments/commitments.projection.js';
import { ReadModels1763800000000 } from '../migrations/1763800000000-read-models.js';
import { EnglishSearch1764460000000 } from '../migrations/1764460000000-english-search.js';
import { openReadModelDatabase } from '../testing/read-model-database.js';
import { sessionsProjection } from './sessions.projection.js';
import { getSession, listSessions } from './sessions.queries.js';

let position = 0;
const recorded = (streamId: string, revision: number, event: { type: string; data: unknown }): RecordedEvent => {
  position++;
  return {
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    type: event.type,
    data: event.data as RecordedEvent['data'],
    metadata: {
      actor: 'ana',
      occurredAt: '2022-01-10T00:00:00.000Z',
      recordedAt: '2022-01-10T00:00:00.000Z',
      correlationId: 'c',
      causationId: null,
      schemaVersion: 1,
    },
    streamId,
    revision,
    position: `00000000000000000100/${String(position).padStart(19, '0')}` as RecordedEvent['position'],
  };
};
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
    database = await openReadModelDatabase([ReadModels1763800000000, EnglishSearch1764460000000]);
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
