import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { AppConfig } from '#config';
import { EVENT_STORE, type EventStore } from '#event-store';
import { projections, readModelMigrations, readProjectionStatuses, rebuildProjections, type Projection } from '#read-models';
import { StorageModule, type Database } from '#storage';

@Module({})
class ProjectionsCliModule {
  static forRoot(config: AppConfig, database: Promise<Database>): DynamicModule {
    return {
      module: ProjectionsCliModule,
      imports: [StorageModule.forRoot(config, { migrations: readModelMigrations, database })],
    };
  }
}

export type ProjectionsCommand =
  { readonly kind: 'status' } | { readonly kind: 'rebuild'; readonly chosen: readonly Projection[] };

/** Prints each projection's status, or rebuilds the chosen ones; the exit code. */
export async function runProjections(
  config: AppConfig,
  database: Promise<Database>,
  command: ProjectionsCommand,
): Promise<number> {
  const app = await NestFactory.createApplicationContext(ProjectionsCliModule.forRoot(config, database), {
    logger: ['error'],
  });
  try {
    const dataSource = app.get(DataSource);
    if (command.kind === 'status') {
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
    const label = command.chosen.map((projection) => projection.name).join(', ');
    const rebuilt = await rebuildProjections(dataSource, app.get<EventStore>(EVENT_STORE), command.chosen, {
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
