export * from './event-store.js';
export * from './errors.js';
export { APPEND_LIMITS } from './append-validation.js';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store.js';
// The EventStoreDB adapter is `#event-store/eventstoredb`: its gRPC client (some 200 modules) loads only where one is configured.
export { openEmbeddedPostgres, type EmbeddedPostgres } from './embedded/embedded-postgres.js';
export { emptyClusterTemplate, type ClusterSchema } from './embedded/cluster-template.js';
export { eventStoreSchemaText } from './postgres/schema.js';
export { UpcasterRegistry, upcastingEventStore, type Upcaster } from './upcasting/upcasting.js';
export { observedEventStore, type AppendObserver } from './upcasting/observed-event-store.js';
export { LogAppends, announcingAppends } from './log-appends.js';
