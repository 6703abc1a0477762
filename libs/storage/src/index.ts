export * from './database.js';
export * from './read-model-sql.js';
export * from './storage.module.js';
export * from './event-schemas.js';
