import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ConfigError, forOneShotCli, loadConfig } from '#config';
import { EVENT_STORE, type EventStore } from '#event-store';
import { ProjectionRunner, projections } from '#read-models';
import { AppModule } from '../app.module.js';
import { AllCommitmentRecords, AllCommitments } from '../commitments/commitment-queries.js';
import { PublicLinks } from '../feeds/public-links.js';
import { GetSessionRecord } from '../sessions/session-queries.js';
import { commitmentsToCsv, sessionRecordToWikitext } from './commitment-export.js';

const USAGE = `Usage:
  export csv                     every commitment as CSV (edit it and import it back)
  export json                    every commitment as JSON
  export wikitext <session-id>   a session's commitments and their status as a wiki table
Writes to standard output.`;

async function main([format, sessionId]: string[]): Promise<number> {
  if (!['csv', 'json', 'wikitext'].includes(format ?? '') || (format === 'wikitext') !== (sessionId !== undefined)) {
    console.error(USAGE);
    return 2;
  }
  const config = forOneShotCli(loadConfig(process.env, process.cwd()));
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error'] });
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
