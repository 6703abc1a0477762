/**
 * Read-side benchmark: a 1M-event log, the projections rebuilt from it, and the public read
 * endpoints under load, each against a baseline measured in the same run and printed as a ratio.
 *
 *   npm run bench:read-side
 *
 * 1. Generates the log (sessions and commitments with domain-valid histories) and bulk-loads it
 *    with COPY into `event_store.events`, rows exactly as `append` writes them (checked on a
 *    sample against the decider and against `append` itself).
 * 2. Runs the api's migrations, rebuilds `commitments` alone with `rebuildProjection`, then the
 *    projections selected together with `rebuildProjections` (one read of the log), and compares
 *    each with a floor: COPY of the resulting rows into empty copies of the tables.
 *    Also prints where the rebuild's time went, by statement kind, and the log read alone.
 * 3. Starts the api in-process and loads the read endpoints (GET /dashboard too, when the api
 *    has it) with autocannon in a worker thread; the baseline is the same SQL the endpoint
 *    issued, captured from `pg` while it served one request, replayed through a `pg.Pool`.
 *    Then the same at one connection (service time without queueing) and EXPLAIN ANALYZE.
 *    First row, the machine floor: a bare node:http server answering a fixed small JSON under the
 *    same load, from the api's thread: no endpoint can beat its p99 on this machine.
 *
 * Env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres, loopback only),
 * BENCH_EVENTS (1000000), BENCH_COMMITMENTS (100000), BENCH_SESSIONS (300), BENCH_SEED (1),
 * BENCH_SECONDS (measured seconds per latency run, 10), BENCH_WARMUP_SECONDS (2),
 * BENCH_CONNECTIONS (32), BENCH_SERIAL_SECONDS (the 1-connection reference runs, 3),
 * BENCH_REBUILD_BATCH (default: rebuildProjection's own), BENCH_PROJECTIONS (comma-separated
 * names, or all; default commitments,sessions: commitments is rebuilt alone, then all of them
 * together from one read of the log), BENCH_REBUILD_EACH (1: every one alone too), BENCH_GENERATE_CAP_SECONDS (240),
 * BENCH_REBUILD_CAP_SECONDS (per projection, 240; a capped commitments rebuild skips the
 * latency part), BENCH_TOTAL_CAP_SECONDS (560: past it the run drops its database, exits 1).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { migrations } from '../apps/api/src/storage/migrations/index.js';
import { LOG_START, PostgresEventStore, type LogCursor } from '../libs/event-store/src/index.js';
import {
  commitmentsProjection,
  projections,
  rebuildProjection,
  rebuildProjections,
  type Projection,
  type RebuildProgress,
} from '../libs/read-models/src/index.js';
import { EventLog, copyLog, type GeneratedEvent } from './read-side/generate.js';
import { dropAndExitAfter, startApi } from './bench-api.js';
import { LoadClient } from './load-client.js';
import type { LoadResult } from './load-worker.js';
import { checkAgainstAppend, checkAgainstDecider } from './read-side/validate.js';
import { observeQueries, timeQueries } from './sql-observer.js';
import {
  capped,
  dropDatabase,
  envNumber,
  fmtInt,
  fmtMs,
  fmtRatio,
  fmtS,
  percentile,
  printTable,
  progress,
  runBench,
  since,
  startFloorServer,
  withDatabase,
} from './support.js';

const EVENT_SCHEMA = 'event_store';
/** Issue #15: the commitments rebuild within 1.3× the COPY of its rows; every projection rebuilt within 30 s per million events. */
const TARGET_COMMITMENTS_RATIO = 1.3;
const TARGET_ALL_SECONDS_PER_MILLION = 30;
const TARGET_P99_MS = 10;

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

const clip = (text: string, length: number) => (text.length > length ? `${text.slice(0, length - 3)}...` : text);

// ---------------------------------------------------------------------------------------------
// The SQL an endpoint issues: captured from `pg` while it serves one request, then replayed
// ---------------------------------------------------------------------------------------------

interface CapturedQuery {
  /** Set when the api prepared it as a named statement: replayed the same way. */
  readonly name: string | undefined;
  readonly text: string;
  readonly values: readonly unknown[];
  readonly start: number;
  end: number;
}

/** Queries that overlapped in time ran concurrently; groups run one after the other. */
type QueryPlan = readonly (readonly CapturedQuery[])[];

/** Records every query sent while `work` runs, grouped into steps of queries that overlapped. */
async function captureQueries(work: () => Promise<void>): Promise<QueryPlan> {
  const captured: CapturedQuery[] = [];
  await observeQueries((text, values, name) => {
    const entry: CapturedQuery = { name, text, values, start: performance.now(), end: Infinity };
    captured.push(entry);
    return () => {
      entry.end = performance.now();
    };
  }, work);
  const groups: CapturedQuery[][] = [];
  let groupEnd = -Infinity;
  for (const query of captured.sort((a, b) => a.start - b.start)) {
    if (query.start < groupEnd) groups.at(-1)!.push(query);
    else groups.push([query]);
    groupEnd = Math.max(groupEnd, query.end);
  }
  return groups;
}

/** Replaces the probe's parameter (the id or team it was captured with) by another one. */
function substitute(values: readonly unknown[], from: string | undefined, to: string | undefined): unknown[] {
  if (from === undefined || to === undefined) return [...values];
  return values.map((value) =>
    value === from ? to : Array.isArray(value) ? value.map((item: unknown) => (item === from ? to : item)) : value,
  );
}

const statementCount = (plan: QueryPlan) => plan.reduce((sum, group) => sum + group.length, 0);

interface SqlResult {
  readonly latencies: Float64Array;
  readonly seconds: number;
}

/** `loops` concurrent loops over a pool of as many connections, each running the plan in turn. */
async function runSql(
  pool: pg.Pool,
  plan: QueryPlan,
  variants: readonly (string | undefined)[],
  probeValue: string | undefined,
  loops: number,
  warmupMs: number,
  measureMs: number,
): Promise<SqlResult> {
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const measureTo = measureFrom + measureMs;
  const latencies: number[] = [];
  let lastDone = measureTo;
  await Promise.all(
    Array.from({ length: loops }, async () => {
      // Every loop measures at least one run, however slow (up to a minute past the window).
      let measured = false;
      while (performance.now() < measureTo || (!measured && performance.now() < measureTo + 60_000)) {
        const variant = variants[Math.floor(Math.random() * variants.length)];
        const began = performance.now();
        for (const group of plan) {
          await Promise.all(
            group.map((query) =>
              pool.query({
                ...(query.name ? { name: query.name } : {}),
                text: query.text,
                values: substitute(query.values, probeValue, variant),
              }),
            ),
          );
        }
        const done = performance.now();
        // Runs started in the window count even if they end after it, so that slow ones are seen.
        if (began >= measureFrom) {
          measured = true;
          latencies.push(done - began);
          lastDone = Math.max(lastDone, done);
        }
      }
    }),
  );
  return { latencies: Float64Array.from(latencies).sort(), seconds: (lastDone - measureFrom) / 1000 };
}

// ---------------------------------------------------------------------------------------------
// Phases
// ---------------------------------------------------------------------------------------------

interface Settings {
  readonly events: number;
  readonly commitments: number;
  readonly sessions: number;
  readonly seed: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  readonly serialSeconds: number;
  readonly rebuildBatch: number | undefined;
  readonly generateCap: number;
  readonly rebuildCap: number;
  readonly projections: 'all' | readonly string[];
}

async function generateLog(settings: Settings, scratchUrl: string, control: pg.Client): Promise<void> {
  console.log('1. Event log');
  const planStarted = performance.now();
  const log = new EventLog({
    events: settings.events,
    commitments: settings.commitments,
    sessions: settings.sessions,
    seed: settings.seed,
  });
  const planSeconds = since(planStarted);

  // Samples checked after loading: every 200th commitment against the decider; the first 40 of
  // those and the first two sessions also against append.
  const deciderSample = new Set<string>();
  for (let i = 0; i < settings.commitments; i += 200) deciderSample.add(`commitment-${log.commitmentId(i)}`);
  const appendSample = new Set([...deciderSample].slice(0, 40));

  const loader = new pg.Client({ connectionString: scratchUrl });
  await loader.connect();
  const started = performance.now();
  let copied: { loaded: number; kept: GeneratedEvent[] };
  let sessionsKept = 0;
  try {
    copied = await copyLog(loader, EVENT_SCHEMA, log.events(), {
      perTransaction: 100_000,
      keep: (streamId) => {
        if (deciderSample.has(streamId)) return true;
        // Session events come first in their streams; the first two sessions whole.
        if (streamId.startsWith('session-') && sessionsKept < 2 && !appendSample.has(streamId)) {
          appendSample.add(streamId);
          sessionsKept++;
        }
        return appendSample.has(streamId);
      },
      onTransaction: (loaded) => {
        progress(`loaded ${fmtInt(loaded)} events in ${fmtS(since(started))}`);
        if (since(started) > settings.generateCap) throw new Error(`generation passed its cap of ${settings.generateCap} s`);
      },
    });
  } finally {
    await loader.end();
  }
  const loadSeconds = since(started);

  const vacuumStarted = performance.now();
  await control.query(`vacuum (analyze) ${EVENT_SCHEMA}.events`);
  const vacuumSeconds = since(vacuumStarted);
  const { rows } = await control.query<{ events: string; streams: string; transactions: string; bytes: string }>(
    `select count(*) as events, count(distinct stream_id) as streams, count(distinct transaction_id) as transactions,
            pg_total_relation_size('${EVENT_SCHEMA}.events') as bytes
       from ${EVENT_SCHEMA}.events`,
  );
  const stats = rows[0]!;
  if (Number(stats.events) !== settings.events) throw new Error(`The log holds ${stats.events} events, not ${settings.events}`);

  const checked = checkAgainstDecider(copied.kept);
  const appended = await checkAgainstAppend(
    scratchUrl,
    control,
    EVENT_SCHEMA,
    'append_check',
    copied.kept.filter((event) => appendSample.has(event.streamId)),
  );
  const { rows: types } = await control.query<{ type: string; count: string }>(
    `select type, count(*) as count from ${EVENT_SCHEMA}.events group by type order by count(*) desc`,
  );

  console.log(
    `  ${fmtInt(settings.events)} events: ${fmtInt(settings.commitments)} commitments + ${fmtInt(settings.sessions)} sessions ` +
      `(${fmtInt(Number(stats.streams))} streams), ${fmtInt(log.sessionEvents)} session events, ` +
      `${stats.transactions} transactions, ${(Number(stats.bytes) / 2 ** 20).toFixed(0)} MiB with indexes`,
  );
  console.log(`  types: ${types.map((row) => `${row.type} ${fmtInt(Number(row.count))}`).join(', ')}`);
  console.log(
    `  generation: ${fmtS(planSeconds + loadSeconds)} (plan ${fmtS(planSeconds)}, build JSON + COPY ${fmtS(loadSeconds)} = ` +
      `${fmtInt(settings.events / loadSeconds)} events/s); then VACUUM ANALYZE ${fmtS(vacuumSeconds)}`,
  );
  console.log(
    `  checks: ${fmtInt(checked)} events of ${deciderSample.size} commitment streams re-decided by the domain's decider, identical; ` +
      `${fmtInt(appended)} events of ${appendSample.size} streams appended through PostgresEventStore.append, ` +
      `identical rows (stream_id, revision, event_id, type, data, metadata)`,
  );
  console.log('');
}

interface RebuildOutcome {
  /** The commitments read model is complete: the latency runs can use it. */
  readonly commitmentsReady: boolean;
}

/** Reads the whole log through the store, applying nothing: the part of a rebuild no projection can avoid. */
async function readWholeLog(store: PostgresEventStore, batchSize: number): Promise<{ events: number; seconds: number }> {
  const started = performance.now();
  let events = 0;
  let after: LogCursor = LOG_START;
  for (;;) {
    const page = await store.readAll({ after, maxCount: batchSize });
    if (page.events.length === 0) break;
    events += page.events.length;
    after = page.next;
  }
  return { events, seconds: since(started) };
}

async function rebuild(
  settings: Settings,
  scratchUrl: string,
  dataSource: DataSource,
  store: PostgresEventStore,
  control: pg.Client,
  migrationsApplied: readonly string[],
): Promise<RebuildOutcome> {
  console.log(
    `2. Projection rebuild: rebuildProjection (shadow tables, then swap), batch ${settings.rebuildBatch ?? 'default (5000)'}, ` +
      `commitments alone (or each, BENCH_REBUILD_EACH=1), then every one selected from one read of the log ` +
      `(rebuildProjections); floor: COPY of the rows written into empty copies of the tables`,
  );
  console.log(`  tables from the api's TypeORM migrations: ${migrationsApplied.join(', ')}`);
  /** One projection, or several from one read of the log (`rebuildProjections`). */
  const run = async (rebuilt: readonly Projection[]) => {
    const label = rebuilt.map((projection) => projection.name).join('+');
    await control.query('checkpoint');
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    let reported = 0;
    const { result, byStatement } = await timeQueries(async () => {
      try {
        const options = {
          ...(settings.rebuildBatch ? { batchSize: settings.rebuildBatch } : {}),
          onProgress: (step: RebuildProgress) => {
            if (step.events >= reported + settings.events / 5) {
              reported = step.events;
              progress(`${label}: ${fmtInt(step.events)} events in ${fmtS(step.seconds)}`);
            }
            // Thrown between batches: the batch in flight has committed; the shadow tables are left behind.
            if (since(started) > settings.rebuildCap) throw new RebuildCapped(step);
          },
        };
        if (rebuilt.length === 1) {
          const done = await rebuildProjection(dataSource, store, rebuilt[0]!, options);
          return { events: done.events, finished: true };
        }
        const done = await rebuildProjections(dataSource, store, rebuilt, options);
        return { events: Math.max(...done.map((one) => one.events)), finished: true };
      } catch (error) {
        if (!(error instanceof RebuildCapped)) throw error;
        return { events: error.step.events, finished: false };
      }
    });
    const seconds = since(started);
    const cpu = process.cpuUsage(cpuBefore);
    const nodeCpu = (cpu.user + cpu.system) / 1e6;
    const waited = [...byStatement.values()].reduce((sum, entry) => sum + entry.ms, 0) / 1000;
    const shares = [...byStatement.entries()]
      .sort(([, a], [, b]) => b.ms - a.ms)
      .slice(0, 6)
      .map(([kind, entry]) => `${kind} ${fmtS(entry.ms / 1000)} (${fmtInt(entry.count)}×)`);
    const breakdown =
      `${label}: ${fmtS(seconds)} = ${fmtS(waited)} waiting on SQL [${shares.join(', ')}] ` +
      `+ ${fmtS(seconds - waited)} in Node (fold, JSON); COPY streams not counted as waiting; ` +
      `Node's own CPU time (all its threads, GC included) ${fmtS(nodeCpu)}`;
    return { ...result, seconds, breakdown };
  };

  const counts = async (table: string) =>
    Number((await control.query<{ count: string }>(`select count(*) as count from ${table}`)).rows[0]!.count);

  // Floor: the same rows, COPY'd out of the rebuilt tables into empty copies (same indexes).
  const floorSource = new pg.Client({ connectionString: scratchUrl });
  await floorSource.connect();
  const copyInto = async (table: string) => {
    const { rows } = await control.query<{ column_name: string }>(
      `select column_name from information_schema.columns
        where table_schema = 'public' and table_name = $1 and is_generated = 'NEVER' order by ordinal_position`,
      [table],
    );
    const columns = rows.map((row) => row.column_name).join(', ');
    await control.query(`drop table if exists floor_${table}`);
    await control.query(`create table floor_${table} (like ${table} including all)`);
    await control.query('checkpoint');
    const started = performance.now();
    await pipeline(
      floorSource.query(copyTo(`copy ${table} (${columns}) to stdout`)),
      control.query(copyFrom(`copy floor_${table} (${columns}) from stdin`)),
    );
    const seconds = since(started);
    await control.query(`drop table floor_${table}`);
    return seconds;
  };

  interface Row {
    readonly label: string;
    readonly projections: readonly Projection[];
    readonly events: number;
    readonly seconds: number;
    readonly finished: boolean;
    readonly breakdown: string;
    readonly rows: string;
    readonly floor: number;
  }
  const results: Row[] = [];
  const wanted = settings.projections;
  const selected = projections.filter((projection) => wanted === 'all' || wanted.includes(projection.name));
  const skipped = projections.filter((projection) => !selected.includes(projection));
  // Rebuilt alone: commitments (its target is a ratio to its own floor), or each one selected with
  // BENCH_REBUILD_EACH=1; then, when several are selected, all of them from one read of the log.
  const alone = process.env.BENCH_REBUILD_EACH === '1' ? selected : selected.filter((one) => one === commitmentsProjection);
  const runs: (readonly Projection[])[] = [
    ...(selected.length === 1 ? [] : alone.map((one) => [one])),
    ...(selected.length > 0 ? [selected] : []),
  ];
  try {
    for (const rebuilt of runs) {
      const label = rebuilt.length === 1 ? rebuilt[0]!.name : `all ${rebuilt.length} together, one read of the log`;
      const result = await run(rebuilt);
      if (!result.finished) {
        results.push({ label, projections: rebuilt, ...result, rows: 'stopped', floor: NaN });
        break;
      }
      const rows: string[] = [];
      let floor = 0;
      for (const table of rebuilt.flatMap((projection) => projection.tables)) {
        rows.push(`${fmtInt(await counts(table))} ${table}`);
        floor += await copyInto(table);
      }
      results.push({ label, projections: rebuilt, ...result, rows: rows.join(' + '), floor });
    }
  } finally {
    await floorSource.end();
  }
  const batchSize = settings.rebuildBatch ?? 5000;
  // Pages of 1,000 as the replay reads them; pages of the batch size for comparison with earlier runs.
  const reads = [];
  for (const pageSize of [...new Set([1000, batchSize])]) reads.push({ pageSize, ...(await readWholeLog(store, pageSize)) });

  printTable(
    ['projection', 'events read', 'rebuild', 'events/s', 'rows written', 'COPY floor', 'rebuild÷floor'],
    [
      ...results.map((row) => [
        row.finished ? row.label : `${row.label} (CAPPED at ${settings.rebuildCap} s)`,
        fmtInt(row.events),
        fmtS(row.seconds),
        fmtInt(row.events / row.seconds),
        row.rows,
        row.finished ? `${row.floor.toFixed(2)} s` : 'n/a',
        row.finished ? fmtRatio(row.seconds / row.floor) : 'n/a',
      ]),
      ...reads.map((read) => [
        `reference: the log read alone (readAll, pages of ${fmtInt(read.pageSize)})`,
        fmtInt(read.events),
        fmtS(read.seconds),
        fmtInt(read.events / read.seconds),
        '',
        '',
        '',
      ]),
    ],
  );
  const commitments = results.find((row) => row.projections.length === 1 && row.projections[0] === commitmentsProjection);
  const together = results.find((row) => row.projections.length > 1);
  const commitmentsReady = (commitments ?? together)?.finished ?? false;
  if (commitments) {
    console.log(
      `  target: commitments rebuild ≤ ${fmtRatio(TARGET_COMMITMENTS_RATIO)} its COPY floor: ` +
        (commitments.finished
          ? `${commitments.seconds <= TARGET_COMMITMENTS_RATIO * commitments.floor ? 'MET' : 'NOT MET'} ` +
            `(${fmtS(commitments.seconds)} = ${fmtRatio(commitments.seconds / commitments.floor)} its floor of ${commitments.floor.toFixed(2)} s)`
          : `NOT MET (stopped at its cap after ${fmtInt(commitments.events)} events)`),
    );
  }
  if (together) {
    const target = (TARGET_ALL_SECONDS_PER_MILLION * settings.events) / 1_000_000;
    console.log(
      `  target: all ${together.projections.length} rebuilt ≤ ${target.toFixed(0)} s for ${fmtInt(settings.events)} events ` +
        `(${TARGET_ALL_SECONDS_PER_MILLION} s per million): ` +
        (together.finished
          ? `${together.seconds <= target ? 'MET' : 'NOT MET'} (${fmtS(together.seconds)}, ${fmtRatio(together.seconds / target)} the target)`
          : `NOT MET (stopped at its cap after ${fmtInt(together.events)} events)`),
    );
  }
  console.log(
    '  where the time went (wall time of each statement kind, summed; statements overlap where the rebuild reads ahead, streams COPY or builds indexes side by side):',
  );
  for (const row of results) console.log(`    ${row.breakdown}`);
  if (skipped.length > 0) {
    console.log(
      `  not rebuilt: ${skipped.map((projection) => projection.name).join(', ')} (BENCH_PROJECTIONS=all to include; ` +
        `GET /dashboard without asOf reads commitments only)`,
    );
  }
  if (!commitmentsReady) {
    console.log('  the commitments read model is incomplete: no latency measured');
    return { commitmentsReady };
  }

  const vacuumStarted = performance.now();
  const rebuiltTables = new Set(results.flatMap((row) => row.projections.flatMap((projection) => projection.tables)));
  await control.query(`vacuum (analyze) ${[...rebuiltTables].join(', ')}`);
  // The rebuild dirtied about a gigabyte: flush it now, not in a checkpoint during the latency runs.
  await control.query('checkpoint');
  const { rows: statuses } = await control.query<{ status: string; count: string }>(
    'select status, count(*) as count from commitments group by status order by count(*) desc',
  );
  console.log(
    `  read model: ${statuses.map((row) => `${row.status} ${fmtInt(Number(row.count))}`).join(', ')}; ` +
      `VACUUM ANALYZE of the read-model tables and a CHECKPOINT before the latency runs: ${fmtS(since(vacuumStarted))}`,
  );
  console.log('');
  return { commitmentsReady };
}

class RebuildCapped extends Error {
  constructor(readonly step: RebuildProgress) {
    super('rebuild cap');
  }
}

interface Endpoint {
  readonly name: string;
  /** Served elsewhere than by the api (the machine floor). */
  readonly url?: string;
  /** Paths the load picks from at random. */
  readonly paths: readonly string[];
  /** The request whose SQL is captured, and the parameter that varies between requests. */
  readonly probePath: string;
  readonly probeValue?: string;
  readonly variants: readonly (string | undefined)[];
  /** The SQL of its first request, when that was captured already. */
  readonly cold?: QueryPlan;
}

interface Measured {
  readonly http?: LoadResult;
  readonly sql?: SqlResult;
}

interface LatencyRow {
  readonly name: string;
  readonly plan: QueryPlan;
  readonly loaded: Measured;
  /** One connection, one loop: the service time without queueing. */
  readonly serial: Measured;
}

async function measureLatency(
  settings: Settings,
  scratchUrl: string,
  control: pg.Client,
  api: { readonly url: string },
  load: LoadClient,
): Promise<void> {
  const { rows: sample } = await control.query<{ commitment_id: string }>(
    'select commitment_id from commitments order by random() limit 10000',
  );
  const ids = sample.map((row) => row.commitment_id);
  const { rows: teamRows } = await control.query<{ owner_team: string }>(
    `select owner_team from commitments where status = 'in_progress' group by owner_team order by owner_team`,
  );
  const teams = teamRows.map((row) => row.owner_team);
  const listPath = (team: string) => `/commitments?owner=${encodeURIComponent(team)}&status=in_progress&sort=deadline`;
  const floor = await startFloorServer();
  const endpoints: Endpoint[] = [
    {
      name: 'machine floor: bare node:http, fixed JSON, no SQL',
      url: floor.url,
      paths: ['/floor'],
      probePath: '/floor',
      variants: [undefined],
    },
    {
      name: 'GET /commitments/:id',
      paths: ids.map((id) => `/commitments/${id}`),
      probePath: `/commitments/${ids[0]}`,
      probeValue: ids[0],
      variants: ids,
    },
    {
      name: 'GET /commitments?owner&status=in_progress&sort=deadline',
      paths: teams.map(listPath),
      probePath: listPath(teams[0]!),
      probeValue: teams[0],
      variants: teams,
    },
  ];
  // The dashboard's first request is also its cold one: captured here, before anything is cached.
  let dashboardStatus = 0;
  const dashboardCold = await captureQueries(async () => {
    const response = await fetch(`${api.url}/dashboard`);
    await response.arrayBuffer();
    dashboardStatus = response.status;
  });
  const dashboardNote =
    dashboardStatus === 200
      ? 'GET /dashboard answered 200: included'
      : `GET /dashboard answered ${dashboardStatus}: not in this build of the api, so only the two commitment endpoints are measured`;
  if (dashboardStatus === 200) {
    endpoints.push({
      name: 'GET /dashboard',
      paths: ['/dashboard'],
      probePath: '/dashboard',
      variants: [undefined],
      cold: dashboardCold,
    });
  }

  console.log(
    `3. Read latency: api in-process (runProjector: false, its own pools as configured), autocannon in a worker thread, ` +
      `${settings.connections} connections, ${settings.seconds} s measured after ${settings.warmupSeconds} s warm-up per run`,
  );
  console.log(
    `  NOTE: api, load generator and PostgreSQL share this machine's ${(await import('node:os')).availableParallelism()} cores; ` +
      `HTTP latency includes queueing behind the load generator. Baseline: the SQL each endpoint issued (captured from pg ` +
      `while it served one request), replayed through a pg.Pool of ${settings.connections} by ${settings.connections} ` +
      `concurrent loops for the same duration, parameters varied the same way.`,
  );
  console.log(`  ${dashboardNote}`);

  const sqlPool = new pg.Pool({ connectionString: scratchUrl, max: settings.connections });
  const rows: LatencyRow[] = [];
  try {
    // Open every connection up front, as the api's pool is warm by the time it is measured.
    const clients = await Promise.all(Array.from({ length: settings.connections }, () => sqlPool.connect()));
    for (const client of clients) client.release();

    for (const endpoint of endpoints) {
      const probe = () =>
        captureQueries(async () => {
          const response = await fetch(`${endpoint.url ?? api.url}${endpoint.probePath}`);
          const body = await response.text();
          if (response.status !== 200)
            throw new Error(`${endpoint.probePath} answered ${response.status}: ${body.slice(0, 300)}`);
        });
      // The first request may do things once (or fill a cache); the second is the steady state.
      const first = await probe();
      const cold = endpoint.cold ?? first;
      const plan = await probe();
      const sqlRun = (runPlan: QueryPlan, connections: number, warmupSeconds: number, seconds: number) =>
        runPlan.length === 0
          ? undefined
          : runSql(sqlPool, runPlan, endpoint.variants, endpoint.probeValue, connections, warmupSeconds * 1000, seconds * 1000);
      const measure = async (connections: number, warmupSeconds: number, seconds: number): Promise<Measured> => {
        const request = { url: endpoint.url ?? api.url, paths: endpoint.paths, connections };
        if (warmupSeconds > 0) await load.run({ ...request, seconds: warmupSeconds });
        const http = await load.run({ ...request, seconds });
        const sql = await sqlRun(plan, connections, warmupSeconds, seconds);
        progress(
          `${endpoint.name}, ${connections} connection(s): HTTP p99 ${fmtMs(percentile(http.latencies, 99))}, ` +
            `SQL p99 ${sql ? fmtMs(percentile(sql.latencies, 99)) : 'n/a'}`,
        );
        return { http, ...(sql ? { sql } : {}) };
      };
      const loaded = await measure(settings.connections, settings.warmupSeconds, settings.seconds);
      const serial = await measure(1, 0, settings.serialSeconds);
      rows.push({ name: endpoint.name, plan, loaded, serial });

      if (statementCount(cold) !== statementCount(plan)) {
        // A cache answered the steady state: the SQL it saves is timed on its own, on one
        // connection only, as concurrent readers of a missing answer share one query.
        const sql = await sqlRun(cold, 1, 0, settings.serialSeconds);
        progress(`${endpoint.name} uncached SQL, 1 connection: p99 ${sql ? fmtMs(percentile(sql.latencies, 99)) : 'n/a'}`);
        rows.push({ name: `  its first request's SQL (a cache miss)`, plan: cold, loaded: {}, serial: sql ? { sql } : {} });
      }
    }
  } finally {
    await sqlPool.end();
    await floor.close();
  }

  const table = (pick: (row: LatencyRow) => Measured) =>
    printTable(
      [
        'endpoint',
        'HTTP p50',
        'HTTP p99',
        'HTTP max',
        'HTTP req/s',
        'SQL p50',
        'SQL p99',
        'SQL runs/s',
        'p99 HTTP÷SQL',
        `p99 ≤ ${TARGET_P99_MS} ms`,
      ],
      rows.map((row) => {
        const { http, sql } = pick(row);
        const httpP99 = http ? percentile(http.latencies, 99) : NaN;
        const sqlP99 = sql ? percentile(sql.latencies, 99) : NaN;
        return [
          row.name,
          http ? fmtMs(percentile(http.latencies, 50)) : 'n/a',
          fmtMs(httpP99),
          http ? fmtMs(percentile(http.latencies, 100)) : 'n/a',
          http ? fmtInt(http.latencies.length / http.seconds) : 'n/a',
          sql ? fmtMs(percentile(sql.latencies, 50)) : 'n/a',
          fmtMs(sqlP99),
          sql ? fmtInt(sql.latencies.length / sql.seconds) : 'n/a',
          fmtRatio(httpP99 / sqlP99),
          http ? (httpP99 <= TARGET_P99_MS ? 'MET' : 'NOT MET') : '',
        ];
      }),
    );
  console.log('');
  console.log(
    `  ${settings.connections} connections (the target's load; closed loop, so latency ≈ ${settings.connections} ÷ throughput):`,
  );
  table((row) => row.loaded);
  console.log('');
  console.log(`  1 connection, ${settings.serialSeconds} s each (service time without queueing; for reference):`);
  table((row) => row.serial);
  for (const { name, loaded, serial } of rows) {
    for (const { http } of [loaded, serial]) {
      if (http && http.unexpected + http.errors + http.timeouts > 0) {
        console.log(
          `  WARNING ${name}: ${http.unexpected} unexpected statuses, ${http.errors} errors, ${http.timeouts} timeouts (excluded)`,
        );
      }
    }
  }

  // What the SQL costs inside PostgreSQL, statement by statement, with the probe's parameters.
  console.log('');
  console.log('  SQL per request (EXPLAIN ANALYZE with the probe parameters; groups ran concurrently within a step):');
  for (const { name, plan } of rows) {
    console.log(`  ${name.trim()}: ${statementCount(plan)} statements in ${plan.length} steps`);
    for (const [step, group] of plan.entries()) {
      for (const query of group) {
        const { rows: explained } = await control.query<{ 'QUERY PLAN': [ExplainedQuery] }>(
          `explain (analyze, buffers, format json) ${query.text}`,
          [...query.values],
        );
        const { 'Execution Time': execution, 'Planning Time': planning, Plan: root } = explained[0]!['QUERY PLAN'][0];
        const text = query.text.replace(/\s+/g, ' ').trim();
        console.log(
          `    ${step + 1}. ${execution.toFixed(2)} ms exec + ${planning.toFixed(2)} ms plan, ` +
            `${fmtInt(root['Shared Hit Blocks'] + root['Shared Read Blocks'])} buffers: ${clip(describePlan(root), 240)}`,
        );
        console.log(`       ${clip(text, 120)}`);
      }
    }
  }
  console.log('');
}

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Index Name'?: string;
  readonly 'Actual Rows': number;
  readonly 'Shared Hit Blocks': number;
  readonly 'Shared Read Blocks': number;
  readonly Plans?: readonly PlanNode[];
}

interface ExplainedQuery {
  readonly Plan: PlanNode;
  readonly 'Execution Time': number;
  readonly 'Planning Time': number;
}

/** The plan's spine, outermost first: node, table, index and the rows it produced. */
function describePlan(node: PlanNode, depth = 0): string {
  const here =
    `${node['Node Type']}${node['Relation Name'] ? ` on ${node['Relation Name']}` : ''}` +
    `${node['Index Name'] ? ` using ${node['Index Name']}` : ''} (${fmtInt(node['Actual Rows'])} rows)`;
  const children = node.Plans ?? [];
  if (children.length === 0 || depth >= 5) return here;
  return `${here} → ${children.map((child) => describePlan(child, depth + 1)).join(' + ')}`;
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const baseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const host = new URL(baseUrl).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`DATABASE_URL must point at 127.0.0.1, not "${host}"`);
  const batch = process.env.BENCH_REBUILD_BATCH;
  const settings: Settings = {
    events: Math.round(envNumber('BENCH_EVENTS', 1_000_000)),
    commitments: Math.round(envNumber('BENCH_COMMITMENTS', 100_000)),
    sessions: Math.round(envNumber('BENCH_SESSIONS', 300)),
    seed: Math.round(envNumber('BENCH_SEED', 1)),
    seconds: envNumber('BENCH_SECONDS', 10),
    warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 2),
    connections: Math.round(envNumber('BENCH_CONNECTIONS', 32)),
    serialSeconds: envNumber('BENCH_SERIAL_SECONDS', 3),
    rebuildBatch: batch ? Math.round(envNumber('BENCH_REBUILD_BATCH', 5000)) : undefined,
    generateCap: envNumber('BENCH_GENERATE_CAP_SECONDS', 240),
    rebuildCap: envNumber('BENCH_REBUILD_CAP_SECONDS', 240),
    projections:
      process.env.BENCH_PROJECTIONS === 'all'
        ? 'all'
        : (process.env.BENCH_PROJECTIONS || 'commitments,sessions').split(',').map((name) => name.trim()),
  };
  const totalCap = envNumber('BENCH_TOTAL_CAP_SECONDS', 560);
  const runStarted = performance.now();

  const database = `bench_read_side_${randomBytes(6).toString('hex')}`;
  const scratchUrl = withDatabase(baseUrl, database);

  const watchdog = dropAndExitAfter(totalCap, baseUrl, database);

  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  let control: pg.Client | undefined;
  let store: PostgresEventStore | undefined;
  let dataSource: DataSource | undefined;
  let api: { app: INestApplication; url: string } | undefined;
  let load: LoadClient | undefined;
  try {
    await admin.query(`create database ${database}`);
    control = new pg.Client({ connectionString: scratchUrl });
    await control.connect();
    const setting = async (name: string) =>
      (await control!.query<{ value: string }>(`select current_setting($1) as value`, [name])).rows[0]!.value;
    console.log('Read-side benchmark');
    console.log(
      `  Node ${process.version}, PostgreSQL ${await setting('server_version')} at ${host} ` +
        `(shared_buffers=${await setting('shared_buffers')}, synchronous_commit=${await setting('synchronous_commit')}, ` +
        `fsync=${await setting('fsync')}), scratch database ${database}`,
    );
    console.log(
      `  ${(await import('node:os')).availableParallelism()} cores shared by Node, the load generator and PostgreSQL; ` +
        `a noisy machine: compare the ratios, each measured against its baseline in this same run`,
    );
    console.log('');

    // The store creates its schema; COPY then fills the table it created.
    store = await PostgresEventStore.connect({ connectionString: scratchUrl, schema: EVENT_SCHEMA, poolSize: 2 });
    await generateLog(settings, scratchUrl, control);

    dataSource = new DataSource({ type: 'postgres', url: scratchUrl, migrations, migrationsRun: true, extra: { max: 4 } });
    await dataSource.initialize();
    const applied = (await dataSource.query('select name from migrations order by id')) as { name: string }[];
    const rebuilt = await rebuild(
      settings,
      scratchUrl,
      dataSource,
      store,
      control,
      applied.map((row) => row.name),
    );
    await dataSource.destroy();
    dataSource = undefined;
    await store.close();
    store = undefined;

    if (rebuilt.commitmentsReady) {
      api = await capped('starting the api', 60, startApi(scratchUrl));
      load = LoadClient.start();
      await measureLatency(settings, scratchUrl, control, api, load);
    }
    console.log(`Total ${fmtS(since(runStarted))}`);
  } finally {
    await load?.stop();
    await api?.app.close();
    if (dataSource?.isInitialized) await dataSource.destroy();
    await store?.close();
    await control?.end();
    await dropDatabase(admin, database);
    await admin.end();
    clearTimeout(watchdog);
  }
}

await runBench(main);
