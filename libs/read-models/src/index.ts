export * from './projection/projection.js';
export * from './projection/projection-runner.js';
export * from './projection/change-notice.js';
export * from './commitments/commitment-view.js';
export * from './commitments/commitments.projection.js';
export * from './commitments/commitments.queries.js';
export * from './commitments/search-document.js';
export * from './commitments/commitments-as-of.js';
export * from './sessions/sessions.projection.js';
export * from './sessions/sessions.queries.js';
export * from './dashboard/commitment-state.js';
export * from './dashboard/commitment-states.projection.js';
export * from './dashboard/dashboard.query.js';
export * from './corrections/correction.js';
export * from './corrections/corrections.projection.js';
export * from './corrections/corrections.queries.js';
export * from './links/links.projection.js';
export * from './links/links.queries.js';
export { ReadModels1763800000000 } from './migrations/1763800000000-read-models.js';
export { CommitmentStates1763900000000 } from './migrations/1763900000000-commitment-states.js';
export { Corrections1764100000000 } from './migrations/1764100000000-corrections.js';
export { ProjectionFailures1764250000000 } from './migrations/1764250000000-projection-failures.js';
export { StatusFollowsTheFacts1764320000000 } from './migrations/1764320000000-status-follows-the-facts.js';
export { CommitmentLinks1764400000000 } from './migrations/1764400000000-commitment-links.js';
export { EnglishSearch1764460000000 } from './migrations/1764460000000-english-search.js';
export { TargetWindowsAndNews1764590000000 } from './migrations/1764590000000-target-windows-and-news.js';
export { UpcomingSessions1764750000000 } from './migrations/1764750000000-upcoming-sessions.js';
export { readModelMigrations } from './migrations/index.js';

import { commitmentsProjection } from './commitments/commitments.projection.js';
import { commitmentStatesProjection } from './dashboard/commitment-states.projection.js';
import { correctionsProjection } from './corrections/corrections.projection.js';
import { sessionsProjection } from './sessions/sessions.projection.js';
import { linksProjection } from './links/links.projection.js';

/** Every projection the product runs. */
export const projections = [
  commitmentsProjection,
  sessionsProjection,
  commitmentStatesProjection,
  correctionsProjection,
  linksProjection,
] as const;
export {
  rebuildProjection,
  rebuildProjections,
  type RebuildOptions,
  type RebuildProgress,
  type RebuiltProjection,
} from './projection/rebuild.js';
export { readCheckpoint, readProjectionStatuses, type ProjectionStatus } from './projection/checkpoints.js';
export { fromRow, type ColumnMap } from './projection/json-rows.js';
export type { WriteRows } from './projection/bulk-load.js';
