import type { RecordedEvent } from '#event-store';
import { isSlip, type CommitmentEvent, type CommitmentStatus, type Target } from '#governance';

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
  readonly position: string;
}

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
const targetText = (target: Target | null) =>
  target ? `${target.asSaid}${target.latestDate ? ` (by ${target.latestDate})` : ''}` : 'no target';

/** The pure read-model fold: a row and its timeline entry from one recorded event. */
export function applyToCommitmentView(
  view: CommitmentView | null,
  recorded: RecordedEvent,
): { view: CommitmentView | null; entry: TimelineEntry | null } {
  if (view && recorded.position <= view.lastPosition) return { view, entry: null };
  const event = { type: recorded.type, data: recorded.data } as CommitmentEvent;
  const { occurredAt, recordedAt, actor } = recorded.metadata;
  const entry = (text: string, sessionId: string | null = null, evidence: readonly string[] = []): TimelineEntry => ({
    commitmentId: view?.commitmentId ?? (event.type === 'CommitmentMade' ? event.data.commitmentId : ''),
    revision: recorded.revision,
    eventType: event.type,
    occurredAt,
    recordedAt,
    actor,
    sessionId,
    text,
    evidence,
    position: recorded.position,
  });

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
      lastChangedAt: occurredAt,
      lastRecordedAt: recordedAt,
      revision: recorded.revision,
      lastPosition: recorded.position,
    };
    return {
      view: created,
      entry: entry(`Committed: ${sentence(made.summary)} Target: ${targetText(made.target)}.`, made.sessionId),
    };
  }
  if (!view) return { view: null, entry: null };

  const touched = {
    ...view,
    updateCount: view.updateCount + 1,
    lastChangedAt: occurredAt > view.lastChangedAt ? occurredAt : view.lastChangedAt,
    lastRecordedAt: recordedAt,
    revision: recorded.revision,
    lastPosition: recorded.position,
  };
  const retargeted = (previous: Target | null, next: Target | null) => {
    const slipped = isSlip(previous, next);
    const days = slipped && previous?.latestDate && next?.latestDate ? daysBetween(previous.latestDate, next.latestDate) : 0;
    return {
      targetAsSaid: next?.asSaid ?? null,
      targetLatestDate: next?.latestDate ?? null,
      slipCount: touched.slipCount + (slipped ? 1 : 0),
      slipDays: touched.slipDays + days,
    };
  };

  switch (event.type) {
    case 'CommitmentRevisited': {
      const { newTarget, previousTarget, sessionId, statement } = event.data;
      const next = {
        ...touched,
        revisitedIn: [...view.revisitedIn, sessionId],
        ...(newTarget ? retargeted(previousTarget, newTarget) : {}),
      };
      const targetNote = newTarget ? ` — new target: ${targetText(newTarget)}` : '';
      return { view: next, entry: entry(`Revisited: ${statement}${targetNote}`, sessionId) };
    }
    case 'ProgressReported':
      return { view: touched, entry: entry(`Progress: ${event.data.note}`, null, event.data.evidence) };
    case 'WorkStarted':
      return {
        view: { ...touched, status: 'in_progress', workStarted: true },
        entry: entry(`Work started${event.data.note ? `: ${event.data.note}` : '.'}`),
      };
    case 'CommitmentRetargeted': {
      const { previousTarget, newTarget, reason } = event.data;
      return {
        view: { ...touched, ...retargeted(previousTarget, newTarget) },
        entry: entry(`Re-targeted from ${targetText(previousTarget)} to ${targetText(newTarget)}: ${reason}`),
      };
    }
    case 'CommitmentDelivered': {
      const full = event.data.completeness === 'full';
      return {
        view: { ...touched, status: full ? 'delivered' : 'partially_delivered', closedAt: occurredAt, supersededBy: null },
        entry: entry(`${full ? 'Delivered' : 'Partially delivered'}: ${event.data.note}`, null, event.data.evidence),
      };
    }
    case 'CommitmentDropped':
      return {
        view: { ...touched, status: 'dropped', closedAt: occurredAt, supersededBy: null },
        entry: entry(`Dropped (${event.data.reason.replaceAll('_', ' ')}): ${event.data.explanation}`),
      };
    case 'CommitmentSuperseded':
      return {
        view: { ...touched, status: 'superseded', closedAt: occurredAt, supersededBy: event.data.supersededBy },
        entry: entry(`Superseded by ${event.data.supersededBy}: ${event.data.note}`),
      };
    case 'CommitmentReopened':
      return {
        view: { ...touched, status: view.workStarted ? 'in_progress' : 'announced', closedAt: null, supersededBy: null },
        entry: entry(`Reopened: ${event.data.reason}`),
      };
    case 'CommitmentCorrected': {
      const { changes, reason } = event.data;
      const corrected: CommitmentView = {
        ...touched,
        ...(changes.speaker ? { speakerName: changes.speaker.name, speakerRole: changes.speaker.role } : {}),
        ...(changes.ownerTeam !== undefined ? { ownerTeam: changes.ownerTeam } : {}),
        ...(changes.topics !== undefined ? { topics: changes.topics } : {}),
        ...(changes.summary !== undefined ? { summary: changes.summary } : {}),
        ...(changes.quote !== undefined ? { quote: changes.quote } : {}),
        ...(changes.strength !== undefined ? { strength: changes.strength } : {}),
        ...(changes.note !== undefined ? { note: changes.note ?? null } : {}),
        // An editorial fix of the target is not a slip: the record was wrong, not the promise.
        ...(changes.target !== undefined
          ? { targetAsSaid: changes.target?.asSaid ?? null, targetLatestDate: changes.target?.latestDate ?? null }
          : {}),
      };
      return { view: corrected, entry: entry(`Corrected ${Object.keys(changes).join(', ')}: ${reason}`) };
    }
    case 'CommitmentLinked':
      return {
        view: touched,
        entry: entry(
          `Linked (${event.data.relation.replaceAll('_', ' ')}) to ${event.data.linkedTo}${event.data.note ? `: ${event.data.note}` : ''}`,
        ),
      };
    default:
      return { view: touched, entry: null };
  }
}
