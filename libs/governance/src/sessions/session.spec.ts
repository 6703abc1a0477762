import { IllegalStateError, RuleViolationError } from '../shared/index.js';
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
  data: { changes, reason: 'Title as published' },
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
  });
});
