export * from './shared/index.js';
export * from './sessions/session.js';
export * from './commitments/commitment.js';
