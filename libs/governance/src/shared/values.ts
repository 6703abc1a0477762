import type { CalendarDate } from './calendar.js';

export interface Person {
  readonly name: string;
  /** As given in the notes, e.g. "Vice President of Community Resilience and Sustainability". */
  readonly role: string | null;
}

/** The target in the speaker's words, and the latest day those words allow (none for "soon"). */
export interface Target {
  readonly asSaid: string;
  readonly latestDate: CalendarDate | null;
}

export const STRENGTHS = ['firm', 'plan', 'hope', 'follow_up', 'vague'] as const;
export type Strength = (typeof STRENGTHS)[number];

export const SESSION_KINDS = ['office_hour', 'conversation_hour', 'board_qa', 'other'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

/** What the command handler knows about a session a command refers to; `null` when none was recorded. */
export interface SessionFacts {
  readonly sessionId: string;
  readonly date: CalendarDate;
}

/** A later or vaguer target counts as a slip; a date named where there was none does not. */
export function isSlip(previous: Target | null, next: Target | null): boolean {
  if (previous?.latestDate == null) return false;
  return next?.latestDate == null || next.latestDate > previous.latestDate;
}

export function sameTarget(a: Target | null, b: Target | null): boolean {
  return a?.asSaid === b?.asSaid && a?.latestDate === b?.latestDate;
}
