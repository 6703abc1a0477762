import { compareLogPositions, LOG_START, type EventStore, type LogCursor, type ReadAllPage } from '#event-store';
import type { DataSource } from 'typeorm';
import { openBulkLoader } from './bulk-load.js';
import { announceChange } from './change-notice.js';
import { forgetCheckpoint, lockProjection, readCheckpoint, storeCheckpoint } from './checkpoints.js';
import type { Projection, Sql } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';

const SHADOW = '_next';
/**
 * Small pages keep the log read cheap in Node: a large result is held whole until it completes,
 * long enough to be promoted and collected the expensive way (10,000 cost ~40% more CPU than 1,000).
 */
const READ_PAGE = 1000;
const EVENTS_PER_TRANSACTION = 10_000;

export interface RebuildProgress {
  readonly events: number;
  readonly checkpoint: LogCursor;
  readonly seconds: number;
}

/**
 * Blue-green rebuild: replays the whole log into shadow tables while the live ones keep
 * serving (and following), then swaps them in one transaction once the shadows hold at
 * least everything the live tables do. The live projector carries on from there.
 *
 * A projection with a `replay` folds the log in memory and writes each row once (by COPY on a
 * PostgreSQL server, streaming while the next pages are read and folded), with the shadow's
 * indexes built after the load, each table's as soon as it is complete; the tail after that is
 * applied batch by batch.
 */
export async function rebuildProjection(
  dataSource: DataSource,
  store: EventStore,
  projection: Projection,
  options: { readonly batchSize?: number; readonly onProgress?: (progress: RebuildProgress) => void } = {},
): Promise<RebuildProgress> {
  const started = performance.now();
  let events = 0;
  const progress = (checkpoint: LogCursor): RebuildProgress => ({
    events,
    checkpoint,
    seconds: (performance.now() - started) / 1000,
  });
  const shadowKey = `${projection.name}${SHADOW}`;
  // Each table's keys and indexes in a transaction of its own, side by side where the pool allows.
  const buildKeysAndIndexes = (table: TableStructure) =>
    dataSource.transaction((manager) =>
      addKeysAndIndexes((text, parameters) => manager.query(text, parameters as unknown[]), table),
    );
  const shadow = (name: string) => `${name}${SHADOW}`;

  const structure = await dataSource.transaction(async (manager) => {
    const sql: Sql = (text, parameters) => manager.query(text, parameters as unknown[]);
    const found: TableStructure[] = [];
    for (const table of projection.tables) {
      await sql(`drop table if exists ${shadow(table)}`);
      // Columns, defaults and generated columns now; keys and indexes below, under shadow names.
      await sql(`create table ${shadow(table)} (like ${table} including defaults including generated including constraints)`);
      found.push(await tableStructure(sql, table));
    }
    await forgetCheckpoint(sql, shadowKey);
    if (!projection.replay) for (const table of found) await addKeysAndIndexes(sql, table);
    return found;
  });

  if (projection.replay) {
    const replay = projection.replay();
    const loader = await openBulkLoader(dataSource);
    let after: LogCursor = LOG_START;
    try {
      const read = (from: LogCursor) =>
        store.readAll({
          after: from,
          maxCount: READ_PAGE,
          ...(projection.eventTypes ? { types: projection.eventTypes } : {}),
        });
      /** The pages one transaction folds and writes: read before it, never awaited inside it. */
      const readGroup = async (from: LogCursor): Promise<ReadAllPage[]> => {
        const pages: ReadAllPage[] = [];
        let cursor = from;
        for (let count = 0; count < EVENTS_PER_TRANSACTION;) {
          const page = await read(cursor);
          if (page.events.length === 0) break;
          pages.push(page);
          count += page.events.length;
          cursor = page.next;
        }
        return pages;
      };
      let group = await readGroup(after);
      while (group.length > 0) {
        // The next pages are read while this transaction folds and writes, and awaited only once it
        // has committed: embedded PGlite runs one transaction at a time, and a read awaited inside
        // this one would wait for it forever.
        const next = readGroup(group.at(-1)!.next);
        next.catch(() => undefined); // awaited below; a failure while folding must not go unhandled
        await dataSource.transaction(async (manager) => {
          const sql: Sql = (text, parameters) => manager.query(text, parameters as unknown[]);
          const write = loader.writer(sql);
          for (const page of group) {
            await replay.add(page.events, sql, shadow, write);
            events += page.events.length;
            after = page.next;
            options.onProgress?.(progress(after));
          }
        });
        group = await next;
      }
      // Tables the batches streamed in are complete: their indexes are built while `finish`
      // writes the rest (should it write one of them again, PostgreSQL makes it wait).
      await loader.flush();
      const early = structure.filter((table) => loader.copied.has(shadow(table.name)));
      const finishing = (async () => {
        await dataSource.transaction((manager) => {
          const sql: Sql = (text, parameters) => manager.query(text, parameters as unknown[]);
          return replay.finish(sql, shadow, loader.writer(sql));
        });
        await loader.flush();
      })();
      // The other tables' indexes follow `finish` at once, alongside the early ones still building.
      const late = structure.filter((table) => !early.includes(table));
      const outcomes = await Promise.allSettled([
        finishing.then(() => Promise.all(late.map(buildKeysAndIndexes))),
        ...early.map(buildKeysAndIndexes),
      ]);
      for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
    } finally {
      await loader.close();
    }
    await storeCheckpoint((text, parameters) => dataSource.query(text, parameters as unknown[]), shadowKey, after);
  }

  const runner = new ProjectionRunner(dataSource, store, projection, {
    tableSuffix: SHADOW,
    batchSize: options.batchSize ?? 5000,
    onBatch: (applied) => {
      events += applied;
    },
  });
  for (;;) {
    await runner.catchUp((checkpoint) => options.onProgress?.(progress(checkpoint)));
    const swapped = await dataSource.transaction(async (manager) => {
      const sql: Sql = (text, parameters) => manager.query(text, parameters as unknown[]);
      // Waits for the live projector's batch in flight, then keeps it out until the swap commits.
      await lockProjection(sql, projection.name, 'wait');
      const live = await readCheckpoint(sql, projection.name);
      const rebuilt = await readCheckpoint(sql, shadowKey);
      if (compareLogPositions(rebuilt, live) < 0) return undefined;
      for (const table of structure) {
        await sql(`drop table ${table.name}`);
        await sql(`alter table ${shadow(table.name)} rename to ${table.name}`);
        // The swapped-in table takes the live names of its keys and indexes back.
        for (const constraint of table.constraints) {
          await sql(`alter table ${table.name} rename constraint ${shadow(constraint.name)} to ${constraint.name}`);
        }
        for (const index of table.indexes) await sql(`alter index ${shadow(index.name)} rename to ${index.name}`);
      }
      await storeCheckpoint(sql, projection.name, rebuilt);
      await forgetCheckpoint(sql, shadowKey);
      // Every table was swapped: answers drawn from any row may have changed.
      await announceChange(sql, { projection: projection.name, checkpoint: rebuilt, streamIds: null });
      return rebuilt;
    });
    if (swapped !== undefined) return progress(swapped);
  }
}

interface TableStructure {
  readonly name: string;
  /** Primary key and unique constraints, as `pg_get_constraintdef` gives them. */
  readonly constraints: readonly { readonly name: string; readonly definition: string }[];
  /** Other indexes, as `pg_indexes.indexdef` gives them. */
  readonly indexes: readonly { readonly name: string; readonly definition: string }[];
}

async function tableStructure(sql: Sql, table: string): Promise<TableStructure> {
  const constraints = await sql<{ name: string; definition: string }>(
    `select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
      where conrelid = $1::regclass and contype in ('p', 'u') order by conname`,
    [table],
  );
  const indexes = await sql<{ name: string; definition: string }>(
    `select indexname as name, indexdef as definition from pg_indexes
      where schemaname = current_schema() and tablename = $1
        and indexname not in (select conname from pg_constraint where conrelid = $1::regclass)
      order by indexname`,
    [table],
  );
  return { name: table, constraints, indexes };
}

/** The live table's keys and indexes on its shadow, each named `<live name>_next`. */
async function addKeysAndIndexes(sql: Sql, table: TableStructure): Promise<void> {
  const shadowTable = `${table.name}${SHADOW}`;
  for (const constraint of table.constraints) {
    await sql(`alter table ${shadowTable} add constraint ${constraint.name}${SHADOW} ${constraint.definition}`);
  }
  for (const index of table.indexes) {
    const definition = index.definition.replace(
      /^CREATE (UNIQUE )?INDEX \S+ ON (\S+\.)?\S+ /,
      (_, unique: string | undefined) => `CREATE ${unique ?? ''}INDEX ${index.name}${SHADOW} ON ${shadowTable} `,
    );
    await sql(definition);
  }
}
