import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { v5 as uuidV5 } from 'uuid';
import type { Decider, DomainCommand, DomainEvent } from '#governance';
import { EVENT_STORE, WrongExpectedRevisionError, type EventStore, type NewEvent, type RecordedEvent } from '#event-store';
import { eventSchemas } from '#storage';
import type { CommandContext, CommandOutcome } from './command-context.js';
import { ConcurrencyConflictError, NotFoundError, PreconditionFailedError, type NotFoundSubject } from './errors.js';
import { fold } from './fold.js';

// Without If-Match the client asked for its change to be appended, so a lost race is decided
// again on the fresh state: bounded in attempts and in total time, with exponential backoff and
// full jitter so that a crowd of writers on one stream spreads out instead of colliding again.
export const RACE_RETRIES = { attempts: 20, totalMs: 2000, baseDelayMs: 4, maxDelayMs: 250 } as const;
// Namespace for event ids derived from an Idempotency-Key (a fixed random UUID).
const IDEMPOTENT_EVENT_IDS = 'b7f1f0a2-58d3-4c35-9d7e-3f4c2a9d6e11';

/** The id of the `index`-th event a command sent with `key` writes to `streamId`. */
export function idempotentEventId(actor: string, key: string, streamId: string, index: number): string {
  return uuidV5(`${actor}\n${key}\n${streamId}\n${index}`, IDEMPOTENT_EVENT_IDS);
}

export interface ShellRequest<C extends DomainCommand, E extends DomainEvent, S> {
  readonly decider: Decider<C, E, S>;
  readonly streamId: string;
  readonly command: C;
  readonly context: CommandContext;
  /** Everything but a creation needs the stream to exist; a missing one is a 404. */
  readonly mustExist: boolean;
  /** Which aggregate it is, for a 404 and the messages; `field` when the input named it rather than the address. */
  readonly subject: NotFoundSubject;
}

const named = (subject: NotFoundSubject) => `${subject.resource} ${subject.id}`;

/** What a command comes to against a stream's history: events to append, or the outcome of its earlier run. */
export type Decision =
  | { readonly kind: 'append'; readonly events: readonly NewEvent[] }
  | { readonly kind: 'replay'; readonly outcome: CommandOutcome };

/** The part of a stream's history a decision needs: recorded events, and pending ones of a unit of work. */
export type StreamHistory = readonly Pick<RecordedEvent, 'id' | 'type' | 'data' | 'revision' | 'position'>[];

/**
 * The whole write path, once for every command: load the stream, fold it, decide, append
 * with the revision it was folded at. The append is the only write; nothing is published.
 */
@Injectable()
export class CommandShell {
  /** Per stream, the tail of this process's commands on it: they run one after another. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * Commands of this process on one stream take turns, so they do not lose races to each other;
   * a race with another process (another api instance) is still caught by the expected revision.
   */
  async execute<C extends DomainCommand, E extends DomainEvent, S>(request: ShellRequest<C, E, S>): Promise<CommandOutcome> {
    return this.inTurn(request.streamId, () => this.executeNow(request));
  }

  private inTurn<T>(streamId: string, work: () => Promise<T>): Promise<T> {
    const result = (this.queues.get(streamId) ?? Promise.resolve()).then(work);
    const tail = result.catch(() => undefined);
    this.queues.set(streamId, tail);
    void tail.then(() => {
      if (this.queues.get(streamId) === tail) this.queues.delete(streamId);
    });
    return result;
  }

  private async executeNow<C extends DomainCommand, E extends DomainEvent, S>(
    request: ShellRequest<C, E, S>,
  ): Promise<CommandOutcome> {
    const { streamId, context } = request;
    return retryOnRace(
      async () => {
        const history = await this.store.readStream(streamId);
        const decision = this.decide(request, history);
        if (decision.kind === 'replay') return decision.outcome;
        const revision = history.length - 1;
        const appended = await this.store.append(streamId, decision.events, revision < 0 ? 'no_stream' : revision);
        return {
          streamId,
          revision: appended.nextExpectedRevision,
          position: appended.position,
          events: decision.events.map((e) => e.type),
        };
      },
      context.expectedRevision !== undefined,
      named(request.subject),
    );
  }

  /**
   * Decides one command against a stream's history (what is stored, plus whatever a unit of
   * work has decided before it): the preconditions, the decider, and the events with their
   * ids and metadata. Pure apart from fresh event ids; writes nothing.
   */
  decide<C extends DomainCommand, E extends DomainEvent, S>(request: ShellRequest<C, E, S>, history: StreamHistory): Decision {
    const { decider, streamId, command, context } = request;
    const eventId = this.eventIds(context, streamId);
    const revision = history.length - 1;
    if (request.mustExist && history.length === 0) throw new NotFoundError(request.subject);

    const replay = context.idempotencyKey === undefined ? undefined : earlierOutcome(history, eventId, streamId);
    if (replay) return { kind: 'replay', outcome: replay };

    if (context.expectedRevision !== undefined && context.expectedRevision !== revision) {
      throw new PreconditionFailedError(
        `${named(request.subject)} has changed since revision ${context.expectedRevision}: it is at revision ${revision}. Reload it and try again.`,
      );
    }

    const decided = decider.decide(command, fold(decider, history));
    const events: NewEvent[] = decided.map((event, index) => ({
      id: eventId(index),
      type: event.type,
      data: event.data as NewEvent['data'],
      metadata: {
        actor: context.actor,
        occurredAt: command.occurredAt,
        recordedAt: command.now,
        correlationId: context.correlationId,
        causationId: context.causationId,
        schemaVersion: eventSchemas.currentVersion(event.type),
      },
    }));
    return { kind: 'append', events };
  }

  /** With an Idempotency-Key, event ids are derived from it, so a retry can recognise its own events. */
  private eventIds(context: CommandContext, streamId: string): (index: number) => string {
    const key = context.idempotencyKey;
    if (key === undefined) return () => randomUUID();
    const scope = context.idempotencyScope ?? context.actor;
    return (index) => idempotentEventId(scope, key, streamId, index);
  }
}

/**
 * Runs `attempt` until it does not lose a race (a WrongExpectedRevisionError). With If-Match
 * (`clientDecides`) a lost race is the client's to resolve: 412. Without it, the attempt is
 * repeated after a jittered, growing delay, within RACE_RETRIES; past them, 409.
 */
export async function retryOnRace<T>(attempt: () => Promise<T>, clientDecides: boolean, resource: string): Promise<T> {
  const deadline = Date.now() + RACE_RETRIES.totalMs;
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      // Someone wrote between our read and our append. With If-Match the client decides;
      // without it, deciding again on the fresh state is what the client asked for.
      if (clientDecides) {
        throw new PreconditionFailedError(`${resource} was changed by someone else meanwhile. Reload it and try again.`);
      }
      const ceiling = Math.min(RACE_RETRIES.maxDelayMs, RACE_RETRIES.baseDelayMs * 2 ** (tries - 1));
      const delay = Math.random() * ceiling;
      if (tries >= RACE_RETRIES.attempts || Date.now() + delay > deadline) {
        throw new ConcurrencyConflictError(`${resource} is being changed by others right now. Try again.`);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

function earlierOutcome(
  history: StreamHistory,
  eventId: (index: number) => string,
  streamId: string,
): CommandOutcome | undefined {
  const first = history.findIndex((event) => event.id === eventId(0));
  if (first < 0) return undefined;
  let last = first;
  while (history[last + 1]?.id === eventId(last + 1 - first)) last++;
  const written = history.slice(first, last + 1);
  return { streamId, revision: history[last]!.revision, position: history[last]!.position, events: written.map((e) => e.type) };
}
