import { PostgresEventStore } from '../postgres/postgres-event-store.js';
import { eventStoreContract } from '../testing/index.js';
import { openEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';

let embedded: EmbeddedPostgres | undefined;

// No held-transaction race here: PGlite is a single backend, so transactions cannot
// commit out of order; the concurrent-writers race still runs through its connection queue.
eventStoreContract({
  name: 'embedded PGlite',
  open: async () => {
    embedded = await openEmbeddedPostgres('memory://');
    return PostgresEventStore.connect({ connectionString: embedded.connectionString, poolSize: 1, namedStatements: false });
  },
  cleanUp: async () => embedded?.stop(),
});
