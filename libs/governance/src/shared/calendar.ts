import { RuleViolationError } from './decider.js';

/** A day as people say it, `YYYY-MM-DD`. Compared as text: the format sorts by date. */
export type CalendarDate = string;

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isCalendarDate(value: string): value is CalendarDate {
  if (!CALENDAR_DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/** The UTC day of an ISO 8601 timestamp. */
export function dayOf(timestamp: string): CalendarDate {
  return new Date(timestamp).toISOString().slice(0, 10);
}

export function requireNotInFuture(occurredAt: string, now: string): void {
  if (Date.parse(occurredAt) > Date.parse(now)) {
    throw new RuleViolationError(`It cannot have happened on ${occurredAt}: that is after now (${now}).`, 'occurredAt');
  }
}
