import type { RecordedEvent } from '#event-store';
import { asRecorded, type Recorded } from '../projection/projection.js';
import {
  assertNever,
  datePrecisionOf,
  dayOf,
  evidenceOf,
  isNews,
  isOpenStatus,
  slipKind,
  statusAfter,
  type CommitmentEvent,
  type CommitmentStatus,
  type DatePrecision,
  type SlipKind,
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
  /** The first day of the target's window, when its words give one. */
  readonly targetEarliestDate: string | null;
  readonly targetLatestDate: string | null;
  readonly firstTargetLatestDate: string | null;
  readonly supersededBy: string | null;
  /** Work started at some point: a reopened commitment returns to in_progress, else announced. */
  readonly workStarted: boolean;
  /** Every event after the first: progress, revisits, outcomes, corrections, links. */
  readonly updateCount: number;
  readonly slipCount: number;
  /** Of the slips, those announced on or before the previous target's latest day. */
  readonly extensionCount: number;
  /** Of the slips, those announced after the previous target had passed. */
  readonly lateSlipCount: number;
  /** Days the deadline moved later in all, for the median slip on the dashboard. */
  readonly slipDays: number;
  /** The occurred day of its latest news (made, revisited, progress, start, re-target, outcome); links and corrections are not news. */
  readonly lastNewsOn: string;
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
  /** For a new target that moved it later: announced while the old one stood, or after it had passed. */
  readonly slip: SlipKind | null;
  readonly position: string;
}

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
const targetText = (target: Target | null) => {
  if (!target) return 'no target';
  if (target.latestDate === null) return target.asSaid;
  const window =
    target.earliestDate && target.earliestDate !== target.latestDate
      ? `${target.earliestDate} to ${target.latestDate}`
      : `by ${target.latestDate}`;
  return `${target.asSaid} (${window})`;
};

/** A view its owner lets the fold change in place. */
export type ChangingCommitmentView = { -readonly [K in keyof CommitmentView]: CommitmentView[K] };
type Changing<T> = { -readonly [K in keyof T]: T[K] };

/** A copy of the view for the fold to change; a spread of one shape keeps that shape (V8 clones its map). */
const copyOf = (view: CommitmentView): Changing<CommitmentView> => ({ ...view });

/** A new target, announced on `announcedOn`; a later one counts as a slip (an extension or a late slip), with the days it moved. */
function retarget(
  view: Changing<CommitmentView>,
  previous: Target | null,
  next: Target | null,
  announcedOn: string,
): SlipKind | null {
  const slip = slipKind(previous, next, announcedOn);
  setTarget(view, next);
  if (slip === null) return null;
  view.slipCount += 1;
  if (slip === 'extension') view.extensionCount += 1;
  else view.lateSlipCount += 1;
  if (previous?.latestDate && next?.latestDate) view.slipDays += daysBetween(previous.latestDate, next.latestDate);
  return slip;
}

function setTarget(view: Changing<CommitmentView>, target: Target | null): void {
  view.targetAsSaid = target?.asSaid ?? null;
  view.targetEarliestDate = target?.earliestDate ?? null;
  view.targetLatestDate = target?.latestDate ?? null;
}

const timelineEntry = (
  recorded: Recorded<CommitmentEvent>,
  commitmentId: string,
  text: string,
  sessionId: string | null = null,
  evidence: readonly string[] = [],
  slip: SlipKind | null = null,
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
  slip,
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
      targetEarliestDate: made.target?.earliestDate ?? null,
      targetLatestDate: made.target?.latestDate ?? null,
      firstTargetLatestDate: made.target?.latestDate ?? null,
      supersededBy: null,
      workStarted: false,
      updateCount: 0,
      slipCount: 0,
      extensionCount: 0,
      lateSlipCount: 0,
      slipDays: 0,
      lastNewsOn: dayOf(occurredAt),
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
  const newsOn = dayOf(occurredAt);
  if (isNews(event.type) && newsOn > view.lastNewsOn) next.lastNewsOn = newsOn;
  const entry = (text: string, sessionId: string | null = null, slip: SlipKind | null = null) =>
    timelineEntry(event, view.commitmentId, text, sessionId, evidenceOf(event.data), slip);

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
      const slip = newTarget ? retarget(next, previousTarget, newTarget, newsOn) : null;
      const targetNote = newTarget ? ` — new target: ${targetText(newTarget)}` : '';
      return { view: next, entry: entry(`Revisited: ${statement}${targetNote}`, sessionId, slip) };
    }
    case 'ProgressReported':
      return { view: next, entry: entry(`Progress: ${event.data.note}`) };
    case 'WorkStarted':
      return { view: next, entry: entry(`Work started${event.data.note ? `: ${event.data.note}` : '.'}`) };
    case 'CommitmentRetargeted': {
      const { previousTarget, newTarget, reason } = event.data;
      const slip = retarget(next, previousTarget, newTarget, newsOn);
      return {
        view: next,
        entry: entry(`Re-targeted from ${targetText(previousTarget)} to ${targetText(newTarget)}: ${reason}`, null, slip),
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
      return {
        view: next,
        entry: entry(
          `Superseded by ${[event.data.supersededBy, ...(event.data.alsoSupersededBy ?? [])].join(', ')}: ${event.data.note}`,
        ),
      };
    case 'CommitmentMerged':
      next.supersededBy = event.data.mergedInto;
      return { view: next, entry: entry(`Merged into ${event.data.mergedInto}: ${event.data.note}`) };
    case 'CommitmentSplit':
      return { view: next, entry: entry(`Split into ${event.data.parts.join(', ')}: ${event.data.note}`) };
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
      if (changes.target !== undefined) setTarget(next, changes.target);
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
