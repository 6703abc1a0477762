import type { LogCursor } from '#event-store';
import type { Sql } from './projection.js';

/**
 * What a projection just committed: which read model moved, to which checkpoint, and the streams
 * whose events it applied (`null`: anything may have changed, e.g. a rebuild swapped its tables).
 * Caches of answers drawn from the read models drop exactly what it touched.
 */
export interface ReadModelChange {
  readonly projection: string;
  readonly checkpoint: LogCursor;
  readonly streamIds: readonly string[] | null;
}

/** The PostgreSQL channel every api instance listens on for `ReadModelChange`s. */
export const READ_MODEL_CHANNEL = 'read_models_changed';

// pg_notify's payload must stay under 8000 bytes; a batch naming more streams says "anything".
const LONGEST_PAYLOAD = 7500;

export function encodeChange(change: ReadModelChange): string {
  const payload = JSON.stringify({ p: change.projection, c: change.checkpoint, s: change.streamIds });
  return payload.length <= LONGEST_PAYLOAD ? payload : JSON.stringify({ p: change.projection, c: change.checkpoint, s: null });
}

/** A notice as sent by `encodeChange`; anything else is read as "anything may have changed". */
export function decodeChange(payload: string): ReadModelChange {
  try {
    const { p, c, s } = JSON.parse(payload) as { p?: unknown; c?: unknown; s?: unknown };
    const streams = Array.isArray(s) && s.every((id) => typeof id === 'string') ? (s as string[]) : null;
    return {
      projection: typeof p === 'string' ? p : '',
      checkpoint: (typeof c === 'string' ? c : '') as LogCursor,
      streamIds: streams,
    };
  } catch {
    return { projection: '', checkpoint: '' as LogCursor, streamIds: null };
  }
}

/**
 * Announces the change inside the transaction that makes it: PostgreSQL delivers the notice when
 * (and only if) it commits, to every session listening, on this instance or any other.
 */
export async function announceChange(sql: Sql, change: ReadModelChange): Promise<void> {
  await sql('select pg_notify($1, $2)', [READ_MODEL_CHANNEL, encodeChange(change)]);
}
