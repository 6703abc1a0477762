import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { CommitmentCommand, DomainCommand, DomainEvent, SessionCommand } from '#governance';
import {
  EVENT_STORE,
  WrongExpectedRevisionError,
  type EventStore,
  type LogPosition,
  type NewEvent,
  type StreamAppend,
} from '#event-store';
import type { CommandContext } from './command-context.js';
import { CommandShell, retryOnRace, type ShellRequest, type StreamHistory } from './command-shell.js';
import { COMMITMENT_COMMANDS } from '../commitments/commitment-commands.js';
import { SESSION_COMMANDS } from '../sessions/session-commands.js';
import { shellRequest } from './command-table.js';
import { ConcurrencyConflictError } from './errors.js';

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
  /** Commands that wrote events. */
  readonly commands: number;
  readonly events: number;
  readonly byEvent: Readonly<Record<string, number>>;
  /** The log position of the last change, for read-your-writes; null when nothing was written. */
  readonly position: string | null;
}

/** Keyed import steps derive their event ids in this scope, whoever runs the import. */
export const IMPORT_SCOPE = 'import';

/**
 * The streams a run touches: what each held when first read, plus the events decided for it
 * so far and not yet written. Every decision reads through it, so a later step sees the
 * earlier ones; nothing reaches the store until `appends()` is committed in one `appendMany`.
 */
class UnitOfWork {
  private readonly read = new Map<string, StreamHistory>();
  private readonly pending = new Map<string, NewEvent[]>();
  /** In decision order; consecutive steps on one stream share one part. */
  private readonly parts: { streamId: string; events: NewEvent[]; expectedRevision: StreamAppend['expectedRevision'] }[] = [];

  constructor(private readonly store: EventStore) {}

  async history(streamId: string): Promise<StreamHistory> {
    if (!this.read.has(streamId)) this.read.set(streamId, await this.store.readStream(streamId));
    const stored = this.read.get(streamId)!;
    const pending = (this.pending.get(streamId) ?? []).map((event, index) => ({
      ...event,
      revision: stored.length + index,
      // Not written yet: it has no place in the log. Only the final append's position is reported.
      position: '' as LogPosition,
    }));
    return [...stored, ...pending];
  }

  add(streamId: string, events: readonly NewEvent[]): void {
    if (events.length === 0) return;
    const pending = this.pending.get(streamId) ?? [];
    const revision = this.read.get(streamId)!.length + pending.length - 1;
    pending.push(...events);
    this.pending.set(streamId, pending);
    const last = this.parts.at(-1);
    if (last?.streamId === streamId) last.events.push(...events);
    else this.parts.push({ streamId, events: [...events], expectedRevision: revision < 0 ? 'no_stream' : revision });
  }

  appends(): readonly StreamAppend[] {
    return this.parts;
  }
}

/**
 * Runs planned steps as one unit of work under one correlation id: each is decided by the
 * command shell against the state including the earlier steps' events, then everything is
 * appended at once. On PostgreSQL and PGlite that append is one transaction: any failure
 * writes nothing. On EventStoreDB it is stream after stream; the event ids of keyed steps
 * are stable, so running the same import again completes it.
 */
@Injectable()
export class PlannedCommands {
  constructor(
    private readonly shell: CommandShell,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async run(
    steps: readonly PlannedStep[],
    actor: string,
    onProgress?: (done: number, total: number) => void,
  ): Promise<PlannedOutcome> {
    if (steps.length === 0) return { commands: 0, events: 0, byEvent: {}, position: null };
    // A step planned against a revision (a CSV row) is the client's If-Match: a race refuses it.
    const pinned = steps.some((step) => step.expectedRevision !== undefined);
    const correlationId = randomUUID();
    const attempt = async (): Promise<PlannedOutcome> => {
      const work = new UnitOfWork(this.store);
      const byEvent: Record<string, number> = {};
      let commands = 0;
      let events = 0;
      for (const [index, step] of steps.entries()) {
        const written = await this.decide(work, step, { actor, correlationId, causationId: randomUUID() });
        if (written.length > 0) commands += 1;
        for (const event of written) byEvent[event.type] = (byEvent[event.type] ?? 0) + 1;
        events += written.length;
        onProgress?.(index + 1, steps.length);
      }
      const results = await this.store.appendMany(work.appends());
      return { commands, events, byEvent, position: results.at(-1)?.position ?? null };
    };
    if (this.store.atomicMultiStream) return retryOnRace(attempt, pinned, 'The record');
    // Appended stream after stream: a lost race may leave part written, so it is not decided
    // again here; the import itself is re-run (it plans only what is still missing).
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      throw new ConcurrencyConflictError(
        `${error.streamId} was changed by someone else during the import, which may be partly written: run it again to complete it.`,
      );
    }
  }

  /** Decides one step in the unit of work and records its events there; returns them. */
  private async decide(
    work: UnitOfWork,
    step: PlannedStep,
    base: Pick<CommandContext, 'actor' | 'correlationId' | 'causationId'>,
  ): Promise<readonly NewEvent[]> {
    const context: CommandContext = {
      ...base,
      ...(step.key === undefined ? {} : { idempotencyKey: step.key, idempotencyScope: IMPORT_SCOPE }),
      ...(step.expectedRevision === undefined ? {} : { expectedRevision: step.expectedRevision }),
    };
    const request: ShellRequest<DomainCommand, DomainEvent, unknown> =
      step.aggregate === 'session'
        ? shellRequest(SESSION_COMMANDS.aggregate, step.id, step.command, context)
        : shellRequest(COMMITMENT_COMMANDS.aggregate, step.id, step.command, context);
    const history = await work.history(request.streamId);
    const decision = this.shell.decide(request, history);
    if (decision.kind === 'replay') return [];
    work.add(request.streamId, decision.events);
    return decision.events;
  }
}
