import { compareLogPositions, type LogPosition, type RecordedEvent } from '#event-store';
import { asRecorded } from '../projection/projection.js';
import {
  COMMITMENT_DETAIL_FIELDS,
  SESSION_DETAIL_FIELDS,
  commitmentIdOfStream,
  sessionIdOfStream,
  assertNever,
  type CommitmentEvent,
  type SessionEvent,
} from '#governance';

export type CorrectionSubjectKind = 'commitment' | 'session';

/** What a correction can fix about one commitment or session, as it stands: the fold's state. */
export interface CorrectionSubject {
  /** The stream, e.g. `commitment-ucoc-vote`. */
  readonly streamId: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly position: string;
}

/** One field a correction fixed, with the recorded value before and after. */
export interface FieldChange {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
}

/** One correction: an event that fixes the record rather than reporting a change in the world. */
export interface Correction {
  readonly streamId: string;
  readonly revision: number;
  readonly subjectKind: CorrectionSubjectKind;
  readonly subjectId: string;
  /** The commitment's summary or the session's title right after the correction. */
  readonly subjectTitle: string;
  readonly position: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly actor: string;
  readonly reason: string;
  readonly changes: readonly FieldChange[];
}

const pick = (data: object, fields: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(fields.map((field) => [field, (data as Record<string, unknown>)[field] ?? null]));

const kindOf = (streamId: string): CorrectionSubjectKind | null =>
  commitmentIdOfStream(streamId) !== null ? 'commitment' : sessionIdOfStream(streamId) !== null ? 'session' : null;

type SubjectEvent = CommitmentEvent | SessionEvent;

/** The events that set or change a correctable field; only their streams need loading. */
const TRACKS = {
  CommitmentMade: true,
  CommitmentRevisited: true,
  CommitmentRetargeted: true,
  CommitmentCorrected: true,
  SessionRecorded: true,
  SessionCorrected: true,
  // A change of plan is news of the plan, not an editorial fix of the record.
  SessionScheduled: false,
  SessionRescheduled: false,
  SessionCancelled: false,
  ProgressReported: false,
  WorkStarted: false,
  CommitmentDelivered: false,
  CommitmentDropped: false,
  CommitmentSuperseded: false,
  CommitmentSplit: false,
  CommitmentMerged: false,
  CommitmentReopened: false,
  CommitmentLinked: false,
} satisfies Record<SubjectEvent['type'], boolean>;
/** The event types the corrections log reads: those that set or change a correctable field. */
export const TRACKED_EVENT_TYPES: readonly string[] = Object.entries(TRACKS).flatMap(([type, tracked]) =>
  tracked ? [type] : [],
);
const TRACKED: ReadonlySet<string> = new Set(TRACKED_EVENT_TYPES);

export const trackedStreamIds = (events: readonly RecordedEvent[]): string[] => [
  ...new Set(events.filter((event) => TRACKED.has(event.type) && kindOf(event.streamId)).map((event) => event.streamId)),
];

/**
 * Folds events into the subjects (changed in place) and returns the corrections among them,
 * each with the value every fixed field had before. The details follow the domain's own fold:
 * a revisit that names a new target and a re-target change the target; a correction merges.
 * Events at or before a subject's stored position were applied already and are skipped.
 */
export function foldCorrections(subjects: Map<string, CorrectionSubject>, events: readonly RecordedEvent[]): Correction[] {
  const corrections: Correction[] = [];
  for (const recorded of events) {
    const kind = kindOf(recorded.streamId);
    if (!kind || !TRACKED.has(recorded.type)) continue;
    const current = subjects.get(recorded.streamId);
    if (current && compareLogPositions(recorded.position, current.position as LogPosition) <= 0) continue;
    const event = asRecorded<SubjectEvent>(recorded);
    const set = (details: Readonly<Record<string, unknown>>) =>
      subjects.set(recorded.streamId, { streamId: recorded.streamId, details, position: recorded.position });

    switch (event.type) {
      case 'CommitmentMade':
        set(pick(event.data, COMMITMENT_DETAIL_FIELDS));
        continue;
      case 'SessionRecorded':
        set(pick(event.data, SESSION_DETAIL_FIELDS));
        continue;
      case 'CommitmentRevisited':
        if (current) set(event.data.newTarget ? { ...current.details, target: event.data.newTarget } : current.details);
        continue;
      case 'CommitmentRetargeted':
        if (current) set({ ...current.details, target: event.data.newTarget });
        continue;
      case 'CommitmentCorrected':
      case 'SessionCorrected': {
        if (!current) continue;
        const changes = event.data.changes as Readonly<Record<string, unknown>>;
        const fields = Object.keys(changes);
        const details = { ...current.details, ...pick(changes, fields) };
        set(details);
        const { occurredAt, recordedAt, actor } = recorded.metadata;
        corrections.push({
          streamId: recorded.streamId,
          revision: recorded.revision,
          subjectKind: kind,
          subjectId: recorded.streamId.slice(kind.length + 1),
          subjectTitle: String((kind === 'commitment' ? details.summary : details.title) ?? ''),
          position: recorded.position,
          occurredAt,
          recordedAt,
          actor,
          reason: event.data.reason,
          changes: fields.map((field) => ({ field, from: current.details[field] ?? null, to: changes[field] ?? null })),
        });
        continue;
      }
      case 'ProgressReported':
      case 'WorkStarted':
      case 'CommitmentDelivered':
      case 'CommitmentDropped':
      case 'CommitmentSuperseded':
      case 'CommitmentSplit':
      case 'CommitmentMerged':
      case 'CommitmentReopened':
      case 'CommitmentLinked':
      case 'SessionScheduled':
      case 'SessionRescheduled':
      case 'SessionCancelled':
        continue;
      default:
        return assertNever(event);
    }
  }
  return corrections;
}
