import { ConfigError, loadConfig } from '#config';
import { withEarlyDatabase } from '#storage/database';
import { migrations } from '../storage/migrations/index.js';

const USAGE = 'Usage: import <session-file.yaml>...   (format: docs/session-file.schema.json)';

async function main(files: readonly string[]): Promise<number> {
  if (files.length === 0 || files.some((file) => file.startsWith('-'))) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig(process.env, process.cwd());
  // Nest, the commands and the session-file schema load (imported here) while the database opens.
  return withEarlyDatabase(config, migrations, async (database) =>
    (await import('./import-cli.module.js')).importFiles(config, database, files),
  );
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exitCode = error instanceof ConfigError ? 2 : 1;
}
