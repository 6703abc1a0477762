export * from './calendar.js';
export * from './decider.js';
export * from './values.js';
export * from './well-formed.js';
export * from './figures.js';
