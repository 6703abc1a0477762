import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig, type AppConfig } from '#config';
import { EVENT_STORE, type EventStore } from '#event-store';
import { projections, readModelMigrations, readProjectionStatuses, rebuildProjections } from '#read-models';
import { StorageModule } from '#storage';

const USAGE = `Usage:
  projections status              each projection and the log position it has applied, and
                                  the event a stuck one cannot apply (exit code 1 when one is)
  projections rebuild <name|all>  replay the log into fresh tables, then swap them in
                                  (the api keeps serving the old tables meanwhile)
Projections: ${projections.map((projection) => projection.name).join(', ')}`;

@Module({})
class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: CliModule, imports: [StorageModule.forRoot(config, { migrations: readModelMigrations })] };
  }
}

async function main(): Promise<number> {
  const { positionals } = parseArgs({ allowPositionals: true, strict: true });
  const [command, name] = positionals;
  const chosen = name === 'all' ? projections : projections.filter((projection) => projection.name === name);
  if (command !== 'status' && !(command === 'rebuild' && chosen.length > 0)) {
    console.error(USAGE);
    return 2;
  }
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(loadConfig(process.env, process.cwd())), {
    logger: ['error'],
  });
  try {
    const dataSource = app.get(DataSource);
    if (command === 'status') {
      const statuses = await readProjectionStatuses(
        (text, parameters) => dataSource.query(text, parameters as unknown[]),
        projections.map((projection) => projection.name),
      );
      for (const status of statuses) {
        const at = status.updatedAt ? `at ${status.position}, updated ${status.updatedAt}` : 'not started';
        console.log(`${status.name.padEnd(20)} ${at}`);
        if (status.status === 'stuck') {
          console.log(
            `${''.padEnd(20)} STUCK since ${status.failingSince} (${status.attempts} attempts, last ${status.lastAttemptAt}): ` +
              `cannot apply ${status.failingEvent.type} at ${status.failingEvent.position} (stream ${status.failingEvent.streamId}): ${status.error}`,
          );
        }
      }
      // Non-zero when one is stuck, so scripts and probes can tell.
      return statuses.some((status) => status.status === 'stuck') ? 1 : 0;
    }
    // Several at once read the log once, for all of them.
    let lastPrinted = 0;
    const label = chosen.map((projection) => projection.name).join(', ');
    const rebuilt = await rebuildProjections(dataSource, app.get<EventStore>(EVENT_STORE), chosen, {
      onProgress: (progress) => {
        if (progress.seconds - lastPrinted < 1) return;
        lastPrinted = progress.seconds;
        const rate = Math.round(progress.events / progress.seconds);
        process.stdout.write(`${label}: ${progress.events.toLocaleString('en-US')} events, ${rate.toLocaleString('en-US')}/s\n`);
      },
    });
    for (const done of rebuilt) {
      console.log(
        `${done.projection}: rebuilt from ${done.events.toLocaleString('en-US')} events in ${done.seconds.toFixed(1)} s and swapped in (at ${done.checkpoint})`,
      );
    }
    return 0;
  } finally {
    await app.close();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exitCode = error instanceof ConfigError ? 2 : 1;
}
