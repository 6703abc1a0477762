import type { RecordedEvent } from '#event-store';
import { sessionStreamId, type SessionEvent } from '#governance';
import { commitmentsProjection } from '../commitments/commitments.projection.js';
import { readModelMigrations } from '../migrations/index.js';
import { openReadModelDatabase } from '../testing/read-model-database.js';
import { dayStart, testEventLog } from '../testing/test-event-log.js';
import { sessionsProjection } from './sessions.projection.js';
import { getSession, getUpcomingSession, listSessions, listUpcomingSessions } from './sessions.queries.js';

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

const plan = { title: 'Conversation hour', hosts: [{ name: 'Maggie Dennis', role: null }], teams: ['Legal'] };
const upcoming = [
  session('soon', '', 0, { type: 'SessionScheduled', data: { sessionId: 'soon', date: '2022-04-10', ...plan } }),
  session('soon', '', 1, {
    type: 'SessionRescheduled',
    data: { changes: { date: '2022-04-17', teams: ['Legal', 'Trust & Safety'] }, reason: 'moved' },
  }),
  session('off', '', 0, { type: 'SessionScheduled', data: { sessionId: 'off', date: '2022-05-01', ...plan } }),
  session('off', '', 1, { type: 'SessionCancelled', data: { reason: 'Host unavailable' } }),
  session('held', '', 0, { type: 'SessionScheduled', data: { sessionId: 'held', date: '2022-02-01', ...plan } }),
  session('held', '2022-02-01', 1),
];

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
      ...upcoming,
    ];
    await sessionsProjection.apply(history, database.sql, (name) => name);
    await commitmentsProjection.apply(history, database.sql, (name) => name);
  });
  afterAll(() => database.close());

  it('reads one session as corrected, and null for one never recorded', async () => {
    expect(await getSession(database.sql, 'late')).toMatchObject({ date: '2022-03-10', title: 'Board Q&A', revision: 1 });
    expect(await getSession(database.sql, 'missing')).toBeNull();
  });

  it('lists recorded sessions latest first, with the commitments each made; announced ones only once held', async () => {
    const listed = await listSessions(database.sql);
    expect(listed.map(({ session, made, revisited }) => [session.sessionId, made, revisited])).toEqual([
      ['late', 0, 0],
      ['held', 0, 0],
      ['early', 2, 0],
    ]);
    expect(await getSession(database.sql, 'soon')).toBeNull();
  });

  it('keeps every announced session as planned, and what became of it', async () => {
    expect(await getUpcomingSession(database.sql, 'soon')).toMatchObject({
      date: '2022-04-17',
      teams: ['Legal', 'Trust & Safety'],
      status: 'scheduled',
      revision: 1,
    });
    expect(await getUpcomingSession(database.sql, 'off')).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Host unavailable',
    });
    expect((await listUpcomingSessions(database.sql)).map((s) => [s.sessionId, s.status])).toEqual([
      ['off', 'cancelled'],
      ['soon', 'scheduled'],
      ['held', 'held'],
    ]);
    expect((await listUpcomingSessions(database.sql, { status: 'scheduled' })).map((s) => s.sessionId)).toEqual(['soon']);
  });
});
