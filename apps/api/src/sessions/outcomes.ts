/** What became of a commitment made in a session, as of a day (a session's scorecard counts them). */
export const OUTCOMES = [
  'delivered',
  'delivered_late',
  'partially_delivered',
  'open',
  'overdue',
  'dropped',
  'superseded',
  'split',
] as const;
export type Outcome = (typeof OUTCOMES)[number];
