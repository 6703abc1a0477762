import type { RecordedEvent } from '#event-store';
import {
  commitmentIdOfStream,
  evolveSession,
  initialSessionState,
  isNews,
  isSessionNews,
  sessionIdOfStream,
  type SessionEvent,
  type SessionState,
} from '#governance';
import { applyToCommitmentView, type CommitmentView } from '#read-models';
import { dayInWords } from '../pages/words.js';

/**
 * What can be followed: one commitment, a team's, a topic's, or a session's (made or revisited
 * there). A team's followers and a session's are also told of an announced session that names
 * the team, or of that session: announced, moved, cancelled.
 */
export const SCOPE_KINDS = ['commitment', 'team', 'topic', 'session'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];
export interface Scope {
  readonly kind: ScopeKind;
  readonly value: string;
}

/** One piece of news as followers are told it: stored once, when the notifier meets its event. */
export interface NewsItem {
  readonly eventId: string;
  readonly eventType: string;
  readonly position: string;
  readonly commitmentId: string;
  readonly revision: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  /** The line of the commitment's history, as its page shows it. */
  readonly text: string;
  readonly summary: string;
  readonly status: string;
  readonly ownerTeam: string;
  readonly topics: readonly string[];
  /** The sessions it was made or revisited in. */
  readonly sessions: readonly string[];
}

/** A piece of news about an announced session, told to its followers and those of the teams it names. */
export interface SessionNewsItem {
  readonly about: 'session';
  readonly eventId: string;
  readonly eventType: string;
  readonly position: string;
  readonly sessionId: string;
  readonly revision: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  /** What happened, in a line: announced for a day, moved from one day to another, called off. */
  readonly text: string;
  readonly title: string;
  /** Its day as planned after the event. */
  readonly date: string;
  /** Its day before a move; null otherwise. */
  readonly previousDate: string | null;
  readonly hosts: readonly { readonly name: string; readonly role: string | null }[];
  readonly teams: readonly string[];
  readonly status: 'scheduled' | 'cancelled';
  /** The reason given for a move or a cancellation. */
  readonly reason: string | null;
}

/** What the notifier stores and the sender tells: news of a commitment, or of an announced session. */
export type Notice = NewsItem | SessionNewsItem;

/** Stored news of commitments predates `about`: only session news carries it. */
export const isAboutSession = (notice: Notice): notice is SessionNewsItem => (notice as SessionNewsItem).about === 'session';

/** Which events the notifier must look at: news on a commitment (the domain's one definition of news). */
export const isCommitmentNews = (event: RecordedEvent): boolean =>
  commitmentIdOfStream(event.streamId) !== null && isNews(event.type);

/** News of a session: announced, moved to another day, cancelled (the domain's `isSessionNews`). */
export const isSessionNewsEvent = (event: RecordedEvent): boolean =>
  sessionIdOfStream(event.streamId) !== null && isSessionNews(event);

/**
 * The news a session event is, told from the session's history up to it (folded by the domain's
 * own evolve), so a move names the day it moved from. Null when the history does not reach it or
 * it leaves no plan (an event that is not news).
 */
export function sessionNewsOf(history: readonly RecordedEvent[], event: RecordedEvent): SessionNewsItem | null {
  let before: SessionState = initialSessionState;
  let after: SessionState | null = null;
  for (const recorded of history) {
    if (recorded.revision > event.revision) break;
    const next = evolveSession(before, recorded as unknown as SessionEvent);
    if (recorded.id === event.id) after = next;
    else before = next;
  }
  if (after === null || (after.status !== 'scheduled' && after.status !== 'cancelled')) return null;
  const day = dayInWords(after.date);
  const data = event.data as { readonly reason?: string };
  const reason = event.type === 'SessionScheduled' ? null : (data.reason ?? null);
  const previousDate = before.status === 'scheduled' && before.date !== after.date ? before.date : null;
  const text =
    event.type === 'SessionCancelled'
      ? `Cancelled (it was planned for ${day}): ${reason ?? ''}`
      : previousDate !== null
        ? `Moved from ${dayInWords(previousDate)} to ${day}: ${reason ?? ''}`
        : `Announced for ${day}.`;
  return {
    about: 'session',
    eventId: event.id,
    eventType: event.type,
    position: event.position,
    sessionId: after.sessionId,
    revision: event.revision,
    occurredAt: event.metadata.occurredAt,
    recordedAt: event.metadata.recordedAt,
    text,
    title: after.title,
    date: after.date,
    previousDate,
    hosts: after.hosts.map((host) => ({ name: host.name, role: host.role ?? null })),
    teams: after.teams,
    status: after.status,
    reason,
  };
}

/**
 * The news an event is, told from its commitment's history up to and including it (one stream
 * read, folded by the read model's own pure fold), so what a follower is told does not depend on
 * how far any projection has got. Null when the history does not reach the event.
 */
export function newsOf(history: readonly RecordedEvent[], event: RecordedEvent): NewsItem | null {
  let view: CommitmentView | null = null;
  let text: string | null = null;
  for (const recorded of history) {
    if (recorded.revision > event.revision) break;
    const applied = applyToCommitmentView(view, recorded);
    view = applied.view;
    if (recorded.id === event.id) text = applied.entry?.text ?? null;
  }
  if (!view || text === null) return null;
  return {
    eventId: event.id,
    eventType: event.type,
    position: event.position,
    commitmentId: view.commitmentId,
    revision: event.revision,
    occurredAt: event.metadata.occurredAt,
    recordedAt: event.metadata.recordedAt,
    text,
    summary: view.summary,
    status: view.status,
    ownerTeam: view.ownerTeam,
    topics: view.topics,
    sessions: [...new Set([view.sessionId, ...view.revisitedIn])],
  };
}
