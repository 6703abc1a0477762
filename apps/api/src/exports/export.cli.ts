import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CqrsModule, QueryBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ConfigError, forOneShotCli, loadConfig, publicBaseUrlOf, staleAfterMonthsOf, type AppConfig } from '#config';
import { EVENT_STORE, type EventStore } from '#event-store';
import { ProjectionRunner, projections } from '#read-models';
import { StorageModule } from '#storage';
import { ClockModule } from '../command-handling/clock.js';
import {
  AllCommitmentRecords,
  AllCommitmentRecordsHandler,
  AllCommitments,
  AllCommitmentsHandler,
} from '../commitments/commitment-queries.js';
import { PublicLinks, PublicLinksModule } from '../feeds/public-links.js';
import { ReadingDaysModule } from '../reading/reading-days.js';
import { GetSessionRecord, GetSessionRecordHandler } from '../sessions/session-queries.js';
import { migrations } from '../storage/migrations/index.js';
import { commitmentsToCsv, sessionRecordToWikitext } from './commitment-export.js';

const USAGE = `Usage:
  export csv                     every commitment as CSV (edit it and import it back)
  export json                    every commitment as JSON
  export wikitext <session-id>   a session's commitments and their status as a wiki table
Writes to standard output.`;

/**
 * The api's storage (and its migrations) with the three queries an export asks, answered as the api
 * answers them: not the whole AppModule, whose controllers, pages and mail load some 1,500 modules
 * more (swagger's among them) for nothing an export uses.
 */
@Module({})
class ExportCli {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ExportCli,
      imports: [
        CqrsModule.forRoot(),
        ClockModule,
        StorageModule.forRoot(config, { migrations }),
        PublicLinksModule.forRoot(publicBaseUrlOf(config)),
        ReadingDaysModule.forRoot(staleAfterMonthsOf(config)),
      ],
      providers: [AllCommitmentsHandler, AllCommitmentRecordsHandler, GetSessionRecordHandler],
    };
  }
}

async function main([format, sessionId]: string[]): Promise<number> {
  if (!['csv', 'json', 'wikitext'].includes(format ?? '') || (format === 'wikitext') !== (sessionId !== undefined)) {
    console.error(USAGE);
    return 2;
  }
  const config = forOneShotCli(loadConfig(process.env, process.cwd()));
  const app = await NestFactory.createApplicationContext(ExportCli.forRoot(config), { logger: ['error'] });
  try {
    // Bring the read models up to the log first, so the export shows every recorded change.
    for (const projection of projections)
      await new ProjectionRunner(app.get(DataSource), app.get<EventStore>(EVENT_STORE), projection).catchUp();
    const queries = app.get(QueryBus);
    if (format === 'wikitext')
      process.stdout.write(
        sessionRecordToWikitext(await queries.execute(new GetSessionRecord(sessionId!)), {
          asOf: new Date(),
          link: (path) => app.get(PublicLinks).to(path),
        }),
      );
    else if (format === 'csv') process.stdout.write(commitmentsToCsv(await queries.execute(new AllCommitments())));
    else process.stdout.write(`${JSON.stringify(await queries.execute(new AllCommitmentRecords()), null, 2)}\n`);
    return 0;
  } finally {
    await app.close();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exitCode = error instanceof ConfigError ? 2 : 1;
}
