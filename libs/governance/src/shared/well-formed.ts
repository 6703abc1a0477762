import { CALENDAR_DATE_RULE, TIMESTAMP_RULE, isCalendarDate, isTimestamp } from './calendar.js';
import { RuleViolationError } from './decider.js';
import type { Person, Target } from './values.js';

/** Ids chosen for sessions and commitments (and every reference to one). */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,99}$/;
export const ID_RULE = 'must be 2 to 100 lower-case letters, digits or dashes, starting with a letter or digit';

export function isWellFormedId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

// NUL, or half of a UTF-16 surrogate pair standing alone: neither can be stored as text (jsonb refuses both).
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const CLEAN_TEXT_RULE = 'must not contain a NUL character or a lone UTF-16 surrogate';

/** Text that can be stored and shown: no NUL, no lone surrogate. */
export function isCleanText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/**
 * A value of a command that is not well formed (HTTP 400): the last line of defence, so that
 * nothing a projection cannot apply is ever appended, whichever path the command came by.
 */
export class InvalidValueError extends RuleViolationError {
  override readonly name: string = 'InvalidValueError';

  constructor(
    override readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`, field);
  }
}

const invalid = (field: string, reason: string): never => {
  throw new InvalidValueError(field, reason);
};

export function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireObject(value: unknown, field: string, fields: readonly string[]): Readonly<Record<string, unknown>> {
  if (!isPlainObject(value)) return invalid(field, Array.isArray(value) ? 'must be an object, not a list' : 'must be an object');
  const unknown = Object.keys(value).find((key) => !fields.includes(key));
  if (unknown !== undefined) invalid(field === '' ? unknown : `${field}.${unknown}`, 'is not a known field');
  return value;
}

export function requireId(value: unknown, field: string): void {
  if (!isWellFormedId(value)) invalid(field, ID_RULE);
}

export function requireText(value: unknown, field: string): void {
  if (typeof value !== 'string') invalid(field, 'must be text');
  else if (!isCleanText(value)) invalid(field, CLEAN_TEXT_RULE);
}

export function requireTextOrNull(value: unknown, field: string): void {
  if (value !== null && value !== undefined) requireText(value, field);
}

export function requireTextList(value: unknown, field: string): void {
  if (!Array.isArray(value)) return invalid(field, 'must be a list');
  value.forEach((item, index) => requireText(item, `${field}[${index}]`));
}

export function requireCalendarDate(value: unknown, field: string): void {
  if (typeof value !== 'string' || !isCalendarDate(value)) invalid(field, CALENDAR_DATE_RULE);
}

export function requireTimestamp(value: unknown, field: string): void {
  if (typeof value !== 'string' || !isTimestamp(value)) invalid(field, TIMESTAMP_RULE);
}

export function requireOneOf(value: unknown, allowed: readonly string[], field: string): void {
  if (typeof value !== 'string' || !allowed.includes(value)) invalid(field, `must be one of ${allowed.join(', ')}`);
}

/** `{ name, role }`: a name, and the role as given or null. */
export function requirePerson(value: unknown, field: string): asserts value is Person {
  const person = requireObject(value, field, ['name', 'role']);
  requireText(person.name, `${field}.name`);
  if ((person.name as string).trim() === '') invalid(`${field}.name`, 'should not be empty');
  if (person.role !== null) requireText(person.role, `${field}.role`);
}

/**
 * `{ asSaid, earliestDate?, latestDate }`: the words, and the window's days (each a calendar day
 * or null). An earliest day needs a latest one on or after it.
 */
export function requireTarget(value: unknown, field: string): asserts value is Target {
  const target = requireObject(value, field, ['asSaid', 'earliestDate', 'latestDate']);
  requireText(target.asSaid, `${field}.asSaid`);
  if ((target.asSaid as string).trim() === '') invalid(`${field}.asSaid`, 'should not be empty');
  if (target.latestDate !== null) requireCalendarDate(target.latestDate, `${field}.latestDate`);
  if (target.earliestDate === undefined || target.earliestDate === null) return;
  requireCalendarDate(target.earliestDate, `${field}.earliestDate`);
  if (target.latestDate === null) invalid(`${field}.earliestDate`, 'needs a latestDate: a window has a last day');
  else if ((target.earliestDate as string) > (target.latestDate as string))
    invalid(`${field}.earliestDate`, `must not be after the latestDate ${target.latestDate as string}`);
}

export function requirePersonOrNull(value: unknown, field: string): void {
  if (value !== null) requirePerson(value, field);
}

export function requireTargetOrNull(value: unknown, field: string): void {
  if (value !== null) requireTarget(value, field);
}

/** When and at what time a command says it happened and was issued. */
export function requireCommandTimes(command: { readonly occurredAt: unknown; readonly now: unknown }): void {
  requireTimestamp(command.occurredAt, 'occurredAt');
  requireTimestamp(command.now, 'now');
}
