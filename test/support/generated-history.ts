import { randomUUID } from 'node:crypto';
import { commitmentStreamId, sessionStreamId, type CommitmentEvent, type SessionEvent } from '#governance';
import type { EventStore, LogPosition, NewEvent } from '#event-store';

const metadata = (occurredAt: string, recordedAt: string) => ({
  actor: 'generator',
  occurredAt,
  recordedAt,
  correlationId: randomUUID(),
  causationId: null,
  schemaVersion: 1,
});
const event = (domain: CommitmentEvent | SessionEvent, occurredAt: string): NewEvent => ({
  id: randomUUID(),
  type: domain.type,
  data: domain.data as NewEvent['data'],
  metadata: metadata(occurredAt, '2026-11-01T00:00:00.000Z'),
});

/**
 * A deterministic-shaped history: `sessions` sessions (and every fourth announced, rescheduled or
 * cancelled) and `commitments` commitments with a
 * mix of revisits, progress, re-targets, outcomes, reopenings, links and supersessions by several, appended
 * as the api would (not checked by the decider: a superseded one may also be delivered).
 */
export async function appendGeneratedHistory(
  store: EventStore,
  prefix: string,
  sessions: number,
  commitments: number,
): Promise<{ readonly events: number; readonly sessionEvents: number; readonly lastPosition: LogPosition }> {
  let appended = 0;
  let lastPosition = '' as LogPosition;
  const sessionDates = Array.from({ length: sessions }, (_, index) => `20${20 + (index % 5)}-0${1 + (index % 9)}-1${index % 10}`);
  for (let index = 0; index < sessions; index++) {
    const session: SessionEvent = {
      type: 'SessionRecorded',
      data: {
        sessionId: `${prefix}-s${index}`,
        date: sessionDates[index]!,
        title: `Session ${index}`,
        kind: 'office_hour',
        hosts: [{ name: 'Host', role: null }],
        sourceUrl: 'https://example.org/notes',
      },
    };
    lastPosition = await appendAt(
      store,
      sessionStreamId(`${prefix}-s${index}`),
      [event(session, `${sessionDates[index]}T00:00:00.000Z`)],
      'no_stream',
    );
    appended++;
  }
  // Sessions announced before their day: some rescheduled, some cancelled, none held yet.
  let sessionEvents = sessions;
  for (let index = 0; index < sessions; index += 4) {
    const sessionId = `${prefix}-u${index}`;
    const plan: SessionEvent = {
      type: 'SessionScheduled',
      data: {
        sessionId,
        date: '2027-02-1' + (index % 10),
        title: `Upcoming ${index}`,
        hosts: [{ name: 'Host', role: null }],
        teams: ['Team 1'],
      },
    };
    const later: SessionEvent[] =
      index % 8 === 0
        ? [{ type: 'SessionRescheduled', data: { changes: { date: '2027-03-01' }, reason: 'Clashes with the Board meeting' } }]
        : [{ type: 'SessionCancelled', data: { reason: 'Replaced by the Board Q&A' } }];
    lastPosition = await appendAt(
      store,
      sessionStreamId(sessionId),
      [plan, ...later].map((domain) => event(domain, '2026-11-20T10:00:00.000Z')),
      'no_stream',
    );
    appended += 1 + later.length;
    sessionEvents += 1 + later.length;
  }
  for (let index = 0; index < commitments; index++) {
    const commitmentId = `${prefix}-c${index}`;
    const sessionDate = sessionDates[index % sessions]!;
    const target = { asSaid: 'next quarter', latestDate: `${Number(sessionDate.slice(0, 4)) + 1}-03-31` };
    const later = { asSaid: 'later that year', latestDate: `${Number(sessionDate.slice(0, 4)) + 1}-12-31` };
    const history: CommitmentEvent[] = [
      {
        type: 'CommitmentMade',
        data: {
          commitmentId,
          sessionId: `${prefix}-s${index % sessions}`,
          sessionDate,
          speaker: { name: `Speaker ${index % 7}`, role: 'Staff' },
          ownerTeam: `Team ${index % 5}`,
          topics: [`Topic ${index % 3}`],
          summary: `Commitment number ${index}`,
          quote: `We will do thing ${index}.`,
          target,
          strength: 'plan',
        },
      },
      { type: 'ProgressReported', data: { note: 'Moving', evidence: ['https://example.org/e'] } },
      { type: 'WorkStarted', data: { note: null } },
      { type: 'CommitmentRetargeted', data: { previousTarget: target, newTarget: later, reason: 'Slipped' } },
      { type: 'ProgressReported', data: { note: 'Still moving', evidence: [] } },
    ];
    if (index % 3 === 0)
      history.push({ type: 'CommitmentDelivered', data: { completeness: 'full', note: 'Done', evidence: [] } });
    if (index % 3 === 1) history.push({ type: 'CommitmentDropped', data: { reason: 'deprioritised', explanation: 'No budget' } });
    if (index % 6 === 1) history.push({ type: 'CommitmentReopened', data: { reason: 'Back on' } });
    if (index % 4 === 0)
      history.push({
        type: 'CommitmentCorrected',
        data: { changes: { summary: `Commitment ${index}, corrected` }, reason: 'Typo' },
      });
    // Links to earlier commitments, so the links read model has rows too.
    if (index % 5 === 2)
      history.push({
        type: 'CommitmentLinked',
        data: { linkedTo: `${prefix}-c${index - 1}`, relation: 'follows_up', note: null },
      });
    if (index % 6 === 0 && index > 0)
      history.push({
        type: 'CommitmentSuperseded',
        data: { supersededBy: `${prefix}-c${index - 1}`, alsoSupersededBy: [`${prefix}-c${index - 2}`], note: 'Replaced' },
      });
    const occurred = `${sessionDate}T12:00:00.000Z`;
    // Two appends per commitment, as separate commands would make them.
    await store.append(
      commitmentStreamId(commitmentId),
      history.slice(0, 2).map((domain) => event(domain, occurred)),
      'no_stream',
    );
    lastPosition = await appendAt(
      store,
      commitmentStreamId(commitmentId),
      history.slice(2).map((domain) => event(domain, occurred)),
      1,
    );
    appended += history.length;
  }
  return { events: appended, sessionEvents, lastPosition };
}

async function appendAt(
  store: EventStore,
  streamId: string,
  events: readonly NewEvent[],
  expected: 'no_stream' | number,
): Promise<LogPosition> {
  return (await store.append(streamId, events, expected)).position;
}
