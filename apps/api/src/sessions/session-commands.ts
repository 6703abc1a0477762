import { sessionDayStart, sessionDecider, sessionStreamId, type SessionCommand } from '#governance';
import { definedChanges } from '../command-handling/changes.js';
import type { Aggregate, CommandEntry } from '../command-handling/command-table.js';
import { toPerson } from '../http/dto.js';
import {
  CancelSessionDto,
  CorrectSessionDto,
  RecordSessionDto,
  RescheduleSessionDto,
  ScheduleSessionDto,
} from './session.dto.js';

type Entry<T extends SessionCommand['type'], Input extends object> = CommandEntry<Extract<SessionCommand, { type: T }>, Input>;
const entry = <T extends SessionCommand['type'], Input extends object>(definition: Entry<T, Input> & { readonly type: T }) =>
  definition;

const aggregate: Aggregate<SessionCommand> = {
  resource: 'Session',
  path: 'sessions',
  idParam: 'sessionId',
  decider: sessionDecider,
  streamId: sessionStreamId,
  // A session is recorded once held, or announced before its day (and later recorded as held under its id).
  creation: ['RecordSession', 'ScheduleSession'],
};

/** Every session command: its route, input, role and docs, and the command it makes. */
export const SESSION_COMMANDS = {
  aggregate,
  commands: {
    record: entry({
      type: 'RecordSession',
      route: '',
      input: RecordSessionDto,
      role: 'editor',
      summary: 'Record a session',
      description:
        'A dated public meeting where commitments are made or revisited, once its day has come. A session scheduled before is recorded as held by giving its id.',
      chosenId: (input) => input.id,
      toCommand: ({ id: _chosen, ...details }, _facts, { id }) => ({
        data: { sessionId: id, ...details, hosts: details.hosts.map(toPerson) },
        occurredAt: sessionDayStart(details.date),
      }),
    }),
    correct: entry({
      type: 'CorrectSession',
      route: ':sessionId/corrections',
      input: CorrectSessionDto,
      role: 'editor',
      summary: 'Correct a session\u2019s details',
      description:
        'An editorial fix with a reason; the original stays in the history. Its date cannot change once commitments were made or revisited in it: they are dated by it.',
      facts: { commitmentsDatedBySession: (input) => input.changes.date !== undefined },
      toCommand: (input, facts) => {
        const { hosts, ...rest } = definedChanges(input.changes);
        return {
          data: {
            changes: { ...rest, ...(hosts ? { hosts: hosts.map(toPerson) } : {}) },
            reason: input.reason,
            commitmentsDatedByIt: facts.commitmentsDatedBySession,
          },
        };
      },
    }),
    schedule: entry({
      type: 'ScheduleSession',
      route: 'upcoming',
      input: ScheduleSessionDto,
      role: 'editor',
      summary: 'Announce an upcoming session',
      description:
        'Its day (today or later), title, hosts and the teams to brief. Its brief, feed entry and calendar entry follow at `/brief?session=<id>`; once it was held, record it with the same id.',
      chosenId: (input) => input.id,
      location: (id) => `/brief?${new URLSearchParams({ session: id })}`,
      toCommand: ({ id: _chosen, teams, ...plan }, _facts, { id }) => ({
        data: { sessionId: id, ...plan, hosts: plan.hosts.map(toPerson), teams: teams ?? [] },
      }),
    }),
    reschedule: entry({
      type: 'RescheduleSession',
      route: ':sessionId/rescheduling',
      input: RescheduleSessionDto,
      role: 'editor',
      summary: 'Change an upcoming session\u2019s plan',
      description:
        'Another day (not one passed), title, hosts or teams, with the reason. Its calendar entry\u2019s SEQUENCE increases.',
      toCommand: (input) => {
        const { hosts, ...rest } = definedChanges(input.changes);
        return { data: { changes: { ...rest, ...(hosts ? { hosts: hosts.map(toPerson) } : {}) }, reason: input.reason } };
      },
    }),
    cancel: entry({
      type: 'CancelSession',
      route: ':sessionId/cancellation',
      input: CancelSessionDto,
      role: 'editor',
      summary: 'Call off an upcoming session',
      description: 'With the reason; its feed and calendar entries say it is cancelled.',
      toCommand: (input) => ({ data: { reason: input.reason } }),
    }),
  },
};
