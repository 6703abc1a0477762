import type { RecordedEvent } from '#event-store';
import { asRecorded, type Recorded } from '../projection/projection.js';
import {
  assertNever,
  datePrecisionOf,
  evidenceOf,
  isOpenStatus,
  isSlip,
  statusAfter,
  type CommitmentEvent,
  type CommitmentStatus,
  type DatePrecision,
  type Target,
} from '#governance';

/** One commitment as the public sees it: a row of the `commitments` read model. */

/** A summary as a sentence: its own closing mark, or a full stop. */
const sentence = (text: string) => (/[.!?…]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);
export interface CommitmentView {
  readonly commitmentId: string;
  readonly status: CommitmentStatus;
  readonly sessionId: string;
  readonly sessionDate: string;
  readonly revisitedIn: readonly string[];
  readonly speakerName: string;
  readonly speakerRole: string | null;
  readonly ownerTeam: string;
  readonly topics: readonly string[];
  readonly summary: string;
  readonly quote: string;
  readonly strength: string;
  readonly note: string | null;
  readonly targetAsSaid: string | null;
  readonly targetLatestDate: string | null;
  readonly firstTargetLatestDate: string | null;
  readonly supersededBy: string | null;
  /** Work started at some point: a reopened commitment returns to in_progress, else announced. */
  readonly workStarted: boolean;
  /** Every event after the first: progress, revisits, outcomes, corrections, links. */
  readonly updateCount: number;
  readonly slipCount: number;
  /** Days the deadline moved later in all, for the median slip on the dashboard. */
  readonly slipDays: number;
  readonly madeAt: string;
  /** When it closed in the world (delivered, dropped, superseded); null while open. */
  readonly closedAt: string | null;
  /** `no_later_than`: the notes say it had closed by `closedAt`, not when. */
  readonly closedAtPrecision: DatePrecision;
  readonly lastChangedAt: string;
  readonly lastRecordedAt: string;
  readonly revision: number;
  /** The last log position applied: replays and duplicates of older events do nothing. */
  readonly lastPosition: string;
}

/** One line of a commitment's history, readable top to bottom across sessions. */
export interface TimelineEntry {
  readonly commitmentId: string;
  readonly revision: number;
  readonly eventType: CommitmentEvent['type'];
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly actor: string;
  readonly sessionId: string | null;
  readonly text: string;
  readonly evidence: readonly string[];
  /** `no_later_than`: it had happened by `occurredAt`, the notes do not say when. */
  readonly datePrecision: DatePrecision;
  readonly position: string;
}

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
const targetText = (target: Target | null) =>
  target ? `${target.asSaid}${target.latestDate ? ` (by ${target.latestDate})` : ''}` : 'no target';

/** A view its owner lets the fold change in place. */
export type ChangingCommitmentView = { -readonly [K in keyof CommitmentView]: CommitmentView[K] };
type Changing<T> = { -readonly [K in keyof T]: T[K] };

/** A copy of the view for the fold to change; a spread of one shape keeps that shape (V8 clones its map). */
const copyOf = (view: CommitmentView): Changing<CommitmentView> => ({ ...view });

/** A new target; a later one counts as a slip, with the days it moved. */
function retarget(view: Changing<CommitmentView>, previous: Target | null, next: Target | null): void {
  const slipped = isSlip(previous, next);
  view.targetAsSaid = next?.asSaid ?? null;
  view.targetLatestDate = next?.latestDate ?? null;
  if (!slipped) return;
  view.slipCount += 1;
  if (previous?.latestDate && next?.latestDate) view.slipDays += daysBetween(previous.latestDate, next.latestDate);
}

const timelineEntry = (
  recorded: Recorded<CommitmentEvent>,
  commitmentId: string,
  text: string,
  sessionId: string | null = null,
  evidence: readonly string[] = [],
): TimelineEntry => ({
  commitmentId,
  revision: recorded.revision,
  eventType: recorded.type,
  occurredAt: recorded.metadata.occurredAt,
  recordedAt: recorded.metadata.recordedAt,
  actor: recorded.metadata.actor,
  sessionId,
  text,
  evidence,
  datePrecision: datePrecisionOf(recorded.data),
  position: recorded.position,
});

/** The pure read-model fold: a row and its timeline entry from one recorded event. */
export function applyToCommitmentView(
  view: CommitmentView | null,
  recorded: RecordedEvent,
): { view: CommitmentView | null; entry: TimelineEntry | null } {
  return evolve(view, asRecorded<CommitmentEvent>(recorded), copyOf);
}

/**
 * The same fold, changing the view itself rather than a copy (a new commitment still gets a new
 * view): for a rebuild's replay, which alone holds its views. A million short-lived copies would
 * each outlive the young generation (the map still points at it), so each would be copied twice.
 */
export function applyToCommitmentViewInPlace(
  view: ChangingCommitmentView | null,
  recorded: RecordedEvent,
): { view: ChangingCommitmentView | null; entry: TimelineEntry | null } {
  return evolve(view, asRecorded<CommitmentEvent>(recorded), (same) => same);
}

/** Every commitment event, by name: a new one does not compile until the fold says what it does. */
function evolve<View extends CommitmentView>(
  view: View | null,
  event: Recorded<CommitmentEvent>,
  changeable: (view: View) => Changing<CommitmentView>,
): { view: Changing<CommitmentView> | View | null; entry: TimelineEntry | null } {
  if (view && event.position <= view.lastPosition) return { view, entry: null };
  const { occurredAt, recordedAt } = event.metadata;

  if (event.type === 'CommitmentMade') {
    const made = event.data;
    const created: CommitmentView = {
      commitmentId: made.commitmentId,
      status: 'announced',
      sessionId: made.sessionId,
      sessionDate: made.sessionDate,
      revisitedIn: [],
      speakerName: made.speaker.name,
      speakerRole: made.speaker.role,
      ownerTeam: made.ownerTeam,
      topics: made.topics,
      summary: made.summary,
      quote: made.quote,
      strength: made.strength,
      note: made.note ?? null,
      targetAsSaid: made.target?.asSaid ?? null,
      targetLatestDate: made.target?.latestDate ?? null,
      firstTargetLatestDate: made.target?.latestDate ?? null,
      supersededBy: null,
      workStarted: false,
      updateCount: 0,
      slipCount: 0,
      slipDays: 0,
      madeAt: occurredAt,
      closedAt: null,
      closedAtPrecision: 'exact',
      lastChangedAt: occurredAt,
      lastRecordedAt: recordedAt,
      revision: event.revision,
      lastPosition: event.position,
    };
    return {
      view: created,
      entry: timelineEntry(
        event,
        made.commitmentId,
        `Committed: ${sentence(made.summary)} Target: ${targetText(made.target)}.`,
        made.sessionId,
      ),
    };
  }
  if (!view) return { view: null, entry: null };

  // Every read of `view` below comes before the write that could change it, so `next` may be `view`.
  const next = changeable(view);
  next.updateCount = view.updateCount + 1;
  if (occurredAt > view.lastChangedAt) next.lastChangedAt = occurredAt;
  next.lastRecordedAt = recordedAt;
  next.revision = event.revision;
  next.lastPosition = event.position;
  const entry = (text: string, sessionId: string | null = null) =>
    timelineEntry(event, view.commitmentId, text, sessionId, evidenceOf(event.data));

  // The status, and when it closed, by the domain's one definition of where each event leads.
  const wasOpen = isOpenStatus(view.status);
  const after = statusAfter({ status: view.status, started: view.workStarted }, event);
  next.status = after.status;
  next.workStarted = after.started;
  if (isOpenStatus(after.status)) {
    next.closedAt = null;
    next.closedAtPrecision = 'exact';
  } else if (wasOpen) {
    next.closedAt = occurredAt;
    next.closedAtPrecision = datePrecisionOf(event.data);
  }
  if (after.status !== 'superseded') next.supersededBy = null;

  switch (event.type) {
    case 'CommitmentRevisited': {
      const { newTarget, previousTarget, sessionId, statement } = event.data;
      next.revisitedIn = [...view.revisitedIn, sessionId];
      if (newTarget) retarget(next, previousTarget, newTarget);
      const targetNote = newTarget ? ` — new target: ${targetText(newTarget)}` : '';
      return { view: next, entry: entry(`Revisited: ${statement}${targetNote}`, sessionId) };
    }
    case 'ProgressReported':
      return { view: next, entry: entry(`Progress: ${event.data.note}`) };
    case 'WorkStarted':
      return { view: next, entry: entry(`Work started${event.data.note ? `: ${event.data.note}` : '.'}`) };
    case 'CommitmentRetargeted': {
      const { previousTarget, newTarget, reason } = event.data;
      retarget(next, previousTarget, newTarget);
      return {
        view: next,
        entry: entry(`Re-targeted from ${targetText(previousTarget)} to ${targetText(newTarget)}: ${reason}`),
      };
    }
    case 'CommitmentDelivered': {
      const full = event.data.completeness === 'full';
      return { view: next, entry: entry(`${full ? 'Delivered' : 'Partially delivered'}: ${event.data.note}`) };
    }
    case 'CommitmentDropped':
      return {
        view: next,
        entry: entry(`Dropped (${event.data.reason.replaceAll('_', ' ')}): ${event.data.explanation}`),
      };
    case 'CommitmentSuperseded':
      next.supersededBy = event.data.supersededBy;
      return { view: next, entry: entry(`Superseded by ${event.data.supersededBy}: ${event.data.note}`) };
    case 'CommitmentReopened':
      return { view: next, entry: entry(`Reopened: ${event.data.reason}`) };
    case 'CommitmentCorrected': {
      const { changes, reason } = event.data;
      if (changes.speaker) {
        next.speakerName = changes.speaker.name;
        next.speakerRole = changes.speaker.role;
      }
      if (changes.ownerTeam !== undefined) next.ownerTeam = changes.ownerTeam;
      if (changes.topics !== undefined) next.topics = changes.topics;
      if (changes.summary !== undefined) next.summary = changes.summary;
      if (changes.quote !== undefined) next.quote = changes.quote;
      if (changes.strength !== undefined) next.strength = changes.strength;
      if (changes.note !== undefined) next.note = changes.note ?? null;
      // An editorial fix of the target is not a slip: the record was wrong, not the promise.
      if (changes.target !== undefined) {
        next.targetAsSaid = changes.target?.asSaid ?? null;
        next.targetLatestDate = changes.target?.latestDate ?? null;
      }
      return { view: next, entry: entry(`Corrected ${Object.keys(changes).join(', ')}: ${reason}`) };
    }
    case 'CommitmentLinked':
      return {
        view: next,
        entry: entry(
          `Linked (${event.data.relation.replaceAll('_', ' ')}) to ${event.data.linkedTo}${event.data.note ? `: ${event.data.note}` : ''}`,
        ),
      };
    default:
      return assertNever(event);
  }
}
