import { sessionDayStart, sessionDecider, sessionStreamId, type SessionCommand } from '#governance';
import { definedChanges } from '../command-handling/changes.js';
import type { Aggregate, CommandEntry } from '../command-handling/command-table.js';
import { toPerson } from '../http/dto.js';
import { CorrectSessionDto, RecordSessionDto } from './session.dto.js';

type Entry<T extends SessionCommand['type'], Input extends object> = CommandEntry<Extract<SessionCommand, { type: T }>, Input>;
const entry = <T extends SessionCommand['type'], Input extends object>(definition: Entry<T, Input> & { readonly type: T }) =>
  definition;

const aggregate: Aggregate<SessionCommand> = {
  resource: 'Session',
  path: 'sessions',
  idParam: 'sessionId',
  decider: sessionDecider,
  streamId: sessionStreamId,
  creation: 'RecordSession',
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
      description: 'A dated public meeting where commitments are made or revisited.',
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
  },
};
