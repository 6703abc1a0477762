import type { CommitmentStatus, DatePrecision, Strength } from '#governance';
import type { Outcome } from '../../sessions/outcomes.js';

/** Everything a status badge can show: a commitment's status, what became of it (a session's record), or a flag derived from the day. */
export type ShownStatus = CommitmentStatus | Outcome | 'due' | 'stale';

export const STATUS_LABELS: Readonly<Record<ShownStatus, string>> = {
  announced: 'Announced',
  in_progress: 'In progress',
  delivered: 'Delivered',
  delivered_late: 'Delivered late',
  partially_delivered: 'Partially delivered',
  dropped: 'Dropped',
  superseded: 'Superseded',
  split: 'Split',
  open: 'Open',
  overdue: 'Overdue',
  due: 'Due',
  stale: 'Stale',
};

/** How firm a commitment was, in words, wherever a commitment is shown. */
export const STRENGTH_LABELS: Readonly<Record<Strength, string>> = {
  firm: 'firm promise',
  plan: 'plan',
  hope: 'hope',
  follow_up: 'promise to follow up',
  vague: 'vague',
};

/** What goes before a day, by how exactly it is known: a day known only as an upper bound is never shown as the day. */
export const DAY_PRECISION_WORDS: Readonly<Record<DatePrecision, string>> = {
  exact: '',
  no_later_than: 'no later than ',
  no_earlier_than: 'no earlier than ',
};

export const status = `<span class="status status-<%= it.status %>"><%= it.label %></span>`;

/** A commitment's status badges (`words.status`): the same words on every page and list. */
export const statusWords = `<% it.badges.forEach(function (b, i) { %><%= i ? ' ' : '' %><span class="status status-<%= b.status %>"><%= b.label %></span><% }) %>`;
