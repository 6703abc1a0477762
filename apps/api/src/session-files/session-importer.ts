import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EVENT_STORE, LOG_START, type EventStore, type RecordedEvent } from '#event-store';
import { CLOCK, type Clock } from '../command-handling/clock.js';
import { SessionDependents } from '../command-handling/session-dependents.js';
import { RunPlannedCommands } from '../command-handling/command-runner.js';
import { planImport } from './import-plan.js';
import { parseSessionFile } from './session-file.js';

export interface ImportReport {
  readonly file: string;
  readonly sessionId: string;
  /** Commands that wrote events; 0 when the record already matched the file. */
  readonly commands: number;
  readonly events: number;
  readonly byEvent: Readonly<Record<string, number>>;
  /** The log position of the last change, for read-your-writes. */
  readonly position: string | null;
}

/** Imports session files: validate all, plan all, then write; a file with any problem writes nothing. */
@Injectable()
export class SessionImporter {
  private readonly logger = new Logger('Import');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly sessionDependents: SessionDependents,
  ) {}

  async importText(
    file: string,
    text: string,
    actor: string,
    onProgress?: (done: number, total: number) => void,
  ): Promise<ImportReport> {
    const parsed = parseSessionFile(file, text);
    // What the plan read, handed to the run so it does not read every stream a second time.
    const read = new Map<string, readonly RecordedEvent[]>();
    const plan = await planImport(parsed, {
      file,
      actor,
      now: this.clock.now().toISOString(),
      readStream: async (streamId) => {
        const events = await this.store.readStream(streamId);
        read.set(streamId, events);
        return events;
      },
      commitmentsDatedBy: (sessionId) => this.sessionDependents.commitmentsDatedBy(sessionId),
    });
    const outcome = await this.commands.execute(new RunPlannedCommands(plan, actor, onProgress, read));
    return { file, sessionId: parsed.session.id, ...outcome };
  }

  async importFile(path: string, actor: string, onProgress?: (done: number, total: number) => void): Promise<ImportReport> {
    return this.importText(basename(path), await readFile(path, 'utf8'), actor, onProgress);
  }

  /** The product's seed record, loaded once into an empty log so a newcomer sees a populated tracker. */
  async seedIfEmpty(directory: string): Promise<readonly ImportReport[]> {
    const { events } = await this.store.readAll({ after: LOG_START, maxCount: 1 });
    if (events.length > 0) return [];
    const files = (await readdir(directory).catch(() => [] as string[])).filter((name) => /\.ya?ml$/.test(name)).sort();
    const reports: ImportReport[] = [];
    for (const name of files) {
      const report = await this.importFile(join(directory, name), 'import');
      this.logger.log(`Seed record: ${name}: ${report.events} events`);
      reports.push(report);
    }
    return reports;
  }
}
