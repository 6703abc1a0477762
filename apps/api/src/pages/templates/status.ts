import type { CommitmentStatus } from '#governance';
import type { Outcome } from '../../sessions/session-read.dto.js';

/** Everything a status badge can show: a commitment's status, or what became of it (a session's record, overdue). */
export type ShownStatus = CommitmentStatus | Outcome;

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
};

export const status = `<span class="status status-<%= it.status %>"><%= it.label %></span>`;
