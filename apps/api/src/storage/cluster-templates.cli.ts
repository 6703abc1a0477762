import { emptyClusterTemplate, openEmbeddedPostgres } from '#event-store';
import { clusterSchema } from '#storage';
import { migrations } from './migrations/index.js';

// Run by `npm ci` (the `prepare` script), so the first start on the embedded default finds the
// empty cluster made and the api's schema migrated, and waits for neither initdb nor migrations.
await emptyClusterTemplate();
const database = await openEmbeddedPostgres('memory://', clusterSchema({ eventStore: { kind: 'postgres' } }, migrations));
await database.stop();
