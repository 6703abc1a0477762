export * from './commitment.events.js';
export * from './commitment.state.js';
export * from './commitment.decide.js';
export * from './commitment.news.js';
export * from './commitment-links.js';
