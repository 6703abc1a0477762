import type { LogPosition, RecordedEvent } from '#event-store';
import {
  commitmentDecider,
  commitmentStreamId,
  sessionDecider,
  sessionStreamId,
  type CommitmentState,
  type SessionState,
} from '#governance';
import { planImport } from '../session-files/import-plan.js';
import type { SessionFile } from '../session-files/session-file.js';

/**
 * The events importing session files into an empty log would write, without a store: for
 * loading a record into read-model tables where no event store runs (the drafting eval).
 */
export async function recordEvents(files: readonly SessionFile[], now: string): Promise<RecordedEvent[]> {
  const streams = new Map<string, RecordedEvent[]>();
  const sessions = new Map<string, SessionState>();
  const commitments = new Map<string, CommitmentState>();
  const log: RecordedEvent[] = [];
  for (const [fileIndex, file] of files.entries()) {
    const plan = await planImport(file, {
      file: `record-${fileIndex}.yaml`,
      actor: 'import',
      now,
      readStream: async (streamId) => streams.get(streamId) ?? [],
      commitmentsDatedBy: async (sessionId) =>
        new Set(
          log
            .filter((event) => event.streamId !== sessionStreamId(sessionId))
            .filter((event) => (event.data as { sessionId?: unknown }).sessionId === sessionId)
            .map((event) => event.streamId),
        ).size,
    });
    for (const planned of plan) {
      const streamId = planned.aggregate === 'session' ? sessionStreamId(planned.id) : commitmentStreamId(planned.id);
      const events =
        planned.aggregate === 'session'
          ? (() => {
              const state = sessions.get(planned.id) ?? sessionDecider.initialState;
              const decided = sessionDecider.decide(planned.command, state);
              sessions.set(planned.id, decided.reduce(sessionDecider.evolve, state));
              return decided;
            })()
          : (() => {
              const state = commitments.get(planned.id) ?? commitmentDecider.initialState;
              const decided = commitmentDecider.decide(planned.command, state);
              commitments.set(planned.id, decided.reduce(commitmentDecider.evolve, state));
              return decided;
            })();
      const stream = streams.get(streamId) ?? [];
      for (const event of events) {
        const position = log.length + 1;
        const recorded: RecordedEvent = {
          id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
          type: event.type,
          data: event.data as RecordedEvent['data'],
          metadata: {
            actor: 'import',
            occurredAt: planned.command.occurredAt ?? now,
            recordedAt: now,
            correlationId: 'eval',
            causationId: null,
            schemaVersion: 1,
          },
          streamId,
          revision: stream.length,
          position: `00000000000000000100/${String(position).padStart(19, '0')}` as LogPosition,
        };
        stream.push(recorded);
        log.push(recorded);
      }
      streams.set(streamId, stream);
    }
  }
  return log;
}
