import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '#config';
import { projections, readModelMigrations } from '#read-models';
import { withEarlyDatabase } from '#storage/database';

const USAGE = `Usage:
  projections status              each projection and the log position it has applied, and
                                  the event a stuck one cannot apply (exit code 1 when one is)
  projections rebuild <name|all>  replay the log into fresh tables, then swap them in
                                  (the api keeps serving the old tables meanwhile)
Projections: ${projections.map((projection) => projection.name).join(', ')}`;

async function main(): Promise<number> {
  const { positionals } = parseArgs({ allowPositionals: true, strict: true });
  const [command, name] = positionals;
  const chosen = name === 'all' ? projections : projections.filter((projection) => projection.name === name);
  if (command !== 'status' && !(command === 'rebuild' && chosen.length > 0)) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig(process.env, process.cwd());
  // Nest and TypeORM load (imported here) while the database opens.
  return withEarlyDatabase(config, readModelMigrations, async (database) =>
    (await import('./projections-cli.module.js')).runProjections(
      config,
      database,
      command === 'status' ? { kind: 'status' } : { kind: 'rebuild', chosen },
    ),
  );
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exitCode = error instanceof ConfigError ? 2 : 1;
}
