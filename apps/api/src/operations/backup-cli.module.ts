import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { AppConfig } from '#config';
import { EVENT_STORE, type EventStore } from '#event-store';
import { readModelMigrations } from '#read-models';
import { DATABASE, StorageModule, openEventStoreAdapter, type Database } from '#storage';
import { rebuildReadModels, restoreBackup, writeBackup } from './backup.js';

@Module({})
class BackupCliModule {
  static forRoot(config: AppConfig, database: Promise<Database>): DynamicModule {
    return {
      module: BackupCliModule,
      imports: [StorageModule.forRoot(config, { migrations: readModelMigrations, database })],
    };
  }
}

/** At most one line a second, so a long run shows it is alive without flooding a terminal. */
function everySecond(print: (events: number, total?: number) => string): (events: number, total?: number) => void {
  let last = 0;
  return (events, total) => {
    const now = performance.now();
    if (now - last < 1000 && events !== total) return;
    last = now;
    process.stderr.write(`${print(events, total)}\n`);
  };
}

/** Writes the log to `file`, or restores it from there and rebuilds the read models, with progress on standard error. */
export async function runBackup(
  config: AppConfig,
  database: Promise<Database>,
  command: 'backup' | 'restore',
  file: string,
): Promise<number> {
  const app = await NestFactory.createApplicationContext(BackupCliModule.forRoot(config, database), { logger: ['error'] });
  try {
    const started = performance.now();
    const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
    if (command === 'backup') {
      // Straight from the adapter: events as stored, at the schema version they were written in.
      const adapter = await openEventStoreAdapter(config, app.get<Database>(DATABASE));
      try {
        const count = await writeBackup(
          adapter,
          file,
          new Date(),
          everySecond((events) => `backup: ${events} events`),
        );
        process.stderr.write(`backup: ${count} events written to ${file} in ${seconds()} s\n`);
      } finally {
        await adapter.close();
      }
      return 0;
    }
    const store = app.get<EventStore>(EVENT_STORE);
    const count = await restoreBackup(
      store,
      file,
      everySecond((events, total) => `restore: ${events} of ${total} events`),
    );
    process.stderr.write(`restore: ${count} events loaded in ${seconds()} s; rebuilding the read models\n`);
    let projected = '';
    const report = everySecond(() => `rebuild ${projected}`);
    await rebuildReadModels(app.get(DataSource), store, (progress) => {
      projected = `${progress.events} events, at ${progress.checkpoint}`;
      report(0);
    });
    process.stderr.write(`restore: done in ${seconds()} s; read models rebuilt\n`);
    return 0;
  } finally {
    await app.close();
  }
}
