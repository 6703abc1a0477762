import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  IllegalStateError,
  RuleViolationError,
  type CommitmentCommand,
  type DomainCommand,
  type DomainEvent,
  type SessionCommand,
} from '#governance';
import {
  EVENT_STORE,
  WrongExpectedRevisionError,
  type EventStore,
  type LogPosition,
  type NewEvent,
  type StreamAppend,
} from '#event-store';
import type { CommandContext, CommandOutcome } from './command-context.js';
import { CommandShell, retryOnRace, type ShellRequest, type StreamHistory } from './command-shell.js';
import { COMMITMENT_COMMANDS } from '../commitments/commitment-commands.js';
import { SESSION_COMMANDS } from '../sessions/session-commands.js';
import { shellRequest, type Aggregate } from './command-table.js';
import { ConcurrencyConflictError, NotFoundError } from './errors.js';
import { factsReadThrough, type FactReader } from './facts.js';

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
  private readonly read: Map<string, StreamHistory>;
  private readonly pending = new Map<string, NewEvent[]>();
  /** In decision order; consecutive steps on one stream share one part. */
  private readonly parts: { streamId: string; events: NewEvent[]; expectedRevision: StreamAppend['expectedRevision'] }[] = [];

  /** `readBefore`: streams as the caller read them to plan; each written one is still checked at that revision. */
  constructor(
    private readonly store: EventStore,
    readBefore: ReadonlyMap<string, StreamHistory> = new Map(),
  ) {
    this.read = new Map(readBefore);
  }

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

  /**
   * What to append. With `checkReads`, every stream read but not written is checked at the
   * revision it was read at (first, so the last result is a written event's position).
   */
  appends(checkReads = false): readonly StreamAppend[] {
    if (!checkReads) return this.parts;
    const checks = [...this.read.entries()]
      .filter(([streamId]) => !this.pending.has(streamId))
      .map(([streamId, stored]) => ({
        streamId,
        events: [],
        expectedRevision: stored.length === 0 ? ('no_stream' as const) : stored.length - 1,
      }));
    return [...checks, ...this.parts];
  }
}

/** One command of a decision across streams; the first is the one the request addressed. */
export interface AcrossStep {
  readonly aggregate: Aggregate;
  readonly id: string;
  readonly command: DomainCommand;
  /** The input field that named this stream: its refusals are about that field. */
  readonly field?: string;
}

/** Plans the steps from facts read in the unit of work (and the stream histories it read). */
export type AcrossPlan = (
  facts: FactReader,
  history: (streamId: string) => Promise<StreamHistory>,
) => Promise<readonly AcrossStep[]>;

/** A refusal of a step on another stream names that stream and the input field that named it. */
function aboutStep(step: AcrossStep, error: unknown): unknown {
  if (step.field === undefined) return error;
  const about = `${step.aggregate.resource} ${step.id}`;
  if (error instanceof RuleViolationError) return new RuleViolationError(`${about}: ${error.message}`, step.field);
  if (error instanceof IllegalStateError) return new IllegalStateError(`${about}: ${error.message}`, step.field);
  if (error instanceof NotFoundError) return new NotFoundError({ ...error.subject, field: step.field }, error.message);
  return error;
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

  /**
   * `readBefore` holds the streams the plan was made from, so the first attempt decides on them
   * instead of reading each again; an append whose stream moved since is refused by its expected
   * revision, and the next attempt reads afresh.
   */
  async run(
    steps: readonly PlannedStep[],
    actor: string,
    onProgress?: (done: number, total: number) => void,
    readBefore?: ReadonlyMap<string, StreamHistory>,
  ): Promise<PlannedOutcome> {
    if (steps.length === 0) return { commands: 0, events: 0, byEvent: {}, position: null };
    // A step planned against a revision (a CSV row) is the client's If-Match: a race refuses it.
    const pinned = steps.some((step) => step.expectedRevision !== undefined);
    const correlationId = randomUUID();
    let planned = readBefore;
    const attempt = async (): Promise<PlannedOutcome> => {
      const work = new UnitOfWork(this.store, planned);
      planned = undefined;
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

  /**
   * One request's command and those it makes on other streams (a split's parts, a merge's other
   * sources), decided on facts read in the same unit of work and appended in one atomic
   * `appendMany` that also checks every stream only read. A lost race (someone changed any of
   * them) decides again on the fresh record, unless the client sent If-Match.
   */
  async runAcross(plan: AcrossPlan, context: CommandContext): Promise<CommandOutcome> {
    const attempt = async (): Promise<CommandOutcome> => {
      const work = new UnitOfWork(this.store);
      const history = (streamId: string) => work.history(streamId);
      const steps = await plan(factsReadThrough(history), history);
      const types: string[] = [];
      for (const [index, step] of steps.entries()) {
        // If-Match is about the addressed stream only.
        const stepContext = index === 0 ? context : { ...context, expectedRevision: undefined };
        const request = shellRequest(step.aggregate, step.id, step.command, stepContext, step.field);
        let decision;
        try {
          decision = this.shell.decide(request, await work.history(request.streamId));
        } catch (error) {
          throw aboutStep(step, error);
        }
        // The first run was one atomic append: seeing its events again, the rest are there too.
        if (decision.kind === 'replay') {
          if (index === 0) return decision.outcome;
          continue;
        }
        work.add(request.streamId, decision.events);
        types.push(...decision.events.map((event) => event.type));
      }
      const appends = work.appends(true);
      const results = await this.store.appendMany(appends);
      const own = steps[0]!.aggregate.streamId(steps[0]!.id);
      const ownIndex = appends.map((append) => append.streamId).lastIndexOf(own);
      return {
        streamId: own,
        revision: results[ownIndex]!.nextExpectedRevision,
        position: results.at(-1)!.position,
        events: types,
      };
    };
    if (this.store.atomicMultiStream) return retryOnRace(attempt, context.expectedRevision !== undefined, 'The record');
    // Stream after stream (the checks first): a lost race may leave part written; the same
    // request again (same Idempotency-Key) completes it.
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      throw new ConcurrencyConflictError(`${error.streamId} was changed by someone else meanwhile. Try again.`);
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
