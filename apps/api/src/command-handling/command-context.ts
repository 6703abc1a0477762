/** Who issues a command and under which HTTP preconditions; built once per request. */
export interface CommandContext {
  /** The token's subject: recorded as each event's actor. */
  readonly actor: string;
  readonly correlationId: string;
  /** The request that caused these events. */
  readonly causationId: string;
  /** From `If-Match`: the stream revision the client last saw. */
  readonly expectedRevision?: number;
  /** From `Idempotency-Key`: a retried request produces its events once. */
  readonly idempotencyKey?: string;
  /**
   * Whose keys these are: the event ids derive from it and the key. Defaults to the actor;
   * imports use `import`, so a file's events get the same ids whoever imports it.
   */
  readonly idempotencyScope?: string;
}

export interface CommandOutcome {
  readonly streamId: string;
  /** The stream's revision after the command: the resource's ETag. */
  readonly revision: number;
  /** Log position of the last event written: lets a reader wait for the projections to catch up. */
  readonly position: string;
  readonly events: readonly string[];
}
