import type { CommitmentEvent } from './commitment.events.js';

/**
 * Which events are news about a commitment: what was said or done about the promise itself.
 * Links and corrections are bookkeeping of the record, not news; a new event type must say.
 */
const IS_NEWS: { readonly [Type in CommitmentEvent['type']]: boolean } = {
  CommitmentMade: true,
  CommitmentRevisited: true,
  ProgressReported: true,
  WorkStarted: true,
  CommitmentRetargeted: true,
  CommitmentDelivered: true,
  CommitmentDropped: true,
  CommitmentSuperseded: true,
  CommitmentSplit: true,
  CommitmentMerged: true,
  CommitmentReopened: true,
  CommitmentCorrected: false,
  CommitmentLinked: false,
};

/** Every commitment event type (the table above must name each). */
export const COMMITMENT_EVENT_TYPES = Object.keys(IS_NEWS) as CommitmentEvent['type'][];

export const NEWS_EVENT_TYPES = (Object.keys(IS_NEWS) as CommitmentEvent['type'][]).filter((type) => IS_NEWS[type]);

/** News: made, revisited, progress, work started, re-target, outcome (delivered, dropped, superseded, split, merged, reopened). */
export const isNews = (eventType: string): boolean => (IS_NEWS as Readonly<Record<string, boolean>>)[eventType] === true;
