import type { SessionKind, Strength } from '#governance';

/** How sure the drafter is of a value, 0..1: a reviewer's cue, never a fact. */
export type Confidence = number;

export interface Guess<Value> {
  readonly value: Value;
  readonly confidence: Confidence;
}

export interface DraftPerson {
  readonly name: string;
  readonly role: string | null;
}

/**
 * A target read from the words said. `earliestDate` is the start of the window ("January or
 * February" starts on 1 January); either end is null when the words allow no day.
 */
export interface DraftTarget {
  readonly asSaid: string;
  readonly earliestDate: string | null;
  readonly latestDate: string | null;
  readonly confidence: Confidence;
}

/** A span of the notes: `notes.slice(start, end) === text`. */
export interface NotesSpan {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface DraftStrength {
  readonly value: Strength;
  /** The words in the quote that decided the strength, as they appear there. */
  readonly decidingWords: string;
  readonly confidence: Confidence;
}

export interface DraftCandidate {
  /** Stable within one draft, and a valid commitment id (the session id plus a number). */
  readonly id: string;
  readonly quote: NotesSpan;
  /** The question it answers, when it answers one: context only, never a source of the promise. */
  readonly question: NotesSpan | null;
  readonly section: string | null;
  readonly speaker: Guess<DraftPerson>;
  readonly ownerTeam: Guess<string>;
  readonly strength: DraftStrength;
  readonly target: DraftTarget | null;
  /** How likely this is a commitment at all. */
  readonly confidence: Confidence;
}

export interface DraftSession {
  readonly id: Guess<string>;
  readonly date: Guess<string | null>;
  readonly title: Guess<string>;
  readonly kind: Guess<SessionKind>;
  readonly hosts: Guess<readonly DraftPerson[]>;
  readonly sourceUrl: Guess<string | null>;
}

/**
 * A sentence of the notes that commits no one to anything new but may report on an earlier
 * promise ("A lot of months of hard work are behind us."): offered as a revisit of an existing
 * commitment when one matches it well, never as a new commitment.
 */
export interface DraftStatement {
  /** Stable within one draft. */
  readonly id: string;
  readonly quote: NotesSpan;
  readonly question: NotesSpan | null;
  readonly section: string | null;
  readonly speaker: Guess<DraftPerson>;
}

export interface Draft {
  readonly format: 'text' | 'wikitext';
  readonly session: DraftSession;
  readonly candidates: readonly DraftCandidate[];
  /** The other sentences of the answers (and of the opening), for revisits only. */
  readonly statements: readonly DraftStatement[];
}

/** An existing open commitment a candidate or statement probably speaks about. */
export interface RevisitSuggestion {
  readonly commitmentId: string;
  readonly summary: string;
  /** The share of the statement's weighted words the commitment matches, 0..1. */
  readonly score: number;
  /** How sure the suggestion is, 0..1: the score, discounted when the next one is close or the match rests on the context. */
  readonly confidence: Confidence;
  /** Listed in the brief of the session the notes are of: offered before the others. */
  readonly inBrief?: boolean;
}
