import { LOG_START, type LogCursor, type LogPosition } from '#event-store';
import { READ_MODEL_CHANNEL, encodeChange, type ReadModelChange } from './change-notice.js';
import type { Sql } from './projection.js';

/** How far a projection (or a rebuild's shadow of it) has applied the log. */
export async function readCheckpoint(sql: Sql, key: string): Promise<LogCursor> {
  const [row] = await sql<{ position: string }>('select position from projection_checkpoints where projection = $1', [key]);
  return (row?.position ?? LOG_START) as LogCursor;
}

const STORE_CHECKPOINT = `insert into projection_checkpoints (projection, position, updated_at) values ($1, $2, now())
  on conflict (projection) do update set position = excluded.position, updated_at = now(),
    failing_position = null, failing_stream_id = null, failing_event_type = null, failing_error = null,
    failing_since = null, failing_attempts = 0, failing_last_attempt_at = null`;

/**
 * Stores the new checkpoint, in the transaction of the batch it follows; a batch applied clears any
 * failure. With `announcing`, the change is announced in the same statement (one round trip less
 * per batch): the notice is sent when, and only if, the transaction commits (see announceChange).
 */
export async function storeCheckpoint(sql: Sql, key: string, position: LogCursor, announcing?: ReadModelChange): Promise<void> {
  if (announcing === undefined) {
    await sql(STORE_CHECKPOINT, [key, position]);
    return;
  }
  await sql(`with stored as (${STORE_CHECKPOINT} returning 1) select pg_notify($3, $4) from stored`, [
    key,
    position,
    READ_MODEL_CHANNEL,
    encodeChange(announcing),
  ]);
}

export async function forgetCheckpoint(sql: Sql, key: string): Promise<void> {
  await sql('delete from projection_checkpoints where projection = $1', [key]);
}

/** The event a projection cannot apply, and why. */
export interface ProjectionFailureRecord {
  readonly event: { readonly position: LogPosition; readonly streamId: string; readonly type: string };
  readonly error: string;
}

const LONGEST_ERROR = 2000;

/**
 * Records that the projection, at `checkpoint`, cannot apply the next event. A statement of its
 * own, outside the batch that failed (that one rolled back). It writes nothing when the
 * checkpoint has moved meanwhile (another instance applied past it), so a stale failure never
 * covers a projection that has recovered.
 */
export async function recordFailure(
  sql: Sql,
  key: string,
  checkpoint: LogCursor,
  failure: ProjectionFailureRecord,
): Promise<void> {
  const same = 'projection_checkpoints.failing_position is not distinct from excluded.failing_position';
  await sql(
    `insert into projection_checkpoints
       (projection, position, updated_at, failing_position, failing_stream_id, failing_event_type, failing_error,
        failing_since, failing_attempts, failing_last_attempt_at)
     values ($1, $2, now(), $3, $4, $5, $6, now(), 1, now())
     on conflict (projection) do update set
       failing_attempts = case when ${same} then projection_checkpoints.failing_attempts + 1 else 1 end,
       failing_since = case when ${same} then coalesce(projection_checkpoints.failing_since, now()) else now() end,
       failing_position = excluded.failing_position,
       failing_stream_id = excluded.failing_stream_id,
       failing_event_type = excluded.failing_event_type,
       failing_error = excluded.failing_error,
       failing_last_attempt_at = now()
     where projection_checkpoints.position = excluded.position`,
    [key, checkpoint, failure.event.position, failure.event.streamId, failure.event.type, failure.error.slice(0, LONGEST_ERROR)],
  );
}

/** Where a projection stands: following the log, or stuck on an event it cannot apply. */
export type ProjectionStatus =
  | {
      readonly name: string;
      readonly status: 'following';
      /** Its checkpoint: the last event applied (`start` before the first). */
      readonly position: LogCursor;
      readonly updatedAt: string | null;
    }
  | {
      readonly name: string;
      readonly status: 'stuck';
      readonly position: LogCursor;
      readonly updatedAt: string | null;
      /** The next event after `position`: the one it cannot apply. */
      readonly failingEvent: { readonly position: string; readonly streamId: string; readonly type: string };
      readonly error: string;
      readonly failingSince: string;
      readonly attempts: number;
      readonly lastAttemptAt: string;
    };

interface StatusRow {
  projection: string;
  position: string;
  updated_at: Date | string;
  failing_position: string | null;
  failing_stream_id: string | null;
  failing_event_type: string | null;
  failing_error: string | null;
  failing_since: Date | string | null;
  failing_attempts: number;
  failing_last_attempt_at: Date | string | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();

/** Each named projection's status, in the order given; one that never stored a checkpoint is at `start`. */
export async function readProjectionStatuses(sql: Sql, names: readonly string[]): Promise<ProjectionStatus[]> {
  const rows = await sql<StatusRow>(
    `select projection, position, updated_at, failing_position, failing_stream_id, failing_event_type, failing_error,
            failing_since, failing_attempts, failing_last_attempt_at
       from projection_checkpoints where projection = any($1)`,
    [names],
  );
  return names.map((name): ProjectionStatus => {
    const row = rows.find((candidate) => candidate.projection === name);
    if (!row) return { name, status: 'following', position: LOG_START, updatedAt: null };
    const base = { name, position: row.position as LogCursor, updatedAt: iso(row.updated_at) };
    if (row.failing_position === null) return { ...base, status: 'following' };
    return {
      ...base,
      status: 'stuck',
      failingEvent: { position: row.failing_position, streamId: row.failing_stream_id ?? '', type: row.failing_event_type ?? '' },
      error: row.failing_error ?? '',
      failingSince: iso(row.failing_since ?? row.updated_at),
      attempts: Number(row.failing_attempts),
      lastAttemptAt: iso(row.failing_last_attempt_at ?? row.updated_at),
    };
  });
}

/** The name of a projection's advisory lock (hashed to its key). */
export const lockName = (key: string): string => `projection:${key}`;

/**
 * The projection's advisory lock, held until the transaction ends: `try` gives up at once
 * (a runner lets another instance work), otherwise it waits (a rebuild's swap).
 */
export async function lockProjection(sql: Sql, key: string, mode: 'try' | 'wait'): Promise<boolean> {
  const name = lockName(key);
  if (mode === 'wait') {
    await sql('select pg_advisory_xact_lock(hashtextextended($1, 0))', [name]);
    return true;
  }
  const [row] = await sql<{ locked: boolean }>('select pg_try_advisory_xact_lock(hashtextextended($1, 0)) as locked', [name]);
  return row!.locked;
}
