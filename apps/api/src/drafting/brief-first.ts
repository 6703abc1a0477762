import { Inject, Injectable } from '@nestjs/common';
import { getUpcomingSession, type Sql } from '#read-models';
import { READ_SQL, type ReadSql } from '#storage';
import { BriefService } from '../brief/brief-service.js';
import type { Draft, RevisitSuggestion } from './draft.js';
import { revisitSuggestionsFor } from './revisit-suggestions.js';

/** How many suggestions a statement is offered, and how deep in the ranking a brief's item is still looked for. */
export const OFFERED_REVISITS = 3;
const RANKING_DEPTH = 20;

/**
 * Each item's suggestions with the brief's commitments first (by their rank among themselves),
 * then the others as ranked, at most `limit`. Pure, and apart from the ranking: the scores and
 * confidences stay the ranker's own; only the order and the `inBrief` mark are added.
 */
export function briefFirst(
  ranked: ReadonlyMap<string, readonly RevisitSuggestion[]>,
  briefIds: ReadonlySet<string>,
  limit = OFFERED_REVISITS,
): Map<string, RevisitSuggestion[]> {
  return new Map(
    [...ranked].map(([item, suggestions]) => {
      const inBrief = suggestions.filter((one) => briefIds.has(one.commitmentId)).map((one) => ({ ...one, inBrief: true }));
      const others = suggestions.filter((one) => !briefIds.has(one.commitmentId));
      return [item, [...inBrief, ...others].slice(0, limit)];
    }),
  );
}

/** The announced session the notes are of: the one with the draft's id, else the one still to come on the draft's day. */
async function announcedSessionOf(sql: Sql, draft: Draft): Promise<string | null> {
  const byId = await getUpcomingSession(sql, draft.session.id.value);
  if (byId && byId.status !== 'cancelled') return byId.sessionId;
  if (draft.session.date.value === null) return null;
  const [row] = await sql<{ session_id: string }>(
    `select session_id from upcoming_sessions where date = $1::date and status = 'scheduled' order by session_id limit 1`,
    [draft.session.date.value],
  );
  return row?.session_id ?? null;
}

/**
 * What the drafting assistant offers for notes: the draft, under the announced session's id when
 * the notes are of one (so its import records that session as held), and each statement's
 * likely revisits with that session's brief first.
 */
@Injectable()
export class BriefFirstSuggestions {
  constructor(
    @Inject(READ_SQL) private readonly sql: ReadSql,
    private readonly briefs: BriefService,
  ) {}

  async of(drafted: Draft): Promise<{ draft: Draft; suggestions: ReadonlyMap<string, readonly RevisitSuggestion[]> }> {
    const announced = await announcedSessionOf(this.sql, drafted);
    const draft: Draft = announced
      ? { ...drafted, session: { ...drafted.session, id: { value: announced, confidence: 1 } } }
      : drafted;
    const ranked = await revisitSuggestionsFor(this.sql, draft, announced ? RANKING_DEPTH : OFFERED_REVISITS);
    if (!announced) return { draft, suggestions: ranked };
    const inBrief = new Set((await this.briefs.revisitTargetsFor(announced)).map((item) => item.id));
    return { draft, suggestions: briefFirst(ranked, inBrief) };
  }
}
