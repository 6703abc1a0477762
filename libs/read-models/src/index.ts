export * from './projection/projection.js';
export * from './projection/projection-runner.js';
export * from './commitments/commitment-view.js';
export * from './commitments/commitments.projection.js';
export * from './sessions/sessions.projection.js';
export { ReadModels1763800000000 } from './migrations/1763800000000-read-models.js';

import { commitmentsProjection } from './commitments/commitments.projection.js';
import { sessionsProjection } from './sessions/sessions.projection.js';

/** Every projection the product runs. */
export const projections = [commitmentsProjection, sessionsProjection] as const;
export { CommitmentEntity, TimelineEntryEntity } from './commitments/commitment.entity.js';
export { SessionEntity } from './sessions/session.entity.js';
export { rebuildProjection, type RebuildProgress } from './projection/rebuild.js';
