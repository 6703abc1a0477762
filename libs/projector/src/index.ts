export * from './projection-positions.js';
export * from './projector.module.js';
