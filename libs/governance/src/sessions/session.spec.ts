import { IllegalStateError, InvalidValueError, RuleViolationError } from '../shared/index.js';
import { specification } from '../testing/given-when-then.js';
import { sessionDecider, type CorrectSession, type RecordSession, type SessionRecorded } from './session.js';

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
