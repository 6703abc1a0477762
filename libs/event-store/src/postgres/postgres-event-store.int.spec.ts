import { PostgresEventStore } from './postgres-event-store.js';
import { dropSchema, eventStoreContract, holdPostgresAppends, isolatedSchemaName, serverForTests } from '../testing/index.js';

const server = serverForTests('DATABASE_URL');
const schema = isolatedSchemaName('es_contract');

eventStoreContract({
  name: 'PostgreSQL server',
  unavailable: server.unavailable,
  open: () => PostgresEventStore.connect({ connectionString: server.url!, schema }),
  holdAppends: (_store, streamId) => holdPostgresAppends(server.url!, schema, streamId),
  cleanUp: () => dropSchema(server.url!, schema),
});
