import { EventStoreDbEventStore } from './eventstoredb-event-store.js';
import { eventStoreContract, serverForTests } from '../testing/index.js';

const server = serverForTests('EVENTSTORE_CONNECTION_STRING');

// The suite names its own streams (`commitment-…`, `atomic-…`, `race…-…`), so the store gets no
// prefix filter: its log is every stream not starting with `$`. Tests that compare the whole
// log before and after a rejected append (and the race test's full catch-up from the start)
// assume nothing else writes non-system streams meanwhile: run it against a fresh, dedicated
// server, e.g. the compose service with EVENTSTORE_MEM_DB. EventStoreDB commits in log order,
// so there is no `holdAppends` (the held-transaction race test is skipped).
//
// Expected to fail against a real server: "an event id already used in another stream is an
// error and writes nothing" — EventStoreDB has no index by event id, so the adapter only finds
// repeated ids within the target stream (see `EventStoreDbEventStore.append`).
eventStoreContract({
  name: 'EventStoreDB',
  unavailable: server.unavailable,
  open: () => EventStoreDbEventStore.connect({ connectionString: server.url! }),
});
