import { assertNever } from '../shared/index.js';
import { LINK_RELATIONS, type CommitmentEvent } from './commitment.events.js';

/**
 * Every relation the record holds between two commitments, named from the commitment whose
 * event recorded it: the ones an editor links by hand, and the ones split, merge and supersede make.
 */
export const RECORDED_RELATIONS = [...LINK_RELATIONS, 'split_into', 'merged_into', 'superseded_by'] as const;
export type RecordedRelation = (typeof RECORDED_RELATIONS)[number];

/** The same relation named from the other end. */
export const INVERSE_RELATIONS = {
  related: 'related',
  follows_up: 'followed_up_by',
  restates: 'restated_by',
  depends_on: 'depended_on_by',
  split_into: 'split_from',
  merged_into: 'merged_from',
  superseded_by: 'supersedes',
} as const satisfies { readonly [Relation in RecordedRelation]: string };

/** A relation as one end of a link sees it. */
export type LinkEndRelation = RecordedRelation | (typeof INVERSE_RELATIONS)[RecordedRelation];
export const LINK_END_RELATIONS = [
  ...RECORDED_RELATIONS,
  ...Object.values(INVERSE_RELATIONS).filter((inverse) => inverse !== 'related'),
] as readonly LinkEndRelation[];

/** How a page says it: "follows up X", "followed up by Y". */
export const LINK_WORDS: { readonly [Relation in LinkEndRelation]: string } = {
  related: 'related to',
  follows_up: 'follows up',
  followed_up_by: 'followed up by',
  restates: 'restates',
  restated_by: 'restated by',
  depends_on: 'depends on',
  depended_on_by: 'needed by',
  split_into: 'split into',
  split_from: 'split from',
  merged_into: 'merged into',
  merged_from: 'merged from',
  superseded_by: 'superseded by',
  supersedes: 'supersedes',
};

/** What an event does to the links recorded from its commitment. */
export type LinkChange =
  | { readonly kind: 'add'; readonly to: string; readonly relation: RecordedRelation; readonly note: string | null }
  /** Reopening undoes the closing links: it is no longer superseded or merged. */
  | { readonly kind: 'remove'; readonly relations: readonly RecordedRelation[] };

/** The one place that says which events make or undo a link; the link read model folds it. */
export function linkChangesOf(event: CommitmentEvent): readonly LinkChange[] {
  switch (event.type) {
    case 'CommitmentLinked':
      return [{ kind: 'add', to: event.data.linkedTo, relation: event.data.relation, note: event.data.note }];
    case 'CommitmentSplit':
      return event.data.parts.map((part) => ({ kind: 'add', to: part, relation: 'split_into', note: event.data.note }));
    case 'CommitmentMerged':
      return [{ kind: 'add', to: event.data.mergedInto, relation: 'merged_into', note: event.data.note }];
    case 'CommitmentSuperseded':
      return [event.data.supersededBy, ...(event.data.alsoSupersededBy ?? [])].map((to) => ({
        kind: 'add',
        to,
        relation: 'superseded_by',
        note: event.data.note,
      }));
    case 'CommitmentReopened':
      return [{ kind: 'remove', relations: ['superseded_by', 'merged_into'] }];
    case 'CommitmentMade':
    case 'CommitmentRevisited':
    case 'ProgressReported':
    case 'WorkStarted':
    case 'CommitmentRetargeted':
    case 'CommitmentDelivered':
    case 'CommitmentDropped':
    case 'CommitmentCorrected':
      return [];
    default:
      return assertNever(event);
  }
}

/** The relation as the commitment at `end` sees it: `from` is where it was recorded. */
export function relationFrom(end: 'from' | 'to', relation: RecordedRelation): LinkEndRelation {
  return end === 'from' ? relation : INVERSE_RELATIONS[relation];
}
