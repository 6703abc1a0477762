/** What a 404 is about: the aggregate and its id, and the input field that named it when that was not the address. */
export interface NotFoundSubject {
  /** `Commitment`, `Session`. */
  readonly resource: string;
  readonly id: string;
  readonly field?: string;
}

/** No session or commitment with that id (HTTP 404). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';

  constructor(
    readonly subject: NotFoundSubject,
    message = `${subject.resource} ${subject.id} was not found.`,
  ) {
    super(message);
  }
}

/** `If-Match` named a revision that is no longer current (HTTP 412). */
export class PreconditionFailedError extends Error {
  override readonly name = 'PreconditionFailedError';
}

/** Writers kept colliding on the same stream; the client may retry (HTTP 409). */
export class ConcurrencyConflictError extends Error {
  override readonly name = 'ConcurrencyConflictError';
}
