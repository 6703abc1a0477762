import { ConfigError, forOneShotCli, loadConfig } from '#config';
import { withEarlyDatabase } from '#storage/database';
import { migrations } from '../storage/migrations/index.js';
import type { ExportFormat } from './export-cli.module.js';

const USAGE = `Usage:
  export csv                     every commitment as CSV (edit it and import it back)
  export json                    every commitment as JSON
  export wikitext <session-id>   a session's commitments and their status as a wiki table
Writes to standard output.`;

function parseFormat([format, sessionId]: readonly string[]): ExportFormat | undefined {
  if (format === 'wikitext') return sessionId === undefined ? undefined : { format, sessionId };
  return (format === 'csv' || format === 'json') && sessionId === undefined ? { format } : undefined;
}

async function main(argv: readonly string[]): Promise<number> {
  const what = parseFormat(argv);
  if (!what) {
    console.error(USAGE);
    return 2;
  }
  const config = forOneShotCli(loadConfig(process.env, process.cwd()));
  // Nest and the queries load (imported here) while the database opens.
  await withEarlyDatabase(config, migrations, async (database) =>
    (await import('./export-cli.module.js')).writeExport(config, database, what),
  );
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exitCode = error instanceof ConfigError ? 2 : 1;
}
