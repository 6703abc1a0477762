import { suggestRevisits, type Sql } from '#read-models';
import type { Draft, RevisitSuggestion } from './draft.js';

/**
 * Each candidate's likely revisits: the open commitments of other sessions whose words its quote
 * and the question it answers share most, best first.
 */
export async function revisitSuggestionsFor(
  sql: Sql,
  draft: Draft,
  limit = 3,
): Promise<ReadonlyMap<string, readonly RevisitSuggestion[]>> {
  const texts = draft.candidates.map((candidate) => `${candidate.quote.text} ${candidate.question?.text ?? ''}`);
  const matches = await suggestRevisits(sql, texts, { excludeSession: draft.session.id.value, limit });
  return new Map(
    draft.candidates.map((candidate, index) => [
      candidate.id,
      (matches[index] ?? []).map(({ commitmentId, summary, score }) => ({ commitmentId, summary, score })),
    ]),
  );
}
