/**
 * The shape every aggregate of the domain takes: pure functions over readonly
 * `{ type, data }` literals. The clock and new ids arrive in the command.
 */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  readonly type: Type;
  readonly data: Data;
}

export interface DomainCommand<Type extends string = string, Data extends object = object> {
  readonly type: Type;
  readonly data: Data;
  /** When it happened in the world (ISO 8601). */
  readonly occurredAt: string;
  /** The tracker's clock when the command was issued (ISO 8601). */
  readonly now: string;
}

export interface Decider<Command extends DomainCommand, Event extends DomainEvent, State> {
  readonly initialState: State;
  decide(command: Command, state: State): readonly Event[];
  evolve(state: State, event: Event): State;
}

/** The command does not fit the aggregate's current state, or another's it names (HTTP 409). */
export class IllegalStateError extends Error {
  override readonly name = 'IllegalStateError';

  /** @param field the command field naming the other aggregate whose state refuses it, if any. */
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The command breaks a rule of the domain whatever the state (HTTP 422). */
export class RuleViolationError extends Error {
  override readonly name: string = 'RuleViolationError';

  /** @param field the command field the rule is about, when it is about one (e.g. `occurredAt`). */
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
