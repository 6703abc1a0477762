import type { RecordedEvent } from '#event-store';
import { commitmentIdOfStream, type CommitmentStatus } from '#governance';
import { applyToCommitmentView, type CommitmentView } from '../commitments/commitment-view.js';

/**
 * A commitment as it stood right after one of its events: a row of `commitment_states`.
 * Only what the dashboard counts, plus what the fold needs to carry on from this row.
 */
export interface CommitmentStateRow {
  readonly commitmentId: string;
  readonly revision: number;
  readonly position: string;
  readonly recordedAt: string;
  readonly occurredAt: string;
  /** The latest `occurredAt` of every event folded into this state, this one included. */
  readonly latestOccurredAt: string;
  readonly status: CommitmentStatus;
  readonly ownerTeam: string;
  readonly topics: readonly string[];
  readonly summary: string;
  readonly targetLatestDate: string | null;
  readonly madeAt: string;
  readonly closedAt: string | null;
  readonly slipDays: number;
  readonly slipCount: number;
  readonly workStarted: boolean;
}

/**
 * The fold's input rebuilt from a stored state. The fields left empty are ones the fold only
 * carries along: no column of a state row is computed from them (the spec folds the same
 * history both ways to keep that true).
 */
export function viewOfState(state: CommitmentStateRow): CommitmentView {
  return {
    commitmentId: state.commitmentId,
    status: state.status,
    ownerTeam: state.ownerTeam,
    topics: state.topics,
    summary: state.summary,
    targetLatestDate: state.targetLatestDate,
    madeAt: state.madeAt,
    closedAt: state.closedAt,
    slipDays: state.slipDays,
    slipCount: state.slipCount,
    workStarted: state.workStarted,
    revision: state.revision,
    lastPosition: state.position,
    lastChangedAt: state.latestOccurredAt,
    lastRecordedAt: state.recordedAt,
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
}

function stateOf(commitmentId: string, view: CommitmentView, event: RecordedEvent): CommitmentStateRow {
  const { occurredAt, recordedAt } = event.metadata;
  return {
    commitmentId,
    revision: event.revision,
    position: event.position,
    recordedAt,
    occurredAt,
    // The fold keeps the latest occurred time it has seen as `lastChangedAt`.
    latestOccurredAt: view.lastChangedAt,
    status: view.status,
    ownerTeam: view.ownerTeam,
    topics: view.topics,
    summary: view.summary,
    targetLatestDate: view.targetLatestDate,
    madeAt: view.madeAt,
    closedAt: view.closedAt,
    slipDays: view.slipDays,
    slipCount: view.slipCount,
    workStarted: view.workStarted,
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

export const commitmentIdsOf = (events: readonly RecordedEvent[]) => [
  ...new Set(events.flatMap((event) => commitmentIdOfStream(event.streamId) ?? [])),
];
