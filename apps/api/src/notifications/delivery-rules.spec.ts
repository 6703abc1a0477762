import { randomUUID } from 'node:crypto';
import type { LogPosition, RecordedEvent } from '#event-store';
import { isCommitmentNews, isSessionNewsEvent, newsOf, sessionNewsOf } from './news.js';
import { nextDigestAt, retryDelayMs } from './sender.js';

const recorded = (revision: number, type: string, data: Record<string, unknown>): RecordedEvent => ({
  id: randomUUID(),
  type,
  data,
  streamId: 'commitment-c1',
  revision,
  position: `${String(revision + 1).padStart(20, '0')}/0` as LogPosition,
  metadata: {
    actor: 'test',
    occurredAt: `2026-01-0${revision + 1}T10:00:00.000Z`,
    recordedAt: `2026-01-0${revision + 1}T10:00:00.000Z`,
    correlationId: randomUUID(),
    causationId: null,
    schemaVersion: 1,
  },
});

describe('what a follower is told', () => {
  const made = recorded(0, 'CommitmentMade', {
    commitmentId: 'c1',
    sessionId: 's1',
    sessionDate: '2025-12-10',
    speaker: { name: 'Patrick', role: null },
    ownerTeam: 'Research',
    topics: ['Grants'],
    summary: 'Publish the report',
    quote: 'We will.',
    target: null,
    strength: 'plan',
  });
  const corrected = recorded(1, 'CommitmentCorrected', { changes: { ownerTeam: 'Trust & Safety' }, reason: 'Wrong team' });
  const revisited = recorded(2, 'CommitmentRevisited', {
    sessionId: 's2',
    sessionDate: '2026-01-03',
    statement: 'Still on it',
    quote: null,
    speaker: null,
    newTarget: null,
    previousTarget: null,
  });
  const history = [made, corrected, revisited];

  it('is news only for the domain’s news events on a commitment', () => {
    expect([made, corrected, revisited].map(isCommitmentNews)).toEqual([true, false, true]);
    expect(isCommitmentNews({ ...revisited, streamId: 'session-s1' })).toBe(false);
  });

  it('tells a change as the commitment stood right after it, whatever came later', () => {
    expect(newsOf(history, revisited)).toEqual(
      expect.objectContaining({
        text: 'Revisited: Still on it',
        ownerTeam: 'Trust & Safety',
        sessions: ['s1', 's2'],
        status: 'announced',
        revision: 2,
      }),
    );
    expect(newsOf(history, made)).toEqual(expect.objectContaining({ ownerTeam: 'Research', sessions: ['s1'] }));
  });
});

describe('what a follower of an announced session is told', () => {
  const inSession = (revision: number, type: string, data: Record<string, unknown>): RecordedEvent => ({
    ...recorded(revision, type, data),
    streamId: 'session-s9',
  });
  const scheduled = inSession(0, 'SessionScheduled', {
    sessionId: 's9',
    date: '2030-12-10',
    title: 'Office hours',
    hosts: [{ name: 'Maggie Dennis', role: null }],
    teams: ['Legal'],
  });
  const newHosts = inSession(1, 'SessionRescheduled', {
    changes: { hosts: [{ name: 'X', role: null }] },
    reason: 'Another host',
  });
  const moved = inSession(2, 'SessionRescheduled', { changes: { date: '2030-12-17' }, reason: 'A week later' });
  const cancelled = inSession(3, 'SessionCancelled', { reason: 'Host unavailable' });
  const plan = [scheduled, newHosts, moved, cancelled];

  it('is told of its announcement, a new day and its cancellation only', () => {
    expect(plan.map(isSessionNewsEvent)).toEqual([true, false, true, true]);
    expect(isSessionNewsEvent({ ...scheduled, streamId: 'commitment-c1' })).toBe(false);
  });

  it('tells a move from the day it moved from, as the plan stood right after it', () => {
    expect(sessionNewsOf(plan, scheduled)).toEqual(
      expect.objectContaining({ text: 'Announced for 10 Dec 2030.', previousDate: null, reason: null, teams: ['Legal'] }),
    );
    expect(sessionNewsOf(plan, moved)).toEqual(
      expect.objectContaining({
        text: 'Moved from 10 Dec 2030 to 17 Dec 2030: A week later',
        date: '2030-12-17',
        previousDate: '2030-12-10',
        hosts: [{ name: 'X', role: null }],
        status: 'scheduled',
      }),
    );
    expect(sessionNewsOf(plan, cancelled)).toEqual(
      expect.objectContaining({ text: 'Cancelled (it was planned for 17 Dec 2030): Host unavailable', status: 'cancelled' }),
    );
    expect(sessionNewsOf([scheduled], moved)).toBeNull();
  });
});

describe('when to send', () => {
  it('backs off exponentially, with jitter between half and all of the step, up to a ceiling', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 1000, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 1000, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect(retryDelayMs(40, 1000, () => 1)).toBe(6 * 3_600_000);
  });

  it('sends a digest at the next digest hour', () => {
    expect(nextDigestAt(new Date('2026-12-01T05:00:00Z'), 7).toISOString()).toBe('2026-12-01T07:00:00.000Z');
    expect(nextDigestAt(new Date('2026-12-01T07:00:00Z'), 7).toISOString()).toBe('2026-12-02T07:00:00.000Z');
    expect(nextDigestAt(new Date('2026-12-31T23:30:00Z'), 0).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});
