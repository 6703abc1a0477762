import type { Strength } from '#governance';
import type { SessionFile } from '../session-files/session-file.js';
import type { Draft, DraftCandidate, RevisitSuggestion } from './draft.js';
import { notesStructure } from './notes-structure.js';

/**
 * The drafter measured against a session's record: which recorded quotes a candidate covers
 * (recall), which candidates cover a recorded quote (precision), and, where both name them,
 * whether strength and target agree. A candidate covers a quote when they share at least half
 * of the shorter of the two.
 */

export interface DraftScore {
  readonly recorded: number;
  /** Recorded quotes not found verbatim in the notes (counted as missed). */
  readonly unlocated: readonly string[];
  readonly found: number;
  readonly missed: readonly string[];
  readonly candidates: number;
  /** Candidates covering a recorded commitment's or revisit's quote. */
  readonly relevant: number;
  readonly strengthsCompared: number;
  readonly strengthsAgree: number;
  readonly targetsCompared: number;
  readonly targetsAgree: number;
  readonly targetDisagreements: readonly string[];
  /** Per recorded commitment found: recorded and drafted strength, where they differ, for reading. */
  readonly strengthDisagreements: readonly string[];
  /** Candidates covering no recorded quote, for reading. */
  readonly irrelevant: readonly string[];
}

interface Span {
  readonly start: number;
  readonly end: number;
}

const overlaps = (a: Span, b: Span) =>
  Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start)) >= 0.5 * Math.min(a.end - a.start, b.end - b.start);

const locate = (notes: string, quote: string): Span | null => {
  const start = notes.indexOf(quote);
  return start < 0 ? null : { start, end: start + quote.length };
};

export function scoreDraft(notes: string, draft: Draft, record: SessionFile): DraftScore {
  const commitments = record.commitments ?? [];
  const revisitQuotes = (record.revisits ?? []).flatMap((revisit) => (revisit.quote ? [revisit.quote] : []));
  const spanOf = (candidate: DraftCandidate): Span => candidate.quote;
  const unlocated: string[] = [];
  const missed: string[] = [];
  let found = 0;
  let strengthsCompared = 0;
  let strengthsAgree = 0;
  let targetsCompared = 0;
  let targetsAgree = 0;
  const targetDisagreements: string[] = [];
  const strengthDisagreements: string[] = [];
  for (const made of commitments) {
    const at = locate(notes, made.quote);
    if (!at) {
      unlocated.push(made.id);
      missed.push(made.id);
      continue;
    }
    const match = draft.candidates.find((candidate) => overlaps(spanOf(candidate), at));
    if (!match) {
      missed.push(made.id);
      continue;
    }
    found++;
    strengthsCompared++;
    if (match.strength.value === (made.strength as Strength)) strengthsAgree++;
    else
      strengthDisagreements.push(
        `${made.id}: recorded ${made.strength}, drafted ${match.strength.value} (“${match.strength.decidingWords}”)`,
      );
    const recorded = made.target?.latestDate ?? null;
    const drafted = match.target?.latestDate ?? null;
    if (made.target || match.target) {
      targetsCompared++;
      if (recorded === drafted) targetsAgree++;
      else targetDisagreements.push(`${made.id}: recorded ${recorded ?? 'no date'}, drafted ${drafted ?? 'no date'}`);
    }
  }
  const recordedSpans = [...commitments.map((made) => made.quote), ...revisitQuotes]
    .map((quote) => locate(notes, quote))
    .filter((span): span is Span => span !== null);
  const isRelevant = (candidate: DraftCandidate) => recordedSpans.some((span) => overlaps(spanOf(candidate), span));
  const relevant = draft.candidates.filter(isRelevant).length;
  return {
    recorded: commitments.length,
    unlocated,
    found,
    missed,
    candidates: draft.candidates.length,
    relevant,
    strengthsCompared,
    strengthsAgree,
    targetsCompared,
    targetsAgree,
    targetDisagreements,
    strengthDisagreements,
    irrelevant: draft.candidates
      .filter((candidate) => !isRelevant(candidate))
      .map((candidate) => `${candidate.strength.value} (“${candidate.strength.decidingWords}”): ${candidate.quote.text}`),
  };
}

export interface RevisitScore {
  readonly recorded: number;
  readonly inTopThree: number;
  readonly missed: readonly string[];
  /** Statements (sentences committing nothing new) whose best suggestion is at least `noteworthy` sure. */
  readonly statementsOffered: number;
  /** Of those, the ones covering a recorded revisit's quote with that revisit's commitment first. */
  readonly statementsRight: number;
  /** The statements offered, with their best suggestion, for reading. */
  readonly offered: readonly { readonly said: string; readonly best: RevisitSuggestion }[];
  /** Per recorded revisit: the drafted item covering its quote and that item's top 3, for reading. */
  readonly details: readonly {
    readonly commitment: string;
    readonly found: boolean;
    readonly covering: string | null;
    readonly topThree: readonly RevisitSuggestion[];
    /** Where the recorded commitment ranks (1-based) in each item of the pool, or "-" when not suggested. */
    readonly ranks: readonly string[];
  }[];
}

/**
 * For each revisit the record holds, whether the draft suggests its commitment in the top 3 of
 * the candidate or statement covering its quote, or of a candidate answering the same question
 * (the review page shows those together). The question a quote answers is read from the notes'
 * structure, as the drafter reads it.
 */
export function scoreRevisits(
  notes: string,
  draft: Draft,
  record: SessionFile,
  suggestions: ReadonlyMap<string, readonly RevisitSuggestion[]>,
  noteworthy = 0.4,
): RevisitScore {
  const missed: string[] = [];
  const details: RevisitScore['details'][number][] = [];
  let inTopThree = 0;
  const revisits = record.revisits ?? [];
  const lines = notesStructure(notes).lines;
  for (const revisit of revisits) {
    const at = revisit.quote ? locate(notes, revisit.quote) : null;
    const covering = at ? [...draft.candidates, ...draft.statements].filter((item) => overlaps(item.quote, at)) : [];
    const asked = at ? lines.find((line) => line.body.start <= at.start && at.start < line.body.end)?.question : null;
    const sameQuestion = asked ? draft.candidates.filter((candidate) => candidate.question?.start === asked.start) : [];
    const pool = [...covering, ...sameQuestion];
    const hit = pool.some((item) =>
      (suggestions.get(item.id) ?? []).slice(0, 3).some((suggestion) => suggestion.commitmentId === revisit.commitment),
    );
    if (hit) inTopThree++;
    else missed.push(revisit.commitment);
    details.push({
      commitment: revisit.commitment,
      found: hit,
      covering: covering[0]?.quote.text ?? null,
      topThree: covering[0] ? (suggestions.get(covering[0].id) ?? []).slice(0, 3) : [],
      ranks: pool.map((item) => {
        const rank = (suggestions.get(item.id) ?? []).findIndex((suggestion) => suggestion.commitmentId === revisit.commitment);
        return `${rank < 0 ? '-' : rank + 1} “${item.quote.text.slice(0, 40)}”`;
      }),
    });
  }
  const offered = draft.statements.filter((statement) => (suggestions.get(statement.id)?.[0]?.confidence ?? 0) >= noteworthy);
  const statementsRight = offered.filter((statement) =>
    revisits.some((revisit) => {
      const at = revisit.quote ? locate(notes, revisit.quote) : null;
      return at && overlaps(statement.quote, at) && suggestions.get(statement.id)?.[0]?.commitmentId === revisit.commitment;
    }),
  ).length;
  return {
    recorded: revisits.length,
    inTopThree,
    missed,
    statementsOffered: offered.length,
    statementsRight,
    offered: offered.map((statement) => ({ said: statement.quote.text, best: suggestions.get(statement.id)![0]! })),
    details,
  };
}
