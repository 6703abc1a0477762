import { LOG_START, type LogCursor } from '#event-store';
import type { Sql } from './projection.js';

/** How far a projection (or a rebuild's shadow of it) has applied the log. */
export async function readCheckpoint(sql: Sql, key: string): Promise<LogCursor> {
  const [row] = await sql<{ position: string }>('select position from projection_checkpoints where projection = $1', [key]);
  return (row?.position ?? LOG_START) as LogCursor;
}

export async function storeCheckpoint(sql: Sql, key: string, position: LogCursor): Promise<void> {
  await sql(
    `insert into projection_checkpoints (projection, position, updated_at) values ($1, $2, now())
     on conflict (projection) do update set position = excluded.position, updated_at = now()`,
    [key, position],
  );
}

export async function forgetCheckpoint(sql: Sql, key: string): Promise<void> {
  await sql('delete from projection_checkpoints where projection = $1', [key]);
}

/**
 * The projection's advisory lock, held until the transaction ends: `try` gives up at once
 * (a runner lets another instance work), otherwise it waits (a rebuild's swap).
 */
export async function lockProjection(sql: Sql, key: string, mode: 'try' | 'wait'): Promise<boolean> {
  const name = `projection:${key}`;
  if (mode === 'wait') {
    await sql('select pg_advisory_xact_lock(hashtextextended($1, 0))', [name]);
    return true;
  }
  const [row] = await sql<{ locked: boolean }>('select pg_try_advisory_xact_lock(hashtextextended($1, 0)) as locked', [name]);
  return row!.locked;
}
