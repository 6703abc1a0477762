import type { CalendarDate, DomainEvent, Person, Strength, Target } from '../shared/index.js';

/** What an editor may fix after the fact without it counting as progress or a slip. */
export interface CommitmentDetails {
  readonly speaker: Person;
  readonly ownerTeam: string;
  readonly topics: readonly string[];
  /** In the tracker's words. */
  readonly summary: string;
  /** Short and exact, from the notes. */
  readonly quote: string;
  readonly target: Target | null;
  readonly strength: Strength;
  /** An editor's doubts or context, kept apart from the promise itself. */
  readonly note?: string | null;
}

export const DROP_REASONS = ['deprioritised', 'no_longer_possible', 'replaced', 'out_of_scope', 'other'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/**
 * How exactly an event's `occurredAt` is known. `no_later_than`: the notes say it had happened by
 * then ("has been ratified") but not when, so `occurredAt` is an upper bound. `no_earlier_than`:
 * it happened then or after, on a day the notes do not give (answers written "after the call"), so
 * `occurredAt` is a lower bound. Neither is ever shown as the day it happened. Events stored
 * before this field read as `exact`.
 */
export const DATE_PRECISIONS = ['exact', 'no_later_than', 'no_earlier_than'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];

/** What every status change may carry; optional because events stored before them have neither. */
export interface StatusChangeFacts {
  /** Links that show it: http(s) URLs. */
  readonly evidence?: readonly string[];
  readonly datePrecision?: DatePrecision;
}

/** The precision of an event's date, `exact` for events stored before it was recorded. */
export const datePrecisionOf = (data: object): DatePrecision => {
  const precision = (data as StatusChangeFacts).datePrecision;
  return precision !== undefined && (DATE_PRECISIONS as readonly string[]).includes(precision) ? precision : 'exact';
};

/** The evidence links of an event, none for events that carry none. */
export const evidenceOf = (data: object): readonly string[] => (data as StatusChangeFacts).evidence ?? [];

export const LINK_RELATIONS = ['related', 'follows_up', 'restates', 'depends_on'] as const;
export type LinkRelation = (typeof LINK_RELATIONS)[number];

const COMMITMENT_STREAM = 'commitment-';
export const commitmentStreamId = (commitmentId: string) => `${COMMITMENT_STREAM}${commitmentId}`;
/** The commitment a stream belongs to, or null for another aggregate's stream. */
export const commitmentIdOfStream = (streamId: string): string | null =>
  streamId.startsWith(COMMITMENT_STREAM) ? streamId.slice(COMMITMENT_STREAM.length) : null;

export type CommitmentMade = DomainEvent<
  'CommitmentMade',
  { readonly commitmentId: string; readonly sessionId: string; readonly sessionDate: CalendarDate } & CommitmentDetails
>;
export type CommitmentRevisited = DomainEvent<
  'CommitmentRevisited',
  {
    readonly sessionId: string;
    readonly sessionDate: CalendarDate;
    readonly statement: string;
    readonly quote: string | null;
    readonly speaker: Person | null;
    /** Set when the later session named a new target; `previousTarget` makes the change self-describing. */
    readonly newTarget: Target | null;
    readonly previousTarget: Target | null;
  }
>;
export type ProgressReported = DomainEvent<
  'ProgressReported',
  { readonly note: string; readonly evidence: readonly string[] } & StatusChangeFacts
>;
export type WorkStarted = DomainEvent<'WorkStarted', { readonly note: string | null } & StatusChangeFacts>;
export type CommitmentRetargeted = DomainEvent<
  'CommitmentRetargeted',
  { readonly previousTarget: Target | null; readonly newTarget: Target; readonly reason: string } & StatusChangeFacts
>;
export type CommitmentDelivered = DomainEvent<
  'CommitmentDelivered',
  { readonly completeness: 'full' | 'partial'; readonly note: string; readonly evidence: readonly string[] } & StatusChangeFacts
>;
export type CommitmentDropped = DomainEvent<
  'CommitmentDropped',
  { readonly reason: DropReason; readonly explanation: string } & StatusChangeFacts
>;
export type CommitmentSuperseded = DomainEvent<
  'CommitmentSuperseded',
  {
    readonly supersededBy: string;
    readonly note: string;
    /** The further replacements when it was superseded by several; absent on older events and for one. */
    readonly alsoSupersededBy?: readonly string[];
  } & StatusChangeFacts
>;
/** It closed as split into new commitments (its parts), each made with its own `CommitmentMade`. */
export type CommitmentSplit = DomainEvent<
  'CommitmentSplit',
  { readonly parts: readonly string[]; readonly note: string } & StatusChangeFacts
>;
/** It closed as merged into another commitment, which carries on the promise. */
export type CommitmentMerged = DomainEvent<
  'CommitmentMerged',
  { readonly mergedInto: string; readonly note: string } & StatusChangeFacts
>;
export type CommitmentReopened = DomainEvent<'CommitmentReopened', { readonly reason: string } & StatusChangeFacts>;
export type CommitmentCorrected = DomainEvent<
  'CommitmentCorrected',
  { readonly changes: Partial<CommitmentDetails>; readonly reason: string }
>;
export type CommitmentLinked = DomainEvent<
  'CommitmentLinked',
  { readonly linkedTo: string; readonly relation: LinkRelation; readonly note: string | null }
>;

export type CommitmentEvent =
  | CommitmentMade
  | CommitmentRevisited
  | ProgressReported
  | WorkStarted
  | CommitmentRetargeted
  | CommitmentDelivered
  | CommitmentDropped
  | CommitmentSuperseded
  | CommitmentSplit
  | CommitmentMerged
  | CommitmentReopened
  | CommitmentCorrected
  | CommitmentLinked;
