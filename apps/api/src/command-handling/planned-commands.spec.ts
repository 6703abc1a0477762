import { randomUUID } from 'node:crypto';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type LogPosition,
  type NewEvent,
  type RecordedEvent,
  type StreamAppend,
} from '#event-store';
import { sessionDecider, sessionStreamId } from '#governance';
import { SESSION_COMMANDS } from '../sessions/session-commands.js';
import { CommandShell } from './command-shell.js';
import { commandOf, NO_FACTS } from './command-table.js';
import { PlannedCommands, type PlannedStep } from './planned-commands.js';

const NOW = '2026-01-01T00:00:00.000Z';
const SESSION = 'office-hour-2020-12-10';
const STREAM = sessionStreamId(SESSION);
const record: PlannedStep = {
  aggregate: 'session',
  id: SESSION,
  command: commandOf(
    SESSION_COMMANDS.commands.record,
    {
      date: '2020-12-10',
      title: 'Office hour',
      kind: 'office_hour',
      hosts: [{ name: 'Maggie Dennis', role: null }],
      sourceUrl: 'https://example.org/notes',
    },
    NO_FACTS,
    { id: SESSION, now: NOW },
  ),
};

/** One stream in memory; counts reads and keeps every appendMany it was asked for. */
function oneStreamStore(stored: RecordedEvent[]) {
  const asked: (readonly StreamAppend[])[] = [];
  let reads = 0;
  const store = {
    atomicMultiStream: true,
    readStream: async () => {
      reads += 1;
      return [...stored];
    },
    appendMany: async (appends: readonly StreamAppend[]): Promise<AppendResult[]> => {
      asked.push(appends);
      const results: AppendResult[] = [];
      for (const { streamId, events, expectedRevision } of appends) {
        const current = stored.length - 1;
        if (expectedRevision !== (current < 0 ? 'no_stream' : current))
          throw new WrongExpectedRevisionError(streamId, expectedRevision, current < 0 ? 'no_stream' : current);
        for (const event of events) stored.push(recorded(event, stored.length));
        results.push({ nextExpectedRevision: stored.length - 1, position: String(stored.length - 1) as LogPosition });
      }
      return results;
    },
  } as unknown as EventStore;
  return { store, asked, reads: () => reads };
}

function recorded(event: NewEvent, revision: number): RecordedEvent {
  return { ...event, streamId: STREAM, revision, position: String(revision) as LogPosition };
}

describe('PlannedCommands: the streams a plan read', () => {
  it('are decided on without being read again when they still hold', async () => {
    const { store, asked, reads } = oneStreamStore([]);
    const outcome = await new PlannedCommands(new CommandShell(store), store).run(
      [record],
      'import',
      undefined,
      new Map([[STREAM, []]]),
    );
    expect(reads()).toBe(0);
    expect(outcome.byEvent).toEqual({ SessionRecorded: 1 });
    expect(asked[0]!.map((append) => [append.streamId, append.expectedRevision])).toEqual([[STREAM, 'no_stream']]);
  });

  it('are checked at the revision the plan read: one changed since is read afresh and decided again', async () => {
    // Someone recorded the session after the plan read the stream empty.
    const [theirs] = sessionDecider.decide(record.command as never, sessionDecider.initialState);
    const metadata = {
      actor: 'staff',
      occurredAt: NOW,
      recordedAt: NOW,
      correlationId: randomUUID(),
      causationId: null,
      schemaVersion: 1,
    };
    const stored = [recorded({ id: randomUUID(), type: theirs!.type, data: { ...theirs!.data }, metadata }, 0)];
    const { store, asked, reads } = oneStreamStore(stored);

    const run = new PlannedCommands(new CommandShell(store), store).run([record], 'import', undefined, new Map([[STREAM, []]]));

    // The fresh record refuses recording it twice; nothing more was written.
    await expect(run).rejects.toThrow(/already recorded/);
    expect(asked[0]!.map((append) => append.expectedRevision)).toEqual(['no_stream']);
    expect(reads()).toBe(1);
    expect(asked).toHaveLength(1);
    expect(stored).toHaveLength(1);
  });
});
