import { compareLogPositions, LOG_START, type EventStore, type LogCursor, type ReadAllPage } from '#event-store';
import type { DataSource } from 'typeorm';
import { openBulkLoader, type BulkLoader } from './bulk-load.js';
import { announceChange } from './change-notice.js';
import { forgetCheckpoint, lockProjection, readCheckpoint, storeCheckpoint } from './checkpoints.js';
import type { Projection, Replay, Sql } from './projection.js';
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

/** One projection of a rebuild, swapped in: the events it applied, where, and when (since the rebuild began). */
export interface RebuiltProjection extends RebuildProgress {
  readonly projection: string;
}

export interface RebuildOptions {
  /** The batch size of the tail, applied once the log read at the start is folded. */
  readonly batchSize?: number;
  /** Events read and applied so far, over every projection being rebuilt. */
  readonly onProgress?: (progress: RebuildProgress) => void;
}

/**
 * Blue-green rebuild of one projection: see `rebuildProjections`.
 */
export async function rebuildProjection(
  dataSource: DataSource,
  store: EventStore,
  projection: Projection,
  options: RebuildOptions = {},
): Promise<RebuildProgress> {
  const [done] = await rebuildProjections(dataSource, store, [projection], options);
  return { events: done!.events, checkpoint: done!.checkpoint, seconds: done!.seconds };
}

/** A projection being rebuilt: its shadow tables' structure, and how far the shared replay took it. */
interface Target {
  readonly projection: Projection;
  readonly structure: readonly TableStructure[];
  /** The event types it reads; every type when absent. */
  readonly types: ReadonlySet<string> | undefined;
  readonly replay: Replay | undefined;
  loader: BulkLoader | undefined;
  events: number;
}

/**
 * Blue-green rebuild: replays the whole log into shadow tables while the live ones keep
 * serving (and following), then swaps each projection's in one transaction once its shadows hold
 * at least everything the live tables do. The live projector carries on from there. A crash
 * before a swap leaves the live tables as they were; the next rebuild drops the shadows left.
 *
 * The log is read once for every projection given: each page goes to each projection, its own
 * event types only. A projection with a `replay` folds the log in memory and writes each row once
 * (by COPY on a PostgreSQL server, each projection on a connection of its own, so their COPYs run
 * side by side and stream while the next pages are read and folded), with the shadow's indexes
 * built after the load, each table's as soon as it is complete; one without applies each page as
 * it follows the log. The tail after that is applied batch by batch, projection by projection.
 */
export async function rebuildProjections(
  dataSource: DataSource,
  store: EventStore,
  projections: readonly Projection[],
  options: RebuildOptions = {},
): Promise<RebuiltProjection[]> {
  const started = performance.now();
  let events = 0;
  const progress = (checkpoint: LogCursor): RebuildProgress => ({
    events,
    checkpoint,
    seconds: (performance.now() - started) / 1000,
  });
  const names = projections.map((projection) => projection.name);
  if (new Set(names).size !== names.length) throw new Error(`A projection named twice in one rebuild: ${names.join(', ')}`);
  const shadowKey = (projection: Projection) => `${projection.name}${SHADOW}`;
  const shadow = (name: string) => `${name}${SHADOW}`;
  // Each table's keys, then each of its indexes in a transaction of its own, side by side where the
  // pool allows (an index build takes a lock that lets others build theirs on the same table).
  const buildKeysAndIndexes = async (table: TableStructure) => {
    const inTransaction = (build: (sql: Sql) => Promise<void>) =>
      dataSource.transaction((manager) => build((text, parameters) => manager.query(text, parameters as unknown[])));
    await inTransaction((sql) => addKeys(sql, table));
    await settleAll(table.indexes.map((index) => inTransaction((sql) => addIndex(sql, table, index))));
  };

  const targets: Target[] = await dataSource.transaction(async (manager) => {
    const sql: Sql = (text, parameters) => manager.query(text, parameters as unknown[]);
    const found: Target[] = [];
    for (const projection of projections) {
      const structure: TableStructure[] = [];
      for (const table of projection.tables) {
        await sql(`drop table if exists ${shadow(table)}`);
        // Columns, defaults and generated columns now; keys and indexes below, under shadow names.
        await sql(`create table ${shadow(table)} (like ${table} including defaults including generated including constraints)`);
        structure.push(await tableStructure(sql, table));
      }
      await forgetCheckpoint(sql, shadowKey(projection));
      const replay = projection.replay?.();
      // Applied page by page as it follows the log: its keys are there from the start.
      if (!replay) for (const table of structure) await addKeysAndIndexes(sql, table);
      const types = projection.eventTypes && new Set(projection.eventTypes);
      found.push({ projection, structure, types, replay, loader: undefined, events: 0 });
    }
    return found;
  });
  // What the log is read for: every type one of them reads.
  const readTypes = targets.every((target) => target.types)
    ? [...new Set(targets.flatMap((target) => [...target.types!]))]
    : undefined;

  let after: LogCursor = LOG_START;
  try {
    for (const target of targets) if (target.replay) target.loader = await openBulkLoader(dataSource);
    const read = (from: LogCursor) =>
      store.readAll({ after: from, maxCount: READ_PAGE, ...(readTypes ? { types: readTypes } : {}) });
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
        // Side by side: one waiting for its COPY to drain does not hold up the others' folds.
        await settleAll(
          targets.map(async (target) => {
            const mine = (page: ReadAllPage) =>
              target.types ? page.events.filter((event) => target.types!.has(event.type)) : page.events;
            if (!target.replay) {
              // Applied as one batch: a statement per page would wait on the others' folds each time.
              const batch = group.flatMap(mine);
              if (batch.length > 0) await target.projection.apply(batch, sql, shadow);
              target.events += batch.length;
              return;
            }
            const write = target.loader!.writer(sql);
            for (const page of group) {
              const events = mine(page);
              if (events.length === 0) continue;
              await target.replay.add(events, sql, shadow, write);
              target.events += events.length;
              // A fold awaits only promises already settled, which run before any I/O: without a turn
              // of the event loop per page, the pages read ahead would arrive only once it is done.
              await new Promise<void>((resolve) => setImmediate(resolve));
            }
          }),
        );
        for (const page of group) {
          events += page.events.length;
          after = page.next;
        }
        options.onProgress?.(progress(after));
      });
      group = await next;
    }
    // Each replay's rows kept in memory written, and its tables' keys and indexes built: tables
    // its batches streamed in are complete, their indexes built while `finish` writes the rest
    // (should it write one of them again, PostgreSQL makes it wait). Every projection side by side.
    await settleAll(targets.map((target) => target.loader?.flush()));
    await settleAll(
      targets.map(async ({ replay, loader, structure }) => {
        if (!replay || !loader) return;
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
        await settleAll([finishing.then(() => settleAll(late.map(buildKeysAndIndexes))), ...early.map(buildKeysAndIndexes)]);
      }),
    );
  } finally {
    await settleAll(targets.map((target) => target.loader?.close()));
  }
  for (const target of targets) {
    await storeCheckpoint(
      (text, parameters) => dataSource.query(text, parameters as unknown[]),
      shadowKey(target.projection),
      after,
    );
  }

  const rebuilt: RebuiltProjection[] = [];
  for (const target of targets) {
    const swapped = await catchUpAndSwap(
      dataSource,
      store,
      target,
      options.batchSize ?? 5000,
      (applied) => {
        events += applied;
        target.events += applied;
      },
      (checkpoint) => options.onProgress?.(progress(checkpoint)),
    );
    rebuilt.push({ projection: target.projection.name, ...progress(swapped), events: target.events });
  }
  return rebuilt;
}

/** The tail after the replay applied to the shadows, then the swap: the checkpoint it swapped at. */
async function catchUpAndSwap(
  dataSource: DataSource,
  store: EventStore,
  { projection, structure }: Target,
  batchSize: number,
  onBatch: (events: number) => void,
  onCheckpoint: (checkpoint: LogCursor) => void,
): Promise<LogCursor> {
  const shadowKey = `${projection.name}${SHADOW}`;
  const shadow = (name: string) => `${name}${SHADOW}`;
  const runner = new ProjectionRunner(dataSource, store, projection, { tableSuffix: SHADOW, batchSize, onBatch });
  for (;;) {
    await runner.catchUp(onCheckpoint);
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
    if (swapped !== undefined) return swapped;
  }
}

/** Waits for every one of them, then throws the first failure: none is left running behind a failure. */
async function settleAll(work: readonly (Promise<unknown> | undefined)[]): Promise<void> {
  const outcomes = await Promise.allSettled(work);
  for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
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
  await addKeys(sql, table);
  for (const index of table.indexes) await addIndex(sql, table, index);
}

async function addKeys(sql: Sql, table: TableStructure): Promise<void> {
  for (const constraint of table.constraints) {
    await sql(`alter table ${table.name}${SHADOW} add constraint ${constraint.name}${SHADOW} ${constraint.definition}`);
  }
}

async function addIndex(sql: Sql, table: TableStructure, index: TableStructure['indexes'][number]): Promise<void> {
  const definition = index.definition.replace(
    /^CREATE (UNIQUE )?INDEX \S+ ON (\S+\.)?\S+ /,
    (_, unique: string | undefined) => `CREATE ${unique ?? ''}INDEX ${index.name}${SHADOW} ON ${table.name}${SHADOW} `,
  );
  await sql(definition);
}
