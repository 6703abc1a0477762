import { IllegalStateError, InvalidValueError, RuleViolationError } from '../shared/index.js';
import { specification } from '../testing/given-when-then.js';
import {
  isSessionNews,
  sessionDecider,
  type CancelSession,
  type CorrectSession,
  type RecordSession,
  type RescheduleSession,
  type ScheduleSession,
  type SessionCancelled,
  type SessionRecorded,
  type SessionScheduled,
} from './session.js';

const { given } = specification(sessionDecider);
const now = '2022-08-20T10:00:00.000Z';

const details = {
  sessionId: 's-2022-08-18',
  date: '2022-08-18',
  title: 'Conversation hour with Maggie Dennis',
  kind: 'conversation_hour',
  hosts: [{ name: 'Maggie Dennis', role: 'Vice President, Community Resilience & Sustainability' }],
  sourceUrl: 'https://meta.wikimedia.org/wiki/Office_hours/2022-08-18',
} as const;

const record: RecordSession = { type: 'RecordSession', data: details, occurredAt: '2022-08-18T13:00:00.000Z', now };
const recorded: SessionRecorded = { type: 'SessionRecorded', data: details };
const correct = (changes: CorrectSession['data']['changes']): CorrectSession => ({
  type: 'CorrectSession',
  data: { changes, reason: 'Title as published', commitmentsDatedByIt: 0 },
  occurredAt: now,
  now,
});

describe('Session', () => {
  describe('not recorded', () => {
    it('records a session', () => given([]).when(record).then([recorded]));

    it('refuses a session dated in the future', () =>
      given([])
        .when({ ...record, data: { ...details, date: '2022-08-21' } })
        .thenThrows(RuleViolationError, /cannot be recorded before it happens: 2022-08-21/));

    it('refuses something that happened after now', () =>
      given([])
        .when({ ...record, occurredAt: '2022-08-21T00:00:00.000Z' })
        .thenThrows(RuleViolationError, /after now/));

    it('cannot be corrected', () =>
      given([])
        .when(correct({ title: 'x' }))
        .thenThrows(IllegalStateError, /Only a recorded session/));
  });

  describe('recorded', () => {
    it('cannot be recorded twice', () =>
      given([recorded])
        .when(record)
        .thenThrows(IllegalStateError, /already recorded/));

    it('is corrected with only the fields that change', () =>
      given([recorded])
        .when(correct({ title: 'Conversation Hour', kind: 'conversation_hour' }))
        .then([{ type: 'SessionCorrected', data: { changes: { title: 'Conversation Hour' }, reason: 'Title as published' } }]));

    it('applies a correction to its state', () =>
      given([recorded])
        .when(correct({ date: '2022-08-17' }))
        .thenState({ status: 'recorded', ...details, date: '2022-08-17' }));

    it('refuses a correction that changes nothing', () =>
      given([recorded])
        .when(correct({ title: details.title }))
        .thenThrows(RuleViolationError, /changes nothing/));

    it('refuses a correction that moves the date into the future', () =>
      given([recorded])
        .when(correct({ date: '2023-01-01' }))
        .thenThrows(RuleViolationError, /in the future/));

    describe('when commitments were made or revisited in it', () => {
      const withDated = (commitmentsDatedByIt: number | null, changes: CorrectSession['data']['changes']): CorrectSession => {
        const command = correct(changes);
        return { ...command, data: { ...command.data, commitmentsDatedByIt } };
      };

      it('refuses a new date: what was said there is dated by it', () =>
        given([recorded])
          .when(withDated(3, { date: '2022-08-17' }))
          .thenThrows(RuleViolationError, /cannot be corrected: 3 commitments were made or revisited in it and are dated by it/));

      it('refuses a new date when what it dates was not looked up', () =>
        given([recorded])
          .when(withDated(null, { date: '2022-08-17' }))
          .thenThrows(IllegalStateError, /once it is known what is dated by it/));

      it('still corrects its other details', () =>
        given([recorded])
          .when(withDated(3, { title: 'Conversation Hour' }))
          .then([{ type: 'SessionCorrected', data: { changes: { title: 'Conversation Hour' }, reason: 'Title as published' } }]));
    });
  });
});

describe('Session: only well-formed values reach the log', () => {
  it.each([
    ['an id that is null', { ...record, data: { ...details, sessionId: null } }, /sessionId: must be 2 to 100/],
    ['a date that does not exist', { ...record, data: { ...details, date: '2022-02-30' } }, /date: must be a date/],
    ['a title with a NUL', { ...record, data: { ...details, title: 'a\u0000b' } }, /title: must not contain a NUL/],
    [
      'a host given as a list',
      { ...record, data: { ...details, hosts: [[details.hosts[0]]] } },
      /hosts\[0\]: must be an object, not a list/,
    ],
    ['no hosts', { ...record, data: { ...details, hosts: [] } }, /hosts: must be a list of at least one person/],
    ['an unknown kind', { ...record, data: { ...details, kind: 'party' } }, /kind: must be one of/],
    ['an impossible occurred time', { ...record, occurredAt: '2022-02-30T00:00:00Z' }, /occurredAt/],
  ])('refuses %s', (_, when, message) =>
    given([])
      .when(when as RecordSession)
      .thenThrows(InvalidValueError, message),
  );

  it.each([
    ['changes given as a list', [{ title: 'x' }], /changes: must be an object, not a list/],
    ['a change of a field that does not exist', { 0: 'x' }, /changes\.0: is not a known field/],
    ['a corrected date that does not exist', { date: '2022-13-45' }, /changes\.date/],
    ['a corrected title with a lone surrogate', { title: '\udfff' }, /changes\.title/],
  ])('refuses a correction with %s', (_, changes, message) =>
    given([recorded])
      .when(correct(changes as CorrectSession['data']['changes']))
      .thenThrows(InvalidValueError, message),
  );
});

describe('Session: announced before its day', () => {
  const upcoming = {
    sessionId: 's-2022-08-25',
    date: '2022-08-25',
    title: 'Conversation hour with Maggie Dennis',
    hosts: [{ name: 'Maggie Dennis', role: null }],
    teams: ['Trust & Safety'],
  } as const;
  const schedule: ScheduleSession = { type: 'ScheduleSession', data: upcoming, occurredAt: now, now };
  const scheduled: SessionScheduled = { type: 'SessionScheduled', data: upcoming };
  const reschedule = (changes: RescheduleSession['data']['changes'], at = now): RescheduleSession => ({
    type: 'RescheduleSession',
    data: { changes, reason: 'Moved by a week' },
    occurredAt: at,
    now: at,
  });
  const cancel: CancelSession = { type: 'CancelSession', data: { reason: 'Host unavailable' }, occurredAt: now, now };
  const cancelled: SessionCancelled = { type: 'SessionCancelled', data: { reason: 'Host unavailable' } };
  const onTheDay = '2022-08-25T18:00:00.000Z';
  const held: RecordSession = {
    type: 'RecordSession',
    data: { ...details, sessionId: upcoming.sessionId, date: upcoming.date },
    occurredAt: '2022-08-25T00:00:00.000Z',
    now: onTheDay,
  };

  it('is scheduled for a day to come', () => given([]).when(schedule).then([scheduled]));

  it('may be scheduled on its day itself', () =>
    given([])
      .when({ ...schedule, data: { ...upcoming, date: '2022-08-20' } })
      .then([{ type: 'SessionScheduled', data: { ...upcoming, date: '2022-08-20' } }]));

  it('is not scheduled for a day that has passed: that session is recorded instead', () =>
    given([])
      .when({ ...schedule, data: { ...upcoming, date: '2022-08-19' } })
      .thenThrows(RuleViolationError, /scheduled before its day: 2022-08-19 has passed/));

  it('is not scheduled twice, nor once recorded', () => {
    given([scheduled])
      .when(schedule)
      .thenThrows(IllegalStateError, /already scheduled/);
    given([recorded])
      .when({ ...schedule, data: { ...upcoming, sessionId: details.sessionId } })
      .thenThrows(IllegalStateError, /already recorded/);
  });

  it('is rescheduled with only what changes', () =>
    given([scheduled])
      .when(reschedule({ date: '2022-09-01', title: upcoming.title }))
      .then([{ type: 'SessionRescheduled', data: { changes: { date: '2022-09-01' }, reason: 'Moved by a week' } }]));

  it('folds a rescheduling into its plan', () =>
    given([scheduled])
      .when(reschedule({ teams: ['Legal'] }))
      .thenState({ status: 'scheduled', ...upcoming, teams: ['Legal'] }));

  it('refuses a rescheduling that changes nothing, or moves it to a day passed', () => {
    given([scheduled])
      .when(reschedule({ title: upcoming.title }))
      .thenThrows(RuleViolationError, /changes nothing/);
    given([scheduled])
      .when(reschedule({ date: '2022-08-01' }))
      .thenThrows(RuleViolationError, /2022-08-01 has passed/);
  });

  it('is cancelled, and then neither rescheduled nor recorded as held', () => {
    given([scheduled]).when(cancel).then([cancelled]);
    given([scheduled, cancelled])
      .when(reschedule({ date: '2022-09-01' }))
      .thenThrows(IllegalStateError, /is cancelled: only a scheduled session/);
    given([scheduled, cancelled])
      .when(held)
      .thenThrows(IllegalStateError, /was cancelled \(Host unavailable\)/);
  });

  it('only a scheduled session is rescheduled or cancelled', () => {
    given([])
      .when(cancel)
      .thenThrows(IllegalStateError, /Only a scheduled session can be cancelled/);
    given([recorded])
      .when(reschedule({ date: '2022-09-01' }))
      .thenThrows(IllegalStateError, /is recorded/);
  });

  it('is recorded as held once its day has come, under its own id', () =>
    given([scheduled])
      .when(held)
      .then([{ type: 'SessionRecorded', data: held.data }]));

  it('is not recorded as held before its day: the one rule of a session’s day', () =>
    given([scheduled])
      .when({ ...held, now, occurredAt: now })
      .thenThrows(RuleViolationError, /cannot be recorded before it happens: 2022-08-25 is in the future/));

  it('once held, is a recorded session', () =>
    given([scheduled])
      .when(held)
      .thenState({ status: 'recorded', ...held.data }));

  it.each([
    ['teams that are not a list', { ...schedule, data: { ...upcoming, teams: 'Legal' } }, /teams: must be a list of at most 20/],
    [
      'a team with a NUL',
      { ...schedule, data: { ...upcoming, teams: ['Legal', 'a\u0000b'] } },
      /teams\[1\]: must not contain a NUL/,
    ],
    ['no hosts', { ...schedule, data: { ...upcoming, hosts: [] } }, /hosts: must be a list of at least one person/],
    ['an unknown field', { ...schedule, data: { ...upcoming, kind: 'office_hour' } }, /kind: is not a known field/],
  ])('refuses a schedule with %s', (_, when, message) =>
    given([])
      .when(when as ScheduleSession)
      .thenThrows(InvalidValueError, message),
  );

  it('refuses a rescheduling with a change of a field that is not planned', () =>
    given([scheduled])
      .when(reschedule({ sourceUrl: 'https://x.org' } as RescheduleSession['data']['changes']))
      .thenThrows(InvalidValueError, /changes\.sourceUrl: is not a known field/));
});

describe('what is news of a session', () => {
  const plan = {
    sessionId: 's1',
    date: '2030-12-10',
    title: 'Office hours',
    hosts: [{ name: 'Maggie Dennis' }],
    teams: ['Legal'],
  };
  it('is its announcement, a new day and its cancellation; other changes of plan and its record are not', () => {
    expect(isSessionNews({ type: 'SessionScheduled', data: plan })).toBe(true);
    expect(isSessionNews({ type: 'SessionRescheduled', data: { changes: { date: '2030-12-17' }, reason: 'A week later' } })).toBe(
      true,
    );
    expect(
      isSessionNews({ type: 'SessionRescheduled', data: { changes: { title: 'Office hour', teams: [] }, reason: 'Typo' } }),
    ).toBe(false);
    expect(isSessionNews({ type: 'SessionCancelled', data: { reason: 'Host unavailable' } })).toBe(true);
    expect(isSessionNews({ type: 'SessionRecorded', data: details })).toBe(false);
    expect(isSessionNews({ type: 'SessionCorrected', data: { changes: { title: 'x' }, reason: 'y' } })).toBe(false);
    expect(isSessionNews({ type: 'CommitmentMade', data: {} })).toBe(false);
  });
});
