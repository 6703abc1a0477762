import {
  IllegalStateError,
  InvalidValueError,
  RuleViolationError,
  SESSION_KINDS,
  assertNever,
  dayOf,
  dayStart,
  requireCalendarDate,
  requireCommandTimes,
  requireId,
  requireNotInFuture,
  requireObject,
  requireOneOf,
  requirePerson,
  requireText,
  type CalendarDate,
  type Decider,
  type DomainCommand,
  type DomainEvent,
  type Person,
  type SessionKind,
} from '../shared/index.js';

export * from './session.news.js';

export interface SessionDetails {
  readonly date: CalendarDate;
  readonly title: string;
  readonly kind: SessionKind;
  readonly hosts: readonly Person[];
  /** Link to the published notes. */
  readonly sourceUrl: string;
}

const SESSION_STREAM = 'session-';
export const sessionStreamId = (sessionId: string) => `${SESSION_STREAM}${sessionId}`;
/** The session a stream belongs to, or null for another aggregate's stream. */
export const sessionIdOfStream = (streamId: string): string | null =>
  streamId.startsWith(SESSION_STREAM) ? streamId.slice(SESSION_STREAM.length) : null;

/** The instant events said in a session are dated: the start (UTC) of its day. */
export const sessionDayStart = (date: CalendarDate): string => dayStart(date);

/**
 * The one rule of a session's day against the clock: it is recorded (as held) once its day has
 * come, and scheduled (announced) while its day has not passed. On the day itself, both.
 */
export const sessionDayHasCome = (date: CalendarDate, now: string): boolean => date <= dayOf(now);
export const sessionDayHasPassed = (date: CalendarDate, now: string): boolean => date < dayOf(now);

/** What is announced of a session before it is held: its day, its title, its hosts and the teams it will hear from. */
export interface UpcomingSessionDetails {
  readonly date: CalendarDate;
  readonly title: string;
  readonly hosts: readonly Person[];
  /** Teams named for its brief, besides the hosts' own; may be empty. */
  readonly teams: readonly string[];
}

/** The most teams an upcoming session names. */
export const UPCOMING_TEAMS_LIMIT = 20;

// Events
export type SessionRecorded = DomainEvent<'SessionRecorded', { readonly sessionId: string } & SessionDetails>;
export type SessionCorrected = DomainEvent<
  'SessionCorrected',
  { readonly changes: Partial<SessionDetails>; readonly reason: string }
>;
/** A session announced before its day. */
export type SessionScheduled = DomainEvent<'SessionScheduled', { readonly sessionId: string } & UpcomingSessionDetails>;
/** Its plan changed (another day, other hosts or teams): not an editorial correction, the plan itself moved. */
export type SessionRescheduled = DomainEvent<
  'SessionRescheduled',
  { readonly changes: Partial<UpcomingSessionDetails>; readonly reason: string }
>;
export type SessionCancelled = DomainEvent<'SessionCancelled', { readonly reason: string }>;
export type SessionEvent = SessionRecorded | SessionCorrected | SessionScheduled | SessionRescheduled | SessionCancelled;
/** Every session event type: the compiler asks for a new one here. */
const SESSION_EVENT_TYPE_SET = {
  SessionRecorded: true,
  SessionCorrected: true,
  SessionScheduled: true,
  SessionRescheduled: true,
  SessionCancelled: true,
} as const satisfies Record<SessionEvent['type'], true>;
export const SESSION_EVENT_TYPES = Object.keys(SESSION_EVENT_TYPE_SET) as SessionEvent['type'][];

// Commands
export type RecordSession = DomainCommand<'RecordSession', { readonly sessionId: string } & SessionDetails>;
export type CorrectSession = DomainCommand<
  'CorrectSession',
  {
    readonly changes: Partial<SessionDetails>;
    readonly reason: string;
    /**
     * How many commitments were made or revisited in the session: what it said is dated by its
     * day. A fact the caller looks up; `null` when it was not, which a new date may not rely on.
     */
    readonly commitmentsDatedByIt: number | null;
  }
>;
export type ScheduleSession = DomainCommand<'ScheduleSession', { readonly sessionId: string } & UpcomingSessionDetails>;
export type RescheduleSession = DomainCommand<
  'RescheduleSession',
  { readonly changes: Partial<UpcomingSessionDetails>; readonly reason: string }
>;
export type CancelSession = DomainCommand<'CancelSession', { readonly reason: string }>;
export type SessionCommand = RecordSession | CorrectSession | ScheduleSession | RescheduleSession | CancelSession;

// State
export type SessionState =
  | { readonly status: 'not_recorded' }
  | ({ readonly status: 'scheduled'; readonly sessionId: string } & UpcomingSessionDetails)
  | ({ readonly status: 'cancelled'; readonly sessionId: string; readonly reason: string } & UpcomingSessionDetails)
  | ({ readonly status: 'recorded'; readonly sessionId: string } & SessionDetails);

export const initialSessionState: SessionState = { status: 'not_recorded' };

export function evolveSession(state: SessionState, event: SessionEvent): SessionState {
  switch (event.type) {
    case 'SessionRecorded':
      return { status: 'recorded', ...event.data };
    case 'SessionCorrected':
      return state.status === 'recorded' ? { ...state, ...event.data.changes } : state;
    case 'SessionScheduled':
      return { status: 'scheduled', ...event.data };
    case 'SessionRescheduled':
      return state.status === 'scheduled' ? { ...state, ...event.data.changes } : state;
    case 'SessionCancelled':
      return state.status === 'scheduled' ? { ...state, status: 'cancelled', reason: event.data.reason } : state;
    default:
      return assertNever(event);
  }
}

export function decideSession(command: SessionCommand, state: SessionState): readonly SessionEvent[] {
  requireWellFormedSessionCommand(command);
  switch (command.type) {
    case 'RecordSession': {
      if (state.status === 'recorded') throw new IllegalStateError(`Session ${state.sessionId} is already recorded.`);
      if (state.status === 'cancelled')
        throw new IllegalStateError(`Session ${state.sessionId} was cancelled (${state.reason}); it cannot be recorded as held.`);
      // A scheduled session is recorded as held under its own id: its brief and announcements lead to its record.
      requireSessionDateNotInFuture(command.data.date, command.now);
      requireNotInFuture(command.occurredAt, command.now);
      return [{ type: 'SessionRecorded', data: command.data }];
    }
    case 'ScheduleSession': {
      requireNotInFuture(command.occurredAt, command.now);
      if (state.status !== 'not_recorded') throw new IllegalStateError(`Session ${state.sessionId} is already ${state.status}.`);
      requireDayNotPassed(command.data.date, command.now, 'date');
      return [{ type: 'SessionScheduled', data: command.data }];
    }
    case 'RescheduleSession': {
      requireNotInFuture(command.occurredAt, command.now);
      if (state.status !== 'scheduled')
        throw new IllegalStateError(
          state.status === 'not_recorded'
            ? 'Only a scheduled session can be rescheduled.'
            : `Session ${state.sessionId} is ${state.status}: only a scheduled session can be rescheduled.`,
        );
      const changes = changedFields(state, command.data.changes);
      if (Object.keys(changes).length === 0)
        throw new RuleViolationError('The rescheduling changes nothing: every value given is already planned.');
      if (changes.date !== undefined) requireDayNotPassed(changes.date, command.now, 'changes.date');
      return [{ type: 'SessionRescheduled', data: { changes, reason: command.data.reason } }];
    }
    case 'CancelSession': {
      requireNotInFuture(command.occurredAt, command.now);
      if (state.status !== 'scheduled')
        throw new IllegalStateError(
          state.status === 'not_recorded'
            ? 'Only a scheduled session can be cancelled.'
            : `Session ${state.sessionId} is ${state.status}: only a scheduled session can be cancelled.`,
        );
      return [{ type: 'SessionCancelled', data: { reason: command.data.reason } }];
    }
    case 'CorrectSession': {
      requireNotInFuture(command.occurredAt, command.now);
      if (state.status !== 'recorded') throw new IllegalStateError('Only a recorded session can be corrected.');
      const changes = changedFields(state, command.data.changes);
      if (Object.keys(changes).length === 0) {
        throw new RuleViolationError('The correction changes nothing: every value given is already recorded.');
      }
      if (changes.date !== undefined) {
        requireSessionDateNotInFuture(changes.date, command.now);
        requireNothingDatedBy(command.data.commitmentsDatedByIt);
      }
      return [{ type: 'SessionCorrected', data: { changes, reason: command.data.reason } }];
    }
    default:
      return assertNever(command);
  }
}

export const sessionDecider: Decider<SessionCommand, SessionEvent, SessionState> = {
  initialState: initialSessionState,
  decide: decideSession,
  evolve: evolveSession,
};

/** The fields of an upcoming session's details. */
export const UPCOMING_SESSION_FIELDS: readonly (keyof UpcomingSessionDetails)[] = ['date', 'title', 'hosts', 'teams'];

/** The fields of a session's details. */
export const SESSION_DETAIL_FIELDS: readonly (keyof SessionDetails)[] = ['date', 'title', 'kind', 'hosts', 'sourceUrl'];

const detailChecks: { readonly [Field in keyof SessionDetails]: (value: unknown, field: string) => void } = {
  date: requireCalendarDate,
  title: requireText,
  kind: (value, field) => requireOneOf(value, SESSION_KINDS, field),
  hosts: (value, field) => {
    if (!Array.isArray(value) || value.length === 0) throw new InvalidValueError(field, 'must be a list of at least one person');
    value.forEach((host, index) => requirePerson(host, `${field}[${index}]`));
  },
  sourceUrl: requireText,
};

const upcomingChecks: { readonly [Field in keyof UpcomingSessionDetails]: (value: unknown, field: string) => void } = {
  date: detailChecks.date,
  title: detailChecks.title,
  hosts: detailChecks.hosts,
  teams: (value, field) => {
    if (!Array.isArray(value) || value.length > UPCOMING_TEAMS_LIMIT)
      throw new InvalidValueError(field, `must be a list of at most ${UPCOMING_TEAMS_LIMIT} team names`);
    value.forEach((team, index) => requireText(team, `${field}[${index}]`));
  },
};

/** Nothing that is not well formed reaches the log, whoever sent the command. */
function requireWellFormedSessionCommand(command: SessionCommand): void {
  requireCommandTimes(command);
  switch (command.type) {
    case 'RecordSession': {
      const data = requireObject(command.data, '', ['sessionId', ...SESSION_DETAIL_FIELDS]);
      requireId(data.sessionId, 'sessionId');
      for (const field of SESSION_DETAIL_FIELDS) detailChecks[field](data[field], field);
      return;
    }
    case 'CorrectSession': {
      const data = requireObject(command.data, '', ['changes', 'reason', 'commitmentsDatedByIt']);
      const changes = requireObject(data.changes, 'changes', SESSION_DETAIL_FIELDS);
      for (const field of SESSION_DETAIL_FIELDS) {
        if (changes[field] !== undefined) detailChecks[field](changes[field], `changes.${field}`);
      }
      requireText(data.reason, 'reason');
      const dated = data.commitmentsDatedByIt;
      if (dated !== null && !(Number.isSafeInteger(dated) && (dated as number) >= 0))
        throw new InvalidValueError('commitmentsDatedByIt', 'must be a count of commitments, or null');
      return;
    }
    case 'ScheduleSession': {
      const data = requireObject(command.data, '', ['sessionId', ...UPCOMING_SESSION_FIELDS]);
      requireId(data.sessionId, 'sessionId');
      for (const field of UPCOMING_SESSION_FIELDS) upcomingChecks[field](data[field], field);
      return;
    }
    case 'RescheduleSession': {
      const data = requireObject(command.data, '', ['changes', 'reason']);
      const changes = requireObject(data.changes, 'changes', UPCOMING_SESSION_FIELDS);
      for (const field of UPCOMING_SESSION_FIELDS) {
        if (changes[field] !== undefined) upcomingChecks[field](changes[field], `changes.${field}`);
      }
      requireText(data.reason, 'reason');
      return;
    }
    case 'CancelSession': {
      const data = requireObject(command.data, '', ['reason']);
      requireText(data.reason, 'reason');
      return;
    }
    default:
      return assertNever(command);
  }
}

/**
 * What was said in a session is dated by its day, in every commitment's history: moving the day
 * under them would make the record contradict itself (made on one day, in a session held on another).
 */
function requireNothingDatedBy(commitmentsDatedByIt: number | null): void {
  if (commitmentsDatedByIt === null)
    throw new IllegalStateError('A session’s date can be corrected only once it is known what is dated by it.');
  if (commitmentsDatedByIt > 0) {
    const count = commitmentsDatedByIt === 1 ? '1 commitment was' : `${commitmentsDatedByIt} commitments were`;
    throw new RuleViolationError(
      `The date of this session cannot be corrected: ${count} made or revisited in it and ${commitmentsDatedByIt === 1 ? 'is' : 'are'} dated by it. ` +
        'Its commitments would say they were made on a day the session was not held.',
      'changes.date',
    );
  }
}

function requireSessionDateNotInFuture(date: CalendarDate, now: string): void {
  if (!sessionDayHasCome(date, now))
    throw new RuleViolationError(
      `A session cannot be recorded before it happens: ${date} is in the future. Schedule it to announce it.`,
    );
}

function requireDayNotPassed(date: CalendarDate, now: string, field: string): void {
  if (sessionDayHasPassed(date, now))
    throw new RuleViolationError(
      `A session is scheduled before its day: ${date} has passed. A session that was held is recorded instead.`,
      field,
    );
}

function changedFields<Details extends object>(current: Details, proposed: Partial<Details>): Partial<Details> {
  const entries = Object.entries(proposed).filter(
    ([field, value]) => value !== undefined && JSON.stringify(value) !== JSON.stringify(current[field as keyof Details]),
  );
  return Object.fromEntries(entries) as Partial<Details>;
}
