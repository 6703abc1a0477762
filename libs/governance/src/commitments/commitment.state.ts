import { assertNever, type CalendarDate, type SessionFacts } from '../shared/index.js';
import type { CommitmentDetails, CommitmentEvent, LinkRelation } from './commitment.events.js';

export const OPEN_STATUSES = ['announced', 'in_progress'] as const;
export const CLOSED_STATUSES = ['delivered', 'partially_delivered', 'dropped', 'superseded', 'split'] as const;
export const COMMITMENT_STATUSES = [...OPEN_STATUSES, ...CLOSED_STATUSES] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];

export const isOpenStatus = (status: string): status is (typeof OPEN_STATUSES)[number] =>
  (OPEN_STATUSES as readonly string[]).includes(status);

/** Open and past its latest target date: derived from `today`, never stored. */
export const isOverdue = (status: string, targetLatestDate: CalendarDate | null, today: CalendarDate): boolean =>
  isOpenStatus(status) && targetLatestDate !== null && targetLatestDate < today;

/** Where a reopened commitment goes: back to work if work had started, else to announced. */
export const reopenedStatus = (started: boolean): OpenCommitment['status'] => (started ? 'in_progress' : 'announced');

interface CommitmentRecord extends CommitmentDetails {
  readonly commitmentId: string;
  readonly madeIn: SessionFacts;
  readonly revisitedIn: readonly SessionFacts[];
  /** Work has started at some point; a reopened commitment goes back to `in_progress` then. */
  readonly started: boolean;
  readonly links: readonly { readonly linkedTo: string; readonly relation: LinkRelation }[];
}

export type OpenCommitment = CommitmentRecord & { readonly status: 'announced' | 'in_progress' };
/** Superseded by other commitments, or merged into one (`supersededBy` holds it). */
export type SupersededCommitment = CommitmentRecord & {
  readonly status: 'superseded';
  readonly supersededBy: string;
  readonly alsoSupersededBy: readonly string[];
};
export type SplitCommitmentState = CommitmentRecord & { readonly status: 'split'; readonly splitInto: readonly string[] };
export type ClosedCommitment =
  | (CommitmentRecord & { readonly status: 'delivered' | 'partially_delivered' | 'dropped' })
  | SupersededCommitment
  | SplitCommitmentState;

export type CommitmentState = { readonly status: 'not_made' } | OpenCommitment | ClosedCommitment;

export const initialCommitmentState: CommitmentState = { status: 'not_made' };

export const isOpen = (state: CommitmentState): state is OpenCommitment =>
  state.status === 'announced' || state.status === 'in_progress';

export const isClosed = (state: CommitmentState): state is ClosedCommitment =>
  (CLOSED_STATUSES as readonly string[]).includes(state.status);

export function evolveCommitment(state: CommitmentState, event: CommitmentEvent): CommitmentState {
  if (event.type === 'CommitmentMade') {
    const { commitmentId, sessionId, sessionDate, ...details } = event.data;
    return {
      status: 'announced',
      commitmentId,
      madeIn: { sessionId, date: sessionDate },
      revisitedIn: [],
      started: false,
      links: [],
      ...details,
    };
  }
  if (state.status === 'not_made') return state;
  switch (event.type) {
    case 'CommitmentRevisited':
      return {
        ...state,
        revisitedIn: [...state.revisitedIn, { sessionId: event.data.sessionId, date: event.data.sessionDate }],
        target: event.data.newTarget ?? state.target,
      };
    case 'ProgressReported':
      return state;
    case 'WorkStarted':
      return { ...state, status: 'in_progress', started: true };
    case 'CommitmentRetargeted':
      return { ...state, target: event.data.newTarget };
    case 'CommitmentDelivered':
      return { ...withoutSupersession(state), status: event.data.completeness === 'full' ? 'delivered' : 'partially_delivered' };
    case 'CommitmentDropped':
      return { ...withoutSupersession(state), status: 'dropped' };
    case 'CommitmentSuperseded':
      return {
        ...withoutSupersession(state),
        status: 'superseded',
        supersededBy: event.data.supersededBy,
        alsoSupersededBy: event.data.alsoSupersededBy ?? [],
      };
    case 'CommitmentMerged':
      return { ...withoutSupersession(state), status: 'superseded', supersededBy: event.data.mergedInto, alsoSupersededBy: [] };
    case 'CommitmentSplit':
      return { ...withoutSupersession(state), status: 'split', splitInto: event.data.parts };
    case 'CommitmentReopened':
      return { ...withoutSupersession(state), status: reopenedStatus(state.started) };
    case 'CommitmentCorrected':
      return { ...state, ...event.data.changes };
    case 'CommitmentLinked':
      return { ...state, links: [...state.links, { linkedTo: event.data.linkedTo, relation: event.data.relation }] };
    default:
      return assertNever(event);
  }
}

/** The record without what replaced it: a reopened commitment is no longer superseded or split. */
function withoutSupersession(state: OpenCommitment | ClosedCommitment): CommitmentRecord {
  if (state.status === 'superseded') {
    const { supersededBy: _by, alsoSupersededBy: _also, ...rest } = state;
    return rest;
  }
  if (state.status === 'split') {
    const { splitInto: _parts, ...rest } = state;
    return rest;
  }
  return state;
}

/** The commitments that carry this one on: what superseded it, what it merged into, its parts. */
export function replacementsOf(state: CommitmentState): readonly string[] {
  if (state.status === 'superseded') return [state.supersededBy, ...state.alsoSupersededBy];
  if (state.status === 'split') return state.splitInto;
  return [];
}
