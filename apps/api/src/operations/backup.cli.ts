import { ConfigError, loadConfig } from '#config';
import { readModelMigrations } from '#read-models';
import { withEarlyDatabase } from '#storage/database';
import { BackupError } from './backup.js';

const USAGE = `Usage:
  npm run backup -- <file>    write the whole event log to <file> (NDJSON, a sha256 in its last line)
  npm run restore -- <file>   check <file>'s checksum, load it into an EMPTY event store, then
                              rebuild every read model from it
Progress goes to standard error. Staff tokens and sign-in sessions are not events: issue tokens again.`;

async function main([command, file, ...rest]: string[]): Promise<number> {
  if (!['backup', 'restore'].includes(command ?? '') || file === undefined || rest.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig(process.env, process.cwd());
  // Nest and TypeORM load (imported here) while the database opens.
  return withEarlyDatabase(config, readModelMigrations, async (database) =>
    (await import('./backup-cli.module.js')).runBackup(config, database, command === 'backup' ? 'backup' : 'restore', file),
  );
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof BackupError || error instanceof Error ? error.message : error);
  process.exitCode = error instanceof ConfigError ? 2 : 1;
}
