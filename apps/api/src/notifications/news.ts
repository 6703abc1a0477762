import type { RecordedEvent } from '#event-store';
import { commitmentIdOfStream, isNews } from '#governance';
import { applyToCommitmentView, type CommitmentView } from '#read-models';

/** What can be followed: one commitment, a team's, a topic's, or a session's (made or revisited there). */
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

/** Which events the notifier must look at: news on a commitment (the domain's one definition of news). */
export const isCommitmentNews = (event: RecordedEvent): boolean =>
  commitmentIdOfStream(event.streamId) !== null && isNews(event.type);

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
