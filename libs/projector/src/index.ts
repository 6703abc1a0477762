export * from './projection-positions.js';
export * from './projector.module.js';
export * from './read-model-changes.js';
export * from './projection-leadership.js';
