import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CqrsModule, QueryBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { publicBaseUrlOf, staleAfterMonthsOf, type AppConfig } from '#config';
import { EVENT_STORE, type EventStore } from '#event-store';
import { ProjectionRunner, projections } from '#read-models';
import { StorageModule, type Database } from '#storage';
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

/**
 * The api's storage (and its migrations) with the three queries an export asks, answered as the api
 * answers them: not the whole AppModule, whose controllers, pages and mail load some 1,500 modules
 * more (swagger's among them) for nothing an export uses.
 */
@Module({})
class ExportCliModule {
  static forRoot(config: AppConfig, database: Promise<Database>): DynamicModule {
    return {
      module: ExportCliModule,
      imports: [
        CqrsModule.forRoot(),
        ClockModule,
        StorageModule.forRoot(config, { migrations, database }),
        PublicLinksModule.forRoot(publicBaseUrlOf(config)),
        ReadingDaysModule.forRoot(staleAfterMonthsOf(config)),
      ],
      providers: [AllCommitmentsHandler, AllCommitmentRecordsHandler, GetSessionRecordHandler],
    };
  }
}

export type ExportFormat = { readonly format: 'csv' | 'json' } | { readonly format: 'wikitext'; readonly sessionId: string };

/** Writes the export to standard output, the read models first brought up to the log. */
export async function writeExport(config: AppConfig, database: Promise<Database>, what: ExportFormat): Promise<void> {
  const app = await NestFactory.createApplicationContext(ExportCliModule.forRoot(config, database), { logger: ['error'] });
  try {
    // Bring the read models up to the log first, so the export shows every recorded change.
    for (const projection of projections)
      await new ProjectionRunner(app.get(DataSource), app.get<EventStore>(EVENT_STORE), projection).catchUp();
    const queries = app.get(QueryBus);
    if (what.format === 'wikitext')
      process.stdout.write(
        sessionRecordToWikitext(await queries.execute(new GetSessionRecord(what.sessionId)), {
          asOf: new Date(),
          link: (path) => app.get(PublicLinks).to(path),
        }),
      );
    else if (what.format === 'csv') process.stdout.write(commitmentsToCsv(await queries.execute(new AllCommitments())));
    else process.stdout.write(`${JSON.stringify(await queries.execute(new AllCommitmentRecords()), null, 2)}\n`);
  } finally {
    await app.close();
  }
}
