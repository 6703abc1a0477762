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

type ChangesOf = {
  readonly [Type in CommitmentEvent['type']]: ((event: Extract<CommitmentEvent, { type: Type }>) => readonly LinkChange[]) | null;
};

/**
 * The one place that says which events make or undo a link, and how (null: an event of that
 * type never does); the link read model folds it, and reads the log for those types alone.
 */
const LINK_CHANGES: ChangesOf = {
  CommitmentLinked: (event) => [{ kind: 'add', to: event.data.linkedTo, relation: event.data.relation, note: event.data.note }],
  CommitmentSplit: (event) =>
    event.data.parts.map((part) => ({ kind: 'add', to: part, relation: 'split_into', note: event.data.note })),
  CommitmentMerged: (event) => [{ kind: 'add', to: event.data.mergedInto, relation: 'merged_into', note: event.data.note }],
  CommitmentSuperseded: (event) =>
    [event.data.supersededBy, ...(event.data.alsoSupersededBy ?? [])].map((to) => ({
      kind: 'add',
      to,
      relation: 'superseded_by',
      note: event.data.note,
    })),
  CommitmentReopened: () => [{ kind: 'remove', relations: ['superseded_by', 'merged_into'] }],
  CommitmentMade: null,
  CommitmentRevisited: null,
  ProgressReported: null,
  WorkStarted: null,
  CommitmentRetargeted: null,
  CommitmentDelivered: null,
  CommitmentDropped: null,
  CommitmentCorrected: null,
};

/** The event types that can make or undo a link. */
export const LINK_EVENT_TYPES = (Object.keys(LINK_CHANGES) as CommitmentEvent['type'][]).filter(
  (type) => LINK_CHANGES[type] !== null,
);

export function linkChangesOf(event: CommitmentEvent): readonly LinkChange[] {
  const changes = LINK_CHANGES[event.type] as ((event: CommitmentEvent) => readonly LinkChange[]) | null;
  return changes ? changes(event) : [];
}

/** The relation as the commitment at `end` sees it: `from` is where it was recorded. */
export function relationFrom(end: 'from' | 'to', relation: RecordedRelation): LinkEndRelation {
  return end === 'from' ? relation : INVERSE_RELATIONS[relation];
}
