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
import { availableParallelism } from 'node:os';
import type { INestApplication } from '@nestjs/common';
import type pg from 'pg';
import { startApi } from './bench-api.js';
import { LoadClient } from './load-client.js';
import type { LoadResult } from './load-worker.js';
import { logSettingsFromEnv, withScratchLog } from './scratch-log.js';
import { envNumber, fmtInt, fmtMs, fmtRatio, fmtS, percentile, printTable, progress, runBench, since } from './support.js';

const TARGET_P99_MS = 20;
/** The read models the two pages read; the others are not needed to serve them. */
const PAGE_PROJECTIONS = ['commitments', 'sessions'];
/** As a browser and an HTTP client (Node's fetch, curl --compressed) ask: both accept gzip. */
const BROWSER = {
  Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'Accept-Encoding': 'gzip, deflate, br',
};
const API_CLIENT = { Accept: 'application/json', 'Accept-Encoding': 'gzip, deflate' };

interface Settings {
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  readonly rounds: number;
  readonly serialSeconds: number;
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
    unexpected: into.unexpected + result.unexpected,
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
      if (result.unexpected + result.errors + result.timeouts > 0)
        console.log(
          `  WARNING ${page.name} ${format.name}: ${result.unexpected} unexpected statuses, ${result.errors} errors, ${result.timeouts} timeouts (excluded)`,
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
  const log = logSettingsFromEnv({
    events: 1_000_000,
    commitments: 100_000,
    sessions: 300,
    seed: 1,
    generateCap: 240,
    rebuildCap: 300,
    totalCap: 900,
  });
  const settings: Settings = {
    seconds: envNumber('BENCH_SECONDS', 10),
    warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 2),
    connections: Math.round(envNumber('BENCH_CONNECTIONS', 32)),
    rounds: Math.round(envNumber('BENCH_ROUNDS', 5)),
    serialSeconds: envNumber('BENCH_SERIAL_SECONDS', 3),
  };
  const runStarted = performance.now();
  console.log('Pages benchmark');
  console.log(`  Node ${process.version}, ${availableParallelism()} cores`);
  console.log('');
  await withScratchLog('bench_pages', log, PAGE_PROJECTIONS, async ({ url, control }) => {
    let api: { app: INestApplication; url: string } | undefined;
    let load: LoadClient | undefined;
    try {
      api = await startApi(url);
      load = LoadClient.start();
      await measure(settings, control, api, load);
      console.log(`Total ${fmtS(since(runStarted))}`);
    } finally {
      await load?.stop();
      // Requests the load generator left in flight finish before the pools close under them.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await api?.app.close();
    }
  });
}

await runBench(main);
