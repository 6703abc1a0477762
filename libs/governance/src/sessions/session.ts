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

// Events
export type SessionRecorded = DomainEvent<'SessionRecorded', { readonly sessionId: string } & SessionDetails>;
export type SessionCorrected = DomainEvent<
  'SessionCorrected',
  { readonly changes: Partial<SessionDetails>; readonly reason: string }
>;
export type SessionEvent = SessionRecorded | SessionCorrected;
/** Every session event type. */
export const SESSION_EVENT_TYPES = ['SessionRecorded', 'SessionCorrected'] as const satisfies readonly SessionEvent['type'][];

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
export type SessionCommand = RecordSession | CorrectSession;

// State
export type SessionState =
  { readonly status: 'not_recorded' } | ({ readonly status: 'recorded'; readonly sessionId: string } & SessionDetails);

export const initialSessionState: SessionState = { status: 'not_recorded' };

export function evolveSession(state: SessionState, event: SessionEvent): SessionState {
  switch (event.type) {
    case 'SessionRecorded':
      return { status: 'recorded', ...event.data };
    case 'SessionCorrected':
      return state.status === 'recorded' ? { ...state, ...event.data.changes } : state;
    default:
      return assertNever(event);
  }
}

export function decideSession(command: SessionCommand, state: SessionState): readonly SessionEvent[] {
  requireWellFormedSessionCommand(command);
  switch (command.type) {
    case 'RecordSession': {
      if (state.status === 'recorded') throw new IllegalStateError(`Session ${state.sessionId} is already recorded.`);
      requireSessionDateNotInFuture(command.data.date, command.now);
      requireNotInFuture(command.occurredAt, command.now);
      return [{ type: 'SessionRecorded', data: command.data }];
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
  if (date > dayOf(now))
    throw new RuleViolationError(`A session cannot be recorded before it happens: ${date} is in the future.`);
}

function changedFields(current: SessionDetails, proposed: Partial<SessionDetails>): Partial<SessionDetails> {
  const entries = Object.entries(proposed).filter(
    ([field, value]) => value !== undefined && JSON.stringify(value) !== JSON.stringify(current[field as keyof SessionDetails]),
  );
  return Object.fromEntries(entries) as Partial<SessionDetails>;
}
