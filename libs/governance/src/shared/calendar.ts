import { RuleViolationError } from './decider.js';

/** A day as people say it, `YYYY-MM-DD`. Compared as text: the format sorts by date. */
export type CalendarDate = string;

// Year 0000 is a day to JavaScript (1 BC) but not to PostgreSQL's date and timestamptz input: refused.
const CALENDAR_DATE = /^(?!0000)\d{4}-\d{2}-\d{2}$/;
const EARLIEST_INSTANT = Date.parse('0001-01-01T00:00:00Z');

export function isCalendarDate(value: string): value is CalendarDate {
  if (!CALENDAR_DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

// RFC 3339: a calendar day, hours 00-23, minutes and seconds 00-59, a zone of Z or ±hh:mm (hh 00-23).
const TIMESTAMP =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

export const TIMESTAMP_RULE = 'must be an ISO 8601 timestamp with a time zone, e.g. 2022-08-18T13:00:00Z';
export const CALENDAR_DATE_RULE = 'must be a date written YYYY-MM-DD';

/** An instant written `YYYY-MM-DDThh:mm[:ss[.fraction]]` with `Z` or `±hh:mm`, on a day that exists; nothing rolls over. */
export function isTimestamp(value: string): boolean {
  const match = TIMESTAMP.exec(value);
  // An offset can carry 0001-01-01 back into year 0 (UTC), which PostgreSQL cannot store either.
  return match !== null && isCalendarDate(match[1]!) && Date.parse(value) >= EARLIEST_INSTANT;
}

/** The instant a day starts (UTC): how an event known only by its day is dated. */
export const dayStart = (date: CalendarDate): string => `${date}T00:00:00.000Z`;

/** The form `toISOString` writes, the log's usual one: `YYYY-MM-DDThh:mm:ss.sssZ`. */
const UTC_ISO = /^(\d{4})-(\d{2})-(\d{2})T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

const daysInMonth = (year: number, month: number) =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/**
 * The UTC day of an ISO 8601 timestamp. Written as `toISOString` writes it, on a day that exists,
 * that is its first ten characters: read so without a Date (a rebuild asks for every event's day).
 */
export function dayOf(timestamp: string): CalendarDate {
  const utc = UTC_ISO.exec(timestamp);
  if (utc) {
    const [month, day] = [Number(utc[2]), Number(utc[3])];
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(utc[1]), month)) return timestamp.slice(0, 10);
  }
  return new Date(timestamp).toISOString().slice(0, 10);
}

export function requireNotInFuture(occurredAt: string, now: string): void {
  if (Date.parse(occurredAt) > Date.parse(now)) {
    throw new RuleViolationError(`It cannot have happened on ${occurredAt}: that is after now (${now}).`, 'occurredAt');
  }
}
