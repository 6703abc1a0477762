/**
 * Pages benchmark: the dashboard and a commitment page as HTML, at 100,000 commitments under 32
 * concurrent clients, each against the JSON of the same URL measured in the same run.
 *
 *   npm run bench:pages
 *
 * 1. Generates a domain-valid log (the read-side benchmark's generator) and bulk-loads it with COPY.
 * 2. Runs the api's migrations and rebuilds the read models these pages read (commitments, sessions).
 * 3. Starts the api in-process and loads GET /dashboard and GET /commitments/:id (random ids) with
 *    autocannon in a worker thread, once with a browser's Accept (HTML) and once without (JSON,
 *    the baseline: the same query and the same cached answer, serialised instead of rendered).
 *    Prints p50/p99 and HTML ÷ JSON ratios, and whether each page's p99 is within the target.
 *
 * Env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres, loopback only),
 * BENCH_EVENTS (1000000), BENCH_COMMITMENTS (100000), BENCH_SESSIONS (300), BENCH_SEED (1),
 * BENCH_SECONDS (measured seconds per page and format, 10), BENCH_ROUNDS (JSON and HTML alternate in this
 * many rounds, 5), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (32), BENCH_SERIAL_SECONDS (the
 * 1-connection reference runs, 3),
 * BENCH_GENERATE_CAP_SECONDS (240), BENCH_REBUILD_CAP_SECONDS (per projection, 300),
 * BENCH_TOTAL_CAP_SECONDS (900: past it the run drops its database and exits 1).
 * Shrink it while iterating, e.g. BENCH_EVENTS=100000 BENCH_COMMITMENTS=10000 BENCH_SECONDS=3.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../apps/api/src/storage/migrations/index.js';
import { PostgresEventStore } from '../libs/event-store/src/index.js';
import { projections, rebuildProjection } from '../libs/read-models/src/index.js';
import { dropAndExitAfter, startApi } from './bench-api.js';
import { LoadClient } from './load-client.js';
import type { LoadResult } from './load-worker.js';
import { EventLog, copyLog } from './read-side/generate.js';
import { dropDatabase, envNumber, printTable, withDatabase } from './support.js';

const EVENT_SCHEMA = 'event_store';
const TARGET_P99_MS = 20;
/** The read models the two pages read; the others are not needed to serve them. */
const PAGE_PROJECTIONS = ['commitments', 'sessions'];
const BROWSER = { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const API_CLIENT = { Accept: 'application/json' };

const fmtInt = (value: number) => Math.round(value).toLocaleString('en-US');
const fmtMs = (value: number) => (Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : 1)} ms` : 'n/a');
const fmtS = (value: number) => `${value.toFixed(1)} s`;
const fmtRatio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');
const since = (start: number) => (performance.now() - start) / 1000;
const percentile = (sorted: Float64Array, p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const progress = (line: string) => process.stderr.write(`  … ${line}\n`);

interface Settings {
  readonly events: number;
  readonly commitments: number;
  readonly sessions: number;
  readonly seed: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  readonly rounds: number;
  readonly serialSeconds: number;
  readonly generateCap: number;
  readonly rebuildCap: number;
}

async function generateLog(settings: Settings, scratchUrl: string, control: pg.Client): Promise<void> {
  const started = performance.now();
  const log = new EventLog({
    events: settings.events,
    commitments: settings.commitments,
    sessions: settings.sessions,
    seed: settings.seed,
  });
  const loader = new pg.Client({ connectionString: scratchUrl });
  await loader.connect();
  try {
    await copyLog(loader, EVENT_SCHEMA, log.events(), {
      perTransaction: 100_000,
      keep: () => false,
      onTransaction: (loaded) => {
        progress(`loaded ${fmtInt(loaded)} events in ${fmtS(since(started))}`);
        if (since(started) > settings.generateCap) throw new Error(`generation passed its cap of ${settings.generateCap} s`);
      },
    });
  } finally {
    await loader.end();
  }
  await control.query(`vacuum (analyze) ${EVENT_SCHEMA}.events`);
  // The store reads only events of transactions older than every one still running in the cluster
  // (so that none is skipped); a long transaction elsewhere on the server hides the log until it ends.
  for (;;) {
    const { rows } = await control.query<{ visible: boolean }>(
      `select pg_snapshot_xmin(pg_current_snapshot())::text::bigint > max(transaction_id)::text::bigint as visible
         from ${EVENT_SCHEMA}.events`,
    );
    if (rows[0]!.visible) break;
    if (since(started) > settings.generateCap)
      throw new Error('a transaction elsewhere on the server kept the log from being read past the generation cap');
    progress('waiting for a transaction elsewhere on the server to end: until then the log cannot be read');
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  console.log(
    `1. Log: ${fmtInt(settings.events)} events, ${fmtInt(settings.commitments)} commitments, ${fmtInt(settings.sessions)} sessions, ` +
      `generated and loaded in ${fmtS(since(started))}`,
  );
}

async function rebuildReadModels(settings: Settings, dataSource: DataSource, store: PostgresEventStore, control: pg.Client) {
  const started = performance.now();
  for (const projection of projections.filter((candidate) => PAGE_PROJECTIONS.includes(candidate.name))) {
    const began = performance.now();
    await rebuildProjection(dataSource, store, projection, {
      onProgress: () => {
        if (since(began) > settings.rebuildCap)
          throw new Error(`rebuilding ${projection.name} passed its cap of ${settings.rebuildCap} s`);
      },
    });
    progress(`${projection.name} rebuilt in ${fmtS(since(began))}`);
  }
  await control.query('vacuum (analyze) commitments, commitment_timeline, sessions');
  const { rows } = await control.query<{ commitments: string; timeline: string }>(
    'select (select count(*) from commitments) as commitments, (select count(*) from commitment_timeline) as timeline',
  );
  if (Number(rows[0]!.commitments) === 0) throw new Error('The rebuild left the commitments read model empty');
  console.log(
    `2. Read models ${PAGE_PROJECTIONS.join(', ')} rebuilt in ${fmtS(since(started))}: ` +
      `${fmtInt(Number(rows[0]!.commitments))} commitments, ${fmtInt(Number(rows[0]!.timeline))} history lines`,
  );
}

/** Two runs' results as one: latencies merged in order, durations and counts added. */
function merge(into: LoadResult | undefined, result: LoadResult): LoadResult {
  if (!into) return result;
  const latencies = new Float64Array(into.latencies.length + result.latencies.length);
  latencies.set(into.latencies);
  latencies.set(result.latencies, into.latencies.length);
  return {
    latencies: latencies.sort(),
    seconds: into.seconds + result.seconds,
    bytes: into.bytes + result.bytes,
    non2xx: into.non2xx + result.non2xx,
    errors: into.errors + result.errors,
    timeouts: into.timeouts + result.timeouts,
  };
}

interface Page {
  readonly name: string;
  readonly paths: readonly string[];
}

async function measure(settings: Settings, control: pg.Client, api: { readonly url: string }, load: LoadClient): Promise<void> {
  const { rows: sample } = await control.query<{ commitment_id: string }>(
    'select commitment_id from commitments order by random() limit 10000',
  );
  const pages: Page[] = [
    { name: 'GET /dashboard', paths: ['/dashboard'] },
    { name: 'GET /commitments/:id', paths: sample.map((row) => `/commitments/${row.commitment_id}`) },
  ];
  const formats = [
    { name: 'JSON', headers: API_CLIENT, type: /^application\/json/ },
    { name: 'HTML', headers: BROWSER, type: /^text\/html/ },
  ] as const;

  // Each page answers in the format asked for; the first request also fills the dashboard's cache.
  const sizes = new Map<string, number>();
  const firsts: string[] = [];
  for (const page of pages) {
    for (const format of formats) {
      const started = performance.now();
      const response = await fetch(`${api.url}${page.paths[0]}`, { headers: format.headers });
      const body = await response.text();
      const type = response.headers.get('content-type') ?? '';
      if (response.status !== 200 || !format.type.test(type))
        throw new Error(`${page.paths[0]} as ${format.name} answered ${response.status} ${type}: ${body.slice(0, 300)}`);
      sizes.set(`${page.name} ${format.name}`, Buffer.byteLength(body));
      firsts.push(`${page.name} ${format.name} ${fmtMs(performance.now() - started)}`);
    }
  }

  console.log(
    `3. Latency: api in-process (runProjector: false), autocannon in a worker thread, ${settings.connections} connections, ` +
      `${settings.seconds} s measured per page and format (in ${settings.rounds} alternating rounds) after ${settings.warmupSeconds} s ` +
      `warm-up each; the JSON of the same URL is the baseline`,
  );
  console.log(
    `  NOTE: api, load generator and PostgreSQL share this machine's ${availableParallelism()} cores; closed loop, so ` +
      `latency ≈ ${settings.connections} ÷ throughput. The dashboard's answer is kept for up to 5 s by the api (both formats share it).`,
  );

  console.log(`  first requests (the dashboard's computes its answer): ${firsts.join(', ')}`);

  const runPage = async (page: Page, connections: number, seconds: number, rounds: number, warmupSeconds: number) => {
    const results = new Map<string, LoadResult>();
    const request = (format: (typeof formats)[number]) => ({
      url: api.url,
      paths: page.paths,
      headers: format.headers,
      connections,
    });
    if (warmupSeconds > 0) for (const format of formats) await load.run({ ...request(format), seconds: warmupSeconds });
    // JSON and HTML take turns in short rounds, so a neighbour's load on the machine falls on both alike.
    for (let round = 0; round < rounds; round++) {
      for (const format of formats) {
        const result = await load.run({ ...request(format), seconds: seconds / rounds });
        results.set(format.name, merge(results.get(format.name), result));
      }
    }
    for (const format of formats) {
      const result = results.get(format.name)!;
      progress(`${page.name} ${format.name}, ${connections} connection(s): p99 ${fmtMs(percentile(result.latencies, 99))}`);
      if (result.non2xx + result.errors + result.timeouts > 0)
        console.log(
          `  WARNING ${page.name} ${format.name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts (excluded)`,
        );
    }
    return { json: results.get('JSON')!, html: results.get('HTML')! };
  };

  const tableRows = (page: Page, { json, html }: { json: LoadResult; html: LoadResult }) => {
    const row = (format: 'JSON' | 'HTML', result: LoadResult) => {
      const p99 = percentile(result.latencies, 99);
      return [
        page.name,
        format,
        fmtMs(percentile(result.latencies, 50)),
        fmtMs(p99),
        fmtMs(percentile(result.latencies, 100)),
        fmtInt(result.latencies.length / result.seconds),
        `${(sizes.get(`${page.name} ${format}`)! / 1024).toFixed(1)} KiB`,
        format === 'HTML' ? fmtRatio(percentile(html.latencies, 50) / percentile(json.latencies, 50)) : '',
        format === 'HTML' ? fmtRatio(p99 / percentile(json.latencies, 99)) : '',
        result.latencies.length === 0 ? 'n/a' : p99 <= TARGET_P99_MS ? 'MET' : 'NOT MET',
      ];
    };
    return [row('JSON', json), row('HTML', html)];
  };
  const headers = [
    'page',
    'as',
    'p50',
    'p99',
    'max',
    'req/s',
    'size',
    'p50 HTML÷JSON',
    'p99 HTML÷JSON',
    `p99 ≤ ${TARGET_P99_MS} ms`,
  ];

  const loaded: string[][] = [];
  const serial: string[][] = [];
  for (const page of pages) {
    loaded.push(
      ...tableRows(page, await runPage(page, settings.connections, settings.seconds, settings.rounds, settings.warmupSeconds)),
    );
    serial.push(...tableRows(page, await runPage(page, 1, settings.serialSeconds, 1, 0)));
  }
  console.log('');
  console.log(`  ${settings.connections} connections (the target's load):`);
  printTable(headers, loaded);
  console.log('');
  console.log(`  1 connection, ${settings.serialSeconds} s each (service time without queueing; for reference):`);
  printTable(headers, serial);
  console.log('');
}

async function main(): Promise<void> {
  const baseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const host = new URL(baseUrl).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`DATABASE_URL must point at 127.0.0.1, not "${host}"`);
  const settings: Settings = {
    events: Math.round(envNumber('BENCH_EVENTS', 1_000_000)),
    commitments: Math.round(envNumber('BENCH_COMMITMENTS', 100_000)),
    sessions: Math.round(envNumber('BENCH_SESSIONS', 300)),
    seed: Math.round(envNumber('BENCH_SEED', 1)),
    seconds: envNumber('BENCH_SECONDS', 10),
    warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 2),
    connections: Math.round(envNumber('BENCH_CONNECTIONS', 32)),
    rounds: Math.round(envNumber('BENCH_ROUNDS', 5)),
    serialSeconds: envNumber('BENCH_SERIAL_SECONDS', 3),
    generateCap: envNumber('BENCH_GENERATE_CAP_SECONDS', 240),
    rebuildCap: envNumber('BENCH_REBUILD_CAP_SECONDS', 300),
  };
  const totalCap = envNumber('BENCH_TOTAL_CAP_SECONDS', 900);
  const runStarted = performance.now();
  const database = `bench_pages_${randomBytes(6).toString('hex')}`;
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
    console.log('Pages benchmark');
    console.log(`  Node ${process.version}, ${availableParallelism()} cores, scratch database ${database}`);
    console.log('');

    // The store creates its schema; COPY then fills the table it created.
    store = await PostgresEventStore.connect({ connectionString: scratchUrl, schema: EVENT_SCHEMA, poolSize: 2 });
    await generateLog(settings, scratchUrl, control);
    dataSource = new DataSource({ type: 'postgres', url: scratchUrl, migrations, migrationsRun: true, extra: { max: 4 } });
    await dataSource.initialize();
    await rebuildReadModels(settings, dataSource, store, control);
    await dataSource.destroy();
    dataSource = undefined;
    await store.close();
    store = undefined;

    api = await startApi(scratchUrl);
    load = LoadClient.start();
    await measure(settings, control, api, load);
    console.log(`Total ${fmtS(since(runStarted))}`);
  } finally {
    await load?.stop();
    // Requests the load generator left in flight finish before the pools close under them.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await api?.app.close();
    if (dataSource?.isInitialized) await dataSource.destroy();
    await store?.close();
    await control?.end();
    await dropDatabase(admin, database);
    await admin.end();
    clearTimeout(watchdog);
  }
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
// Everything is closed by now; should something have left a handle open, leave anyway.
setTimeout(() => {
  console.error('Handles still open 5 s after the run; exiting');
  process.exit(process.exitCode ?? 0);
}, 5000).unref();
