import { assertNever, windowStart, type CalendarDate, type SessionFacts } from '../shared/index.js';
import type { CommitmentDetails, CommitmentEvent, DatePrecision, LinkRelation } from './commitment.events.js';

export const OPEN_STATUSES = ['announced', 'in_progress'] as const;
export const CLOSED_STATUSES = ['delivered', 'partially_delivered', 'dropped', 'superseded', 'split'] as const;
export const COMMITMENT_STATUSES = [...OPEN_STATUSES, ...CLOSED_STATUSES] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];

export const isOpenStatus = (status: string): status is (typeof OPEN_STATUSES)[number] =>
  (OPEN_STATUSES as readonly string[]).includes(status);

/** Open and past its latest target date: derived from `today`, never stored. */
export const isOverdue = (status: string, targetLatestDate: CalendarDate | null, today: CalendarDate): boolean =>
  isOpenStatus(status) && targetLatestDate !== null && targetLatestDate < today;

/**
 * How a delivery (in full or in part) stood against the latest day of the target it had then:
 * `unknown` when its day is known only as a bound on the wrong side of that date (no later than a
 * day after it, or no earlier than a day before it), since it may have closed either side;
 * `no_target` when it named no day; `null` when it was not delivered.
 * The one definition of "on time" and "late": session outcomes, scorecards and the dashboard use it.
 */
export type DeliveryTiming = 'on_time' | 'late' | 'unknown' | 'no_target';
export const deliveryTiming = (
  status: string,
  closedOn: CalendarDate | null,
  precision: DatePrecision,
  targetLatestDate: CalendarDate | null,
): DeliveryTiming | null => {
  if ((status !== 'delivered' && status !== 'partially_delivered') || closedOn === null) return null;
  if (targetLatestDate === null) return 'no_target';
  if (closedOn <= targetLatestDate) return precision === 'no_earlier_than' ? 'unknown' : 'on_time';
  return precision === 'no_later_than' ? 'unknown' : 'late';
};

/**
 * Open and today inside its target window, both ends included: derived from `today`, never
 * stored. A target named by its last day alone ("by 15 September") is due on that day.
 */
export const isDue = (
  status: string,
  target: { readonly earliestDate?: CalendarDate | null; readonly latestDate: CalendarDate | null } | null,
  today: CalendarDate,
): boolean => {
  const start = windowStart(target);
  return isOpenStatus(status) && start !== null && start <= today && today <= target!.latestDate!;
};

/** The default of STALE_AFTER_MONTHS: an open commitment with no news for longer than this is stale. */
export const DEFAULT_STALE_AFTER_MONTHS = 6;

/**
 * The first day on which news still counts as recent: `months` before `today`, on the same day
 * of the month, or that month's last day when it has fewer (as PostgreSQL's `date - interval` does).
 */
export function staleCutoff(today: CalendarDate, months: number): CalendarDate {
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const monthIndex = year * 12 + (month - 1) - months;
  const cutoffYear = Math.floor(monthIndex / 12);
  const cutoffMonth = monthIndex - cutoffYear * 12;
  const lastDay = new Date(Date.UTC(cutoffYear, cutoffMonth + 1, 0)).getUTCDate();
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(cutoffYear, 4)}-${pad(cutoffMonth + 1, 2)}-${pad(Math.min(day, lastDay), 2)}`;
}

/**
 * Open and no news since before the cutoff (`staleCutoff(today, months)`): no news for longer than
 * the configured period. Derived from today, never stored.
 */
export const isStale = (status: string, lastNewsOn: CalendarDate | null, cutoff: CalendarDate): boolean =>
  isOpenStatus(status) && lastNewsOn !== null && lastNewsOn < cutoff;

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

/** Where a commitment stands: its status, and whether work on it has ever started. */
export interface StatusStanding {
  readonly status: CommitmentStatus;
  readonly started: boolean;
}

/**
 * The status a commitment goes to after an event: the one definition the domain's `evolve` and
 * every read model's fold use. A progress report on an announced commitment means work has
 * started; a reopened one goes back to work if work had started.
 */
export function statusAfter(before: StatusStanding | null, event: CommitmentEvent): StatusStanding {
  if (event.type === 'CommitmentMade') return { status: 'announced', started: false };
  if (before === null) return { status: 'announced', started: false };
  switch (event.type) {
    case 'ProgressReported':
      return isOpenStatus(before.status) ? { status: 'in_progress', started: true } : before;
    case 'WorkStarted':
      return { status: 'in_progress', started: true };
    case 'CommitmentDelivered':
      return { ...before, status: event.data.completeness === 'full' ? 'delivered' : 'partially_delivered' };
    case 'CommitmentDropped':
      return { ...before, status: 'dropped' };
    case 'CommitmentSuperseded':
    case 'CommitmentMerged':
      return { ...before, status: 'superseded' };
    case 'CommitmentSplit':
      return { ...before, status: 'split' };
    case 'CommitmentReopened':
      return { ...before, status: reopenedStatus(before.started) };
    case 'CommitmentRevisited':
    case 'CommitmentRetargeted':
    case 'CommitmentCorrected':
    case 'CommitmentLinked':
      return before;
    default:
      return assertNever(event);
  }
}

export function evolveCommitment(state: CommitmentState, event: CommitmentEvent): CommitmentState {
  if (event.type === 'CommitmentMade') {
    const { commitmentId, sessionId, sessionDate, ...details } = event.data;
    return {
      ...statusAfter(null, event),
      commitmentId,
      madeIn: { sessionId, date: sessionDate },
      revisitedIn: [],
      links: [],
      ...details,
    } as OpenCommitment;
  }
  if (state.status === 'not_made') return state;
  const record = recordAfter(state, event);
  const { status, started } = statusAfter(state, event);
  const rest = withoutSupersession(record);
  if (status === 'superseded') {
    const replaced =
      event.type === 'CommitmentSuperseded'
        ? { supersededBy: event.data.supersededBy, alsoSupersededBy: event.data.alsoSupersededBy ?? [] }
        : event.type === 'CommitmentMerged'
          ? { supersededBy: event.data.mergedInto, alsoSupersededBy: [] }
          : {
              supersededBy: (state as SupersededCommitment).supersededBy,
              alsoSupersededBy: (state as SupersededCommitment).alsoSupersededBy,
            };
    return { ...rest, started, status, ...replaced };
  }
  if (status === 'split') {
    const splitInto = event.type === 'CommitmentSplit' ? event.data.parts : (state as SplitCommitmentState).splitInto;
    return { ...rest, started, status, splitInto };
  }
  return { ...rest, started, status };
}

/** Everything but the status: sessions, target, details and links after an event. */
function recordAfter(
  state: OpenCommitment | ClosedCommitment,
  event: Exclude<CommitmentEvent, { type: 'CommitmentMade' }>,
): OpenCommitment | ClosedCommitment {
  switch (event.type) {
    case 'CommitmentRevisited':
      return {
        ...state,
        revisitedIn: [...state.revisitedIn, { sessionId: event.data.sessionId, date: event.data.sessionDate }],
        target: event.data.newTarget ?? state.target,
      };
    case 'CommitmentRetargeted':
      return { ...state, target: event.data.newTarget };
    case 'CommitmentCorrected':
      return { ...state, ...event.data.changes };
    case 'CommitmentLinked':
      return { ...state, links: [...state.links, { linkedTo: event.data.linkedTo, relation: event.data.relation }] };
    case 'ProgressReported':
    case 'WorkStarted':
    case 'CommitmentDelivered':
    case 'CommitmentDropped':
    case 'CommitmentSuperseded':
    case 'CommitmentMerged':
    case 'CommitmentSplit':
    case 'CommitmentReopened':
      return state;
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
