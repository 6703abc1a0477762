import { InvalidAppendError } from './errors.js';
import type { ExpectedRevision, NewEvent } from './event-store.js';

export const APPEND_LIMITS = {
  streamIdLength: 200,
  eventsPerAppend: 500,
  /** Serialized data + metadata of one event; keeps a single row and an EventStoreDB append well in bounds. */
  eventBytes: 256 * 1024,
  typeLength: 200,
  metadataStringLength: 500,
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.:-]*$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
// Whitespace and control characters make stream names ambiguous in logs and URLs.
const STREAM_ID = /^[^\s\p{Cc}$][^\s\p{Cc}]*$/u;

/** Rejects a malformed append before any I/O, so a rejected append writes nothing in any adapter. */
export function validateAppend(streamId: unknown, events: unknown, expectedRevision: unknown, mayBeCheck = false): void {
  if (typeof streamId !== 'string' || streamId.length === 0)
    throw new InvalidAppendError('streamId', 'must be a non-empty string');
  if (streamId.length > APPEND_LIMITS.streamIdLength) {
    throw new InvalidAppendError('streamId', `must be at most ${APPEND_LIMITS.streamIdLength} characters`);
  }
  if (!STREAM_ID.test(streamId)) {
    throw new InvalidAppendError('streamId', 'must not start with "$" or contain whitespace or control characters');
  }
  validateExpectedRevision(expectedRevision);
  if (mayBeCheck && Array.isArray(events) && events.length === 0) return;
  if (!Array.isArray(events) || events.length === 0) throw new InvalidAppendError('events', 'must contain at least one event');
  if (events.length > APPEND_LIMITS.eventsPerAppend) {
    throw new InvalidAppendError('events', `must contain at most ${APPEND_LIMITS.eventsPerAppend} events`);
  }
  const ids = new Set<string>();
  events.forEach((event: unknown, index) => {
    validateEvent(event, `events[${index}]`);
    const id = (event as NewEvent).id.toLowerCase();
    if (ids.has(id)) throw new InvalidAppendError(`events[${index}].id`, 'repeats an id used earlier in the same append');
    ids.add(id);
  });
}

function validateExpectedRevision(expected: unknown): asserts expected is ExpectedRevision {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return;
  throw new InvalidAppendError('expectedRevision', 'must be "any", "no_stream", "stream_exists" or a revision >= 0');
}

function validateEvent(event: unknown, path: string): void {
  if (!isPlainObject(event)) throw new InvalidAppendError(path, 'must be an object');
  if (typeof event.id !== 'string' || !UUID.test(event.id)) throw new InvalidAppendError(`${path}.id`, 'must be a UUID');
  if (typeof event.type !== 'string' || !EVENT_TYPE.test(event.type) || event.type.length > APPEND_LIMITS.typeLength) {
    throw new InvalidAppendError(
      `${path}.type`,
      'must be a name of letters, digits, "_", ".", ":" or "-" starting with a letter',
    );
  }
  if (!isPlainObject(event.data)) throw new InvalidAppendError(`${path}.data`, 'must be a JSON object');
  validateMetadata(event.metadata, `${path}.metadata`);
  let serialized: string;
  try {
    serialized = JSON.stringify({ data: event.data, metadata: event.metadata });
  } catch {
    throw new InvalidAppendError(`${path}.data`, 'must be serializable as JSON');
  }
  if (Buffer.byteLength(serialized, 'utf8') > APPEND_LIMITS.eventBytes) {
    throw new InvalidAppendError(path, `must be at most ${APPEND_LIMITS.eventBytes} bytes of JSON`);
  }
}

function validateMetadata(metadata: unknown, path: string): void {
  if (!isPlainObject(metadata)) throw new InvalidAppendError(path, 'must be an object');
  const text = (field: string, value: unknown) => {
    if (typeof value !== 'string' || value.trim().length === 0)
      throw new InvalidAppendError(`${path}.${field}`, 'must be a non-empty string');
    if (value.length > APPEND_LIMITS.metadataStringLength) {
      throw new InvalidAppendError(`${path}.${field}`, `must be at most ${APPEND_LIMITS.metadataStringLength} characters`);
    }
  };
  const timestamp = (field: string, value: unknown) => {
    if (typeof value !== 'string' || !ISO_TIMESTAMP.test(value) || Number.isNaN(Date.parse(value))) {
      throw new InvalidAppendError(`${path}.${field}`, 'must be an ISO 8601 timestamp with a time zone');
    }
  };
  text('actor', metadata.actor);
  timestamp('occurredAt', metadata.occurredAt);
  timestamp('recordedAt', metadata.recordedAt);
  text('correlationId', metadata.correlationId);
  if (metadata.causationId !== null) text('causationId', metadata.causationId);
  if (!Number.isInteger(metadata.schemaVersion) || (metadata.schemaVersion as number) < 1) {
    throw new InvalidAppendError(`${path}.schemaVersion`, 'must be an integer >= 1');
  }
  const known = new Set(['actor', 'occurredAt', 'recordedAt', 'correlationId', 'causationId', 'schemaVersion']);
  const unknown = Object.keys(metadata).find((key) => !known.has(key));
  if (unknown !== undefined) throw new InvalidAppendError(`${path}.${unknown}`, 'is not a known metadata field');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
