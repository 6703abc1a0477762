import type { ClassConstructor } from 'class-transformer';
import type { Decider, DomainCommand, DomainEvent, OtherCommitmentFacts, OtherCommitmentRef, SessionFacts } from '#governance';
import type { Role } from '../auth/roles.js';
import type { CommandContext } from './command-context.js';
import type { ShellRequest } from './command-shell.js';

/** An aggregate as the command runner sees it: its decider, its streams, and how it is named. */
export interface Aggregate<C extends DomainCommand = DomainCommand> {
  /** Names the resource in a 404: `Commitment x`. */
  readonly resource: string;
  /** Its routes: `/commitments`, `/commitments/:commitmentId/...`. */
  readonly path: string;
  readonly idParam: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any event and state: the runner only passes the decider on
  readonly decider: Decider<C, any, any>;
  readonly streamId: (id: string) => string;
  /** The commands that may start its stream; every other one needs the stream to exist. */
  readonly creation: C['type'] | readonly C['type'][];
}

/** What a command knows about other aggregates, looked up before it is decided; `null` when absent or not asked for. */
export interface Facts {
  readonly session: SessionFacts | null;
  readonly commitment: OtherCommitmentFacts | null;
  /** The several other commitments a command names, in the order it names them. */
  readonly commitments: readonly OtherCommitmentRef[];
  /** How many commitments were made or revisited in the addressed session (what its day dates). */
  readonly commitmentsDatedBySession: number | null;
}

export const NO_FACTS: Facts = { session: null, commitment: null, commitments: [], commitmentsDatedBySession: null };

/** A command without its clock: what a route, a form or an import asks for. */
export interface Intent<C extends DomainCommand> {
  readonly data: C['data'];
  /** When it happened in the world; absent for now. */
  readonly occurredAt?: string | undefined;
}

/** One command of an aggregate: its route, input, role and documentation, the facts it needs, and the command it makes. */
export interface CommandEntry<C extends DomainCommand = DomainCommand, Input extends object = object> {
  readonly type: C['type'];
  /** Relative to the aggregate's path: `''` for the creation, else the segment after the id. */
  readonly route: string;
  /** The validated request body (the ValidationPipe and the OpenAPI document read it). */
  readonly input: ClassConstructor<Input>;
  readonly role: Role;
  readonly summary: string;
  readonly description?: string;
  /**
   * The ids of other aggregates whose facts it needs. Several other commitments (`commitments`)
   * make it a command across streams: their facts are read in its unit of work and their
   * streams checked at those revisions when it is appended, so nothing it relied on changed.
   */
  readonly facts?: {
    readonly session?: (input: Input) => string;
    readonly commitment?: (input: Input) => string;
    readonly commitments?: (input: Input) => readonly string[];
    /** Whether it needs to know what is dated by the addressed session (a new date for it). */
    readonly commitmentsDatedBySession?: (input: Input) => boolean;
  };
  /** It makes new resources besides changing the addressed one (a split's parts): answered with 201. */
  readonly makesNew?: boolean;
  /** A creation's `Location`, when its resource is read elsewhere than `/<path>/<id>`. */
  readonly location?: (id: string) => string;
  /** A creation: the id chosen in the input, if any (else one is derived from the Idempotency-Key or made). */
  readonly chosenId?: (input: Input) => string | undefined;
  readonly toCommand: (input: Input, facts: Facts, context: { readonly id: string }) => Intent<C>;
  /**
   * The commands on other streams decided with it and appended in the same atomic append (the
   * parts of a split, the other sources of a merge), from the aggregate's state before it.
   */
  readonly others?: (
    input: Input,
    facts: Facts,
    context: { readonly id: string; readonly state: unknown },
  ) => readonly OtherIntent[];
}

/** A command on another stream of the same aggregate, made with the entry's own (the table types it). */
export interface OtherIntent extends Intent<DomainCommand> {
  readonly type: string;
  readonly id: string;
  /** The input field that named it: a refusal of its command is about that field. */
  readonly field: string;
}

/** An entry whose decision spans several streams, appended at once. */
export const isAcross = (entry: { readonly facts?: { readonly commitments?: unknown }; readonly others?: unknown }): boolean =>
  entry.facts?.commitments !== undefined || entry.others !== undefined;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any entry of the aggregate, whatever its input
export type AnyCommandEntry<C extends DomainCommand = DomainCommand> = CommandEntry<C, any>;

/** An aggregate and its commands, keyed by the name of their controller method (and OpenAPI operation). */
export interface CommandTable<C extends DomainCommand = DomainCommand> {
  readonly aggregate: Aggregate<C>;
  readonly commands: Readonly<Record<string, AnyCommandEntry<C>>>;
}

/** The command an entry makes from its input, at `now`. */
export function commandOf<C extends DomainCommand, Input extends object>(
  entry: CommandEntry<C, Input>,
  input: Input,
  facts: Facts,
  context: { readonly id: string; readonly now: string },
): C {
  const { data, occurredAt } = entry.toCommand(input, facts, { id: context.id });
  return {
    type: entry.type,
    data,
    occurredAt: occurredAt ? new Date(occurredAt).toISOString() : context.now,
    now: context.now,
  } as C;
}

/** What the shell needs to run a command against one of the aggregate's streams. */
export function shellRequest<C extends DomainCommand>(
  aggregate: Aggregate<C>,
  id: string,
  command: C,
  context: CommandContext,
  field?: string,
): ShellRequest<C, DomainEvent, unknown> {
  return {
    decider: aggregate.decider,
    streamId: aggregate.streamId(id),
    command,
    context,
    mustExist: ![aggregate.creation].flat().includes(command.type),
    subject: { resource: aggregate.resource, id, ...(field === undefined ? {} : { field }) },
  };
}
