import type { LogPosition, RecordedEvent } from '#event-store';

export interface RecordedAt {
  readonly occurredAt: string;
  /** When the tracker learned of it; the moment it occurred unless said. */
  readonly recordedAt?: string;
  /** Its revision in its stream; the next one unless said. */
  readonly revision?: number;
}

/**
 * A spec's own event log: each event recorded gets the next position in the log and the next
 * revision of its stream, as the event store hands them to a projection.
 */
export function testEventLog({ firstPosition = 1, actor = 'ana' }: { firstPosition?: number; actor?: string } = {}) {
  let position = firstPosition - 1;
  const revisions = new Map<string, number>();
  return {
    record(streamId: string, event: { readonly type: string; readonly data: unknown }, at: RecordedAt): RecordedEvent {
      const revision = at.revision ?? revisions.get(streamId) ?? 0;
      revisions.set(streamId, revision + 1);
      position++;
      return {
        id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
        type: event.type,
        data: event.data as RecordedEvent['data'],
        metadata: {
          actor,
          occurredAt: at.occurredAt,
          recordedAt: at.recordedAt ?? at.occurredAt,
          correlationId: 'c',
          causationId: null,
          schemaVersion: 1,
        },
        streamId,
        revision,
        position: `00000000000000000100/${String(position).padStart(19, '0')}` as LogPosition,
      };
    },
  };
}

/** The start of a day, as events recorded from session notes carry it. */
export const dayStart = (day: string) => `${day}T00:00:00.000Z`;
