import { emptyClusterTemplate } from '#event-store';

// Run by `npm ci` (the `prepare` script), so the first start on the embedded default finds the
// empty cluster made and does not wait for initdb.
await emptyClusterTemplate();
