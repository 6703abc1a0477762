export * from './event-store.js';
export * from './errors.js';
export { APPEND_LIMITS } from './append-validation.js';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store.js';
export { EventStoreDbEventStore, type EventStoreDbEventStoreOptions } from './eventstoredb/eventstoredb-event-store.js';
export { openEmbeddedPostgres, type EmbeddedPostgres } from './embedded/embedded-postgres.js';
