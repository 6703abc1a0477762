import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { ConfigError, forOneShotCli, loadConfig } from '#config';
import { EVENT_STORE, type EventStore } from '#event-store';
import { commitmentsProjection, ProjectionRunner, sessionsProjection } from '#read-models';
import { AppModule } from '../app.module.js';
import { BriefFirstSuggestions } from './brief-first.js';
import type { Draft, RevisitSuggestion } from './draft.js';
import { drafted, draftedSession, draftedStatements, acceptedSessionFile, sessionFileYaml } from './draft-session-file.js';
import { draftSession } from './drafter.js';

const USAGE = `Usage: draft <notes.txt> [--revisits]
  Drafts a session file from published notes (plain text or wikitext) and writes it to standard
  output; nothing is recorded. With --revisits, the tracker's open commitments are searched for
  the ones each candidate, or each statement that commits nothing new, may speak about (the database of the configured environment).`;

/**
 * The draft as the staff pages offer it: under an announced session's id when the notes are of
 * one, with each statement's likely revisits, that session's brief first.
 */
async function suggestionsFromRecord(
  draft: Draft,
): Promise<{ draft: Draft; suggestions: ReadonlyMap<string, readonly RevisitSuggestion[]> }> {
  const config = forOneShotCli(loadConfig(process.env, process.cwd()));
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error'] });
  try {
    // What the suggestions read: the open commitments, and the announced sessions with their briefs.
    for (const projection of [commitmentsProjection, sessionsProjection])
      await new ProjectionRunner(app.get(DataSource), app.get<EventStore>(EVENT_STORE), projection).catchUp();
    return await app.get(BriefFirstSuggestions).of(draft);
  } finally {
    await app.close();
  }
}

async function main(args: readonly string[]): Promise<number> {
  const files = args.filter((arg) => !arg.startsWith('--'));
  const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--revisits');
  if (files.length !== 1 || unknown.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const notes = await readFile(files[0]!, 'utf8');
  const { draft, suggestions } = args.includes('--revisits')
    ? await suggestionsFromRecord(draftSession(notes))
    : { draft: draftSession(notes), suggestions: new Map<string, readonly RevisitSuggestion[]>() };
  const accepted = draft.candidates.map((candidate) => drafted(candidate, suggestions.get(candidate.id) ?? []));
  const statements = draftedStatements(draft.statements, suggestions);
  const { session } = draft;
  const header = [
    `Drafted from ${files[0]} (${draft.format}); nothing here is reviewed yet. Summaries are the quotes until staff write them.`,
    `session: date ${session.date.value ?? 'not found'} (${session.date.confidence}), hosts (${session.hosts.confidence}), source (${session.sourceUrl.confidence}), kind (${session.kind.confidence})`,
    `${draft.candidates.length} candidate commitments; review each before importing: nothing is written until you import the file.`,
    ...(statements.remarks.length > 0
      ? [
          'Statements that commit nothing new but may report on an earlier commitment:',
          ...statements.remarks.map((line) => `  ${line}`),
        ]
      : []),
  ];
  process.stdout.write(
    sessionFileYaml(
      acceptedSessionFile(draftedSession(draft), accepted, statements.revisits),
      accepted.map((commitment) => commitment.remarks ?? []),
      header,
    ),
  );
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exitCode = error instanceof ConfigError ? 2 : 1;
}
