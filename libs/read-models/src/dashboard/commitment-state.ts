import type { RecordedEvent } from '#event-store';
import { commitmentIdOfStream } from '#governance';
import {
  applyToCommitmentView,
  applyToCommitmentViewInPlace,
  type ChangingCommitmentView,
  type CommitmentView,
} from '../commitments/commitment-view.js';

/** The fields of the commitments row the dashboard counts, and so a state row keeps. */
const COUNTED = [
  'commitmentId',
  'revision',
  'status',
  'ownerTeam',
  'topics',
  'summary',
  'targetEarliestDate',
  'targetLatestDate',
  'madeAt',
  'closedAt',
  'closedAtPrecision',
  'slipDays',
  'slipCount',
  'extensionCount',
  'lateSlipCount',
  'lastNewsOn',
  'workStarted',
] as const satisfies readonly (keyof CommitmentView)[];

/**
 * A commitment as it stood right after one of its events: a row of `commitment_states`.
 * Only what the dashboard counts, plus what the fold needs to carry on from this row.
 */
export interface CommitmentStateRow extends Pick<CommitmentView, (typeof COUNTED)[number]> {
  readonly position: string;
  readonly recordedAt: string;
  readonly occurredAt: string;
  /** The latest `occurredAt` of every event folded into this state, this one included. */
  readonly latestOccurredAt: string;
}

/**
 * The rest of the fold's input, left empty: fields the fold only carries along. No column of a
 * state row is computed from them (the spec folds the same history both ways to keep that true).
 */
const CARRIED_ONLY: Omit<CommitmentView, (typeof COUNTED)[number] | 'lastPosition' | 'lastChangedAt' | 'lastRecordedAt'> = {
  sessionId: '',
  sessionDate: '',
  revisitedIn: [],
  speakerName: '',
  speakerRole: null,
  quote: '',
  strength: '',
  note: null,
  targetAsSaid: null,
  firstTargetLatestDate: null,
  supersededBy: null,
  updateCount: 0,
};

const counted = (from: CommitmentView | CommitmentStateRow) =>
  Object.fromEntries(COUNTED.map((field) => [field, from[field]])) as Pick<CommitmentView, (typeof COUNTED)[number]>;

/** The fold's input rebuilt from a stored state. */
export function viewOfState(state: CommitmentStateRow): CommitmentView {
  return {
    ...CARRIED_ONLY,
    ...counted(state),
    lastPosition: state.position,
    lastChangedAt: state.latestOccurredAt,
    lastRecordedAt: state.recordedAt,
  };
}

/**
 * Field by field, not by `counted`: one row per event of a replay, and a literal is an object of
 * one shape, quick to make and to read back (the row type, made of COUNTED, keeps the two in step).
 */
function stateOf(commitmentId: string, view: CommitmentView, event: RecordedEvent): CommitmentStateRow {
  const { occurredAt, recordedAt } = event.metadata;
  return {
    commitmentId,
    revision: event.revision,
    status: view.status,
    ownerTeam: view.ownerTeam,
    topics: view.topics,
    summary: view.summary,
    targetEarliestDate: view.targetEarliestDate,
    targetLatestDate: view.targetLatestDate,
    madeAt: view.madeAt,
    closedAt: view.closedAt,
    closedAtPrecision: view.closedAtPrecision,
    slipDays: view.slipDays,
    slipCount: view.slipCount,
    extensionCount: view.extensionCount,
    lateSlipCount: view.lateSlipCount,
    lastNewsOn: view.lastNewsOn,
    workStarted: view.workStarted,
    position: event.position,
    recordedAt,
    occurredAt,
    // The fold keeps the latest occurred time it has seen as `lastChangedAt`.
    latestOccurredAt: view.lastChangedAt,
  };
}

/**
 * The state rows a batch adds: each commitment event folded, with the same pure fold as the
 * `commitments` read model, onto the commitment's latest state (stored, or earlier in the batch).
 * Replays and duplicates of applied events add nothing.
 */
export function foldCommitmentStates(
  latest: ReadonlyMap<string, CommitmentStateRow>,
  events: readonly RecordedEvent[],
): CommitmentStateRow[] {
  const current = new Map(latest);
  const rows: CommitmentStateRow[] = [];
  for (const event of events) {
    const id = commitmentIdOfStream(event.streamId);
    if (id === null) continue;
    const previous = current.get(id) ?? null;
    const before = previous && viewOfState(previous);
    const { view } = applyToCommitmentView(before, event);
    if (!view || view === before) continue;
    const state = stateOf(id, view, event);
    current.set(id, state);
    rows.push(state);
  }
  return rows;
}

/**
 * As `foldCommitmentStates`, for a rebuild's replay, which alone holds its views: each
 * commitment's view is kept in `views` across batches and changed in place, instead of being
 * rebuilt from its last state row and copied for every event (a million short-lived copies).
 */
export function foldCommitmentStatesInPlace(
  views: Map<string, ChangingCommitmentView>,
  events: readonly RecordedEvent[],
): CommitmentStateRow[] {
  const rows: CommitmentStateRow[] = [];
  for (const event of events) {
    const id = commitmentIdOfStream(event.streamId);
    if (id === null) continue;
    const before = views.get(id) ?? null;
    // What the fold skips (an event it has already folded) adds no state.
    if (before && event.position <= before.lastPosition) continue;
    const { view } = applyToCommitmentViewInPlace(before, event);
    if (!view) continue;
    if (view !== before) views.set(id, view);
    rows.push(stateOf(id, view, event));
  }
  return rows;
}

export const commitmentIdsOf = (events: readonly RecordedEvent[]) => [
  ...new Set(events.flatMap((event) => commitmentIdOfStream(event.streamId) ?? [])),
];
