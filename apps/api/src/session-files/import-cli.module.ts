import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import type { AppConfig } from '#config';
import { StorageModule, type Database } from '#storage';
import { ProjectorModule } from '#projector';
import { EVENT_STORE, type EventStore } from '#event-store';
import { CommandHandlingModule } from '../command-handling/command-handling.module.js';
import { SessionFileError } from './session-file.js';
import { SessionImporter } from './session-importer.js';
import { migrations } from '../storage/migrations/index.js';

@Module({})
class ImportCliModule {
  static forRoot(config: AppConfig, database: Promise<Database>): DynamicModule {
    return {
      module: ImportCliModule,
      // Commands check facts the read models hold (a session's dependents), waiting for their positions.
      imports: [
        CqrsModule.forRoot(),
        StorageModule.forRoot(config, { migrations, database }),
        ProjectorModule.forRoot({ follow: false }),
        CommandHandlingModule,
      ],
      providers: [SessionImporter],
    };
  }
}

/** Imports each file in turn, printing what it wrote (and progress for a long one); the exit code. */
export async function importFiles(config: AppConfig, database: Promise<Database>, files: readonly string[]): Promise<number> {
  const app = await NestFactory.createApplicationContext(ImportCliModule.forRoot(config, database), { logger: ['error'] });
  try {
    const importer = app.get(SessionImporter);
    for (const file of files) {
      let shown = 0;
      const report = await importer.importFile(file, 'import', (done, total) => {
        if (total >= 50 && done - shown >= Math.ceil(total / 10)) {
          shown = done;
          process.stdout.write(`${file}: ${done}/${total}\n`);
        }
      });
      const written = Object.entries(report.byEvent).map(([type, count]) => `${count} ${type}`);
      console.log(
        `${file}: ${report.events === 0 ? 'already up to date, nothing written' : `${report.events} events (${written.join(', ')})`}`,
      );
    }
    return 0;
  } catch (error) {
    if (!(error instanceof SessionFileError)) {
      // On PostgreSQL and PGlite a file is one transaction; on EventStoreDB it is written stream
      // after stream, and running the same import again completes it.
      const atomic = app.get<EventStore>(EVENT_STORE).atomicMultiStream;
      console.error(
        atomic
          ? 'the import failed, nothing of that file was written:'
          : 'the import failed and may be partly written: run the same import again to complete it:',
      );
      throw error;
    }
    console.error(`${error.file}: refused, nothing written:`);
    for (const problem of error.problems)
      console.error(`  ${problem.entry}${problem.field ? ` ${problem.field}` : ''}: ${problem.reason}`);
    return 1;
  } finally {
    await app.close();
  }
}
