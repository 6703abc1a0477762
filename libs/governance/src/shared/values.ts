import type { CalendarDate } from './calendar.js';

export interface Person {
  readonly name: string;
  /** As given in the notes, e.g. "Vice President of Community Resilience and Sustainability". */
  readonly role: string | null;
}

/**
 * The target in the speaker's words, and the window of days those words allow: "January or
 * February 2021" is 2021-01-01 … 2021-02-28. No latest day for "soon"; no earliest day where the
 * words name only an end ("by mid-September"), and on targets recorded before windows existed.
 */
export interface Target {
  readonly asSaid: string;
  /** Absent on events stored before targets had windows: read as null. */
  readonly earliestDate?: CalendarDate | null;
  readonly latestDate: CalendarDate | null;
}

/** The first day of a target's window: its earliest day, or its latest when it names only that. */
export const windowStart = (target: Pick<Target, 'earliestDate' | 'latestDate'> | null): CalendarDate | null =>
  target?.earliestDate ?? target?.latestDate ?? null;

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

/** How a slip was announced: while the target still stood (an extension) or after it had passed (a late slip). */
export const SLIP_KINDS = ['extension', 'late_slip'] as const;
export type SlipKind = (typeof SLIP_KINDS)[number];

/**
 * A slip announced on or before the previous target's latest day is an extension; one announced
 * after that day had passed is a late slip. Null when the change is not a slip at all.
 */
export function slipKind(previous: Target | null, next: Target | null, announcedOn: CalendarDate): SlipKind | null {
  if (!isSlip(previous, next)) return null;
  return announcedOn <= previous!.latestDate! ? 'extension' : 'late_slip';
}

export function sameTarget(a: Target | null, b: Target | null): boolean {
  return a?.asSaid === b?.asSaid && a?.latestDate === b?.latestDate && (a?.earliestDate ?? null) === (b?.earliestDate ?? null);
}

/** JSON with every object's keys sorted: a value stored as jsonb comes back with its keys in another order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value ?? null, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );

/** Equal as recorded data, whatever the order of keys; a missing value equals null. */
export const sameRecordedValue = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);
