import { assertNever, type CommitmentEvent } from '#governance';
import type { CommitmentView } from './commitment-view.js';

/** The text search configuration: English stemming, so "election" finds "elections". */
export const SEARCH_CONFIG = 'english';

/** The words a commitment is found by today: what was promised, by whom, for whom, about what. */
export const searchTextOf = (view: CommitmentView): string =>
  [view.summary, view.quote, view.note ?? '', view.speakerName, view.speakerRole ?? '', view.ownerTeam, ...view.topics].join(' ');

/**
 * The words an event adds to a commitment's history for search: what later sessions and staff
 * said about it. Corrections and links are bookkeeping: their reasons describe the record, not the promise.
 */
export function historyWordsOf(event: CommitmentEvent): string[] {
  switch (event.type) {
    case 'CommitmentMade':
    case 'CommitmentCorrected':
    case 'CommitmentLinked':
      return [];
    case 'CommitmentRevisited':
      return [event.data.statement, event.data.quote ?? '', event.data.newTarget?.asSaid ?? ''];
    case 'ProgressReported':
      return [event.data.note];
    case 'WorkStarted':
      return [event.data.note ?? ''];
    case 'CommitmentRetargeted':
      return [event.data.reason, event.data.newTarget.asSaid];
    case 'CommitmentDelivered':
      return [event.data.note];
    case 'CommitmentDropped':
      return [event.data.explanation];
    case 'CommitmentSuperseded':
    case 'CommitmentSplit':
    case 'CommitmentMerged':
      return [event.data.note];
    case 'CommitmentReopened':
      return [event.data.reason];
    default:
      return assertNever(event);
  }
}

/** History words, appended: each event's once, in log order. */
export const withHistoryWords = (history: string, event: CommitmentEvent): string =>
  [history, ...historyWordsOf(event)].filter((words) => words.trim() !== '').join('\n');

/** At most this many words are searched for: the query stays small whatever is typed. */
const MAX_SEARCH_WORDS = 16;

/**
 * What a reader typed, as a `to_tsquery` text that cannot be malformed: only runs of letters and
 * digits survive (every operator, quote, colon, parenthesis and backslash is a separator), each
 * matched as a prefix ("ratif" finds "ratified"), all of them required. Null when no word is left.
 * The result still travels as a parameter, never inside the statement.
 */
export function searchQueryOf(typed: string): string | null {
  const words =
    typed
      .normalize('NFC')
      .match(/[\p{L}\p{N}]+/gu)
      ?.slice(0, MAX_SEARCH_WORDS) ?? [];
  return words.length === 0 ? null : words.map((word) => `${word}:*`).join(' & ');
}

/**
 * The search condition over a `commitments`-shaped row with a `search` vector; `query` is the
 * parameter holding `searchQueryOf`'s text. Stop words alone ("the") leave an empty query, which
 * filters nothing rather than everything.
 */
export const searchSql = (query: string, alias = '') =>
  `(numnode(to_tsquery('${SEARCH_CONFIG}', ${query})) = 0 or ${alias}search @@ to_tsquery('${SEARCH_CONFIG}', ${query}))`;

/** The search vector of a row's two texts: today's words weigh more than the history's. */
export const searchVectorSql = (alias = '') =>
  `setweight(to_tsvector('${SEARCH_CONFIG}', ${alias}search_text), 'A') || setweight(to_tsvector('${SEARCH_CONFIG}', ${alias}search_history), 'B')`;
