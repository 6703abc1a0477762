import type { ExpectedRevision } from './event-store.js';

/** The stream is not where the writer expected it: someone else wrote first. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Revision of the stream's last event, or `no_stream`. */
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream "${streamId}" was expected at ${String(expected)} but is at ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** Some, not all, of the appended event ids were written before, or elsewhere. */
export class IdempotencyConflictError extends Error {
  constructor(
    readonly streamId: string,
    detail: string,
  ) {
    super(`Append to "${streamId}" partly repeats earlier events: ${detail}`);
    this.name = 'IdempotencyConflictError';
  }
}

/** The append itself is malformed; nothing was written. `field` names the offending part. */
export class InvalidAppendError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`Invalid append: ${field} ${reason}`);
    this.name = 'InvalidAppendError';
  }
}
