import { compareLogPositions, LOG_START, type EventStore, type LogCursor } from '#event-store';
import type { DataSource } from 'typeorm';
import type { Projection, Sql } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';

const SHADOW = '_next';

export interface RebuildProgress {
  readonly events: number;
  readonly checkpoint: LogCursor;
  readonly seconds: number;
}

/**
 * Blue-green rebuild: replays the whole log into shadow tables while the live ones keep
 * serving (and following), then swaps them in one transaction once the shadows hold at
 * least everything the live tables do. The live projector carries on from there.
 */
export async function rebuildProjection(
  dataSource: DataSource,
  store: EventStore,
  projection: Projection,
  options: { readonly batchSize?: number; readonly onProgress?: (progress: RebuildProgress) => void } = {},
): Promise<RebuildProgress> {
  const started = performance.now();
  let events = 0;
  await dataSource.transaction(async (manager) => {
    for (const table of projection.tables) {
      await manager.query(`drop table if exists ${table}${SHADOW}`);
      await manager.query(`create table ${table}${SHADOW} (like ${table} including all)`);
    }
    await manager.query('delete from projection_checkpoints where projection = $1', [`${projection.name}${SHADOW}`]);
  });
  const runner = new ProjectionRunner(dataSource, store, projection, {
    tableSuffix: SHADOW,
    batchSize: options.batchSize ?? 5000,
    onBatch: (applied) => {
      events += applied;
    },
  });
  const progress = (checkpoint: LogCursor): RebuildProgress => ({
    events,
    checkpoint,
    seconds: (performance.now() - started) / 1000,
  });

  for (;;) {
    await runner.catchUp((checkpoint) => options.onProgress?.(progress(checkpoint)));
    const swapped = await dataSource.transaction(async (manager) => {
      const sql: Sql = (text, parameters) => manager.query(text, parameters as unknown[]);
      // Waits for the live projector's batch in flight, then keeps it out until the swap commits.
      await sql('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`projection:${projection.name}`]);
      const live = await runnerCheckpoint(sql, projection.name);
      const shadow = await runnerCheckpoint(sql, `${projection.name}${SHADOW}`);
      if (compareLogPositions(shadow, live) < 0) return undefined;
      for (const table of projection.tables) {
        await sql(`alter table ${table} rename to ${table}_old`);
        await sql(`alter table ${table}${SHADOW} rename to ${table}`);
        await sql(`drop table ${table}_old`);
      }
      await sql(
        `insert into projection_checkpoints (projection, position, updated_at) values ($1, $2, now())
         on conflict (projection) do update set position = excluded.position, updated_at = now()`,
        [projection.name, shadow],
      );
      await sql('delete from projection_checkpoints where projection = $1', [`${projection.name}${SHADOW}`]);
      return shadow;
    });
    if (swapped !== undefined) return progress(swapped);
  }
}

async function runnerCheckpoint(sql: Sql, key: string): Promise<LogCursor> {
  const [row] = await sql<{ position: string }>('select position from projection_checkpoints where projection = $1', [key]);
  return (row?.position ?? LOG_START) as LogCursor;
}
