/** No session or commitment with that id (HTTP 404). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** `If-Match` named a revision that is no longer current (HTTP 412). */
export class PreconditionFailedError extends Error {
  override readonly name = 'PreconditionFailedError';
}

/** Writers kept colliding on the same stream; the client may retry (HTTP 409). */
export class ConcurrencyConflictError extends Error {
  override readonly name = 'ConcurrencyConflictError';
}
