import { randomUUID } from 'node:crypto';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type LogPosition,
  type NewEvent,
  type RecordedEvent,
} from '#event-store';
import type { Decider, DomainCommand, DomainEvent } from '#governance';
import { CommandShell, RACE_RETRIES } from './command-shell.js';
import { ConcurrencyConflictError, PreconditionFailedError } from './errors.js';

type Note = DomainCommand<'Note', { text: string }>;
type Noted = DomainEvent<'Noted', { text: string }>;
const notes: Decider<Note, Noted, number> = {
  initialState: 0,
  decide: (command) => [{ type: 'Noted', data: { text: command.data.text } }],
  evolve: (count) => count + 1,
};

/**
 * A store where another process (not this shell) appends to the stream just before each of our
 * first `losses` appends: every one of them loses the race.
 */
function storeLosingRaces(losses: number): { store: EventStore; stream: RecordedEvent[]; appends: () => number } {
  const stream: RecordedEvent[] = [];
  let attempts = 0;
  const record = (event: NewEvent): void => {
    stream.push({ ...event, streamId: 's', revision: stream.length, position: String(stream.length) as LogPosition });
  };
  const store = {
    atomicMultiStream: true,
    readStream: async () => [...stream],
    append: async (_streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> => {
      attempts += 1;
      if (attempts <= losses) record({ ...events[0]!, id: randomUUID() });
      const current = stream.length - 1;
      if (expected !== (current < 0 ? 'no_stream' : current)) {
        throw new WrongExpectedRevisionError('s', expected, current < 0 ? 'no_stream' : current);
      }
      events.forEach(record);
      return { nextExpectedRevision: stream.length - 1, position: String(stream.length - 1) as LogPosition };
    },
  } as unknown as EventStore;
  return { store, stream, appends: () => attempts };
}

const request = (expectedRevision?: number) => ({
  decider: notes,
  streamId: 's',
  command: {
    type: 'Note' as const,
    data: { text: 'ours' },
    occurredAt: '2026-01-01T00:00:00.000Z',
    now: '2026-01-01T00:00:00.000Z',
  },
  context: {
    actor: 'sam',
    correlationId: randomUUID(),
    causationId: randomUUID(),
    ...(expectedRevision === undefined ? {} : { expectedRevision }),
  },
  mustExist: false,
  subject: { resource: 'Stream', id: 's' },
});

describe('CommandShell: lost races with other processes', () => {
  it('without If-Match, decides again on the fresh state until the append lands', async () => {
    const { store, stream, appends } = storeLosingRaces(10);
    const outcome = await new CommandShell(store).execute(request());
    expect(appends()).toBe(11);
    expect(outcome.revision).toBe(10);
    expect(stream.map((event) => event.data.text).at(-1)).toBe('ours');
  });

  it('gives up with a 409 after a bounded number of attempts and time', async () => {
    const { store, appends } = storeLosingRaces(1000);
    const started = Date.now();
    await expect(new CommandShell(store).execute(request())).rejects.toBeInstanceOf(ConcurrencyConflictError);
    expect(appends()).toBeLessThanOrEqual(RACE_RETRIES.attempts);
    expect(Date.now() - started).toBeLessThanOrEqual(RACE_RETRIES.totalMs + 100);
  });

  it('with If-Match, a lost race is the client’s to resolve: 412 at once', async () => {
    const { store, appends } = storeLosingRaces(1);
    await expect(new CommandShell(store).execute(request(-1))).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(appends()).toBe(1);
  });
});
