import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  commitmentDecider,
  commitmentStreamId,
  sessionDecider,
  sessionStreamId,
  type CommitmentCommand,
  type SessionCommand,
} from '#governance';
import { CommandShell } from './command-shell.js';

/** One command of an import that was planned (and dry-run) before anything is written. */
export type PlannedStep = (
  | { readonly aggregate: 'session'; readonly command: SessionCommand }
  | { readonly aggregate: 'commitment'; readonly command: CommitmentCommand }
) & {
  readonly id: string;
  /** Derives the event ids, so that re-running the same import writes nothing twice. */
  readonly key?: string;
  /** The revision the plan was made against; a change since then refuses the step. */
  readonly expectedRevision?: number;
};

export interface PlannedOutcome {
  readonly commands: number;
  readonly events: number;
  readonly byEvent: Readonly<Record<string, number>>;
  /** The log position of the last change, for read-your-writes; null when nothing was written. */
  readonly position: string | null;
}

const CREATES = new Set(['RecordSession', 'MakeCommitment']);

/** Writes planned steps in order through the command shell, under one correlation id. */
@Injectable()
export class PlannedCommands {
  constructor(private readonly shell: CommandShell) {}

  async run(
    steps: readonly PlannedStep[],
    actor: string,
    onProgress?: (done: number, total: number) => void,
  ): Promise<PlannedOutcome> {
    const correlationId = randomUUID();
    const byEvent: Record<string, number> = {};
    let events = 0;
    let position: string | null = null;
    for (const [index, step] of steps.entries()) {
      const context = {
        actor,
        correlationId,
        causationId: randomUUID(),
        ...(step.key === undefined ? {} : { idempotencyKey: step.key }),
        ...(step.expectedRevision === undefined ? {} : { expectedRevision: step.expectedRevision }),
      };
      const mustExist = !CREATES.has(step.command.type);
      const outcome =
        step.aggregate === 'session'
          ? await this.shell.execute({
              decider: sessionDecider,
              streamId: sessionStreamId(step.id),
              command: step.command,
              context,
              mustExist,
              resource: `Session ${step.id}`,
            })
          : await this.shell.execute({
              decider: commitmentDecider,
              streamId: commitmentStreamId(step.id),
              command: step.command,
              context,
              mustExist,
              resource: `Commitment ${step.id}`,
            });
      for (const type of outcome.events) byEvent[type] = (byEvent[type] ?? 0) + 1;
      events += outcome.events.length;
      position = outcome.position;
      onProgress?.(index + 1, steps.length);
    }
    return { commands: steps.length, events, byEvent, position };
  }
}
