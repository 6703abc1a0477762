/**
 * Read cache benchmark (issue 15): the public reads answered from memory, measured against the
 * machine's floor in the same run, and staff commands with the lag until a public read shows them.
 *
 *   npm run bench:cache
 *
 * 1. Generates a domain-valid log (the read-side benchmark's generator), bulk-loads it with COPY
 *    and rebuilds every read model, so the projector starts at the head of the log.
 * 2. Starts the api in-process WITH its projector (as `npm start` runs it; the notifier off) on
 *    the scratch PostgreSQL database, so the cache follows both the in-process changes and LISTEN.
 * 3. Closed loop, 32 connections (autocannon in a worker thread): the floor (bare node:http, a
 *    fixed small JSON: the read-side benchmark's floor row), measured before and after the api's
 *    rows, whose mean is the baseline; then GET /commitments/:id as JSON and HTML with ids drawn
 *    by a Zipf law over every commitment (rank 1 the most read) and uniformly, GET /dashboard as
 *    JSON and HTML, a filtered list (/commitments?owner=…&status=in_progress&sort=deadline), and
 *    conditional GETs (If-None-Match with the ETag each URL answered before: 304 expected).
 * 4. Open loop (open-loop.ts: evenly spaced arrivals at a fixed rate, latency from when each was
 *    due) of a mix of those reads.
 * 5. Staff commands (progress reports with a staff token) in an open loop, a share of them followed
 *    by public reads of the commitment, without minPosition (so through the cache), until they show
 *    its new revision: the projection lag. Alone, then alongside the open-loop reads.
 * Each phase prints the cache's hit ratio over its measured part (PublicAnswers.stats()).
 *
 * Env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres, loopback only),
 * BENCH_EVENTS (200000), BENCH_COMMITMENTS (20000), BENCH_SESSIONS (300), BENCH_SEED (1),
 * BENCH_SECONDS (measured seconds per phase, 10), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (32),
 * BENCH_ZIPF_EXPONENT (1), BENCH_CONDITIONAL_IDS (the most read commitments whose ETags the
 * conditional GETs send, 2000), BENCH_READ_RATE (open-loop reads per second, 2000),
 * BENCH_COMMAND_RATE (commands per second, 200), BENCH_COMMAND_IDS (open commitments they are
 * spread over, 2000), BENCH_POLL_MS (how often a command's commitment is read until it shows, 5),
 * BENCH_FOLLOW_SHARE (the share of commands whose lag is measured, 0.25: each adds reads),
 * BENCH_PROFILE (comma-separated parts of phase names, or all: the api's thread is profiled while
 * those are measured, the summary printed after the table, the .cpuprofile kept under
 * test-artifacts/profiles), BENCH_GENERATE_CAP_SECONDS (240), BENCH_REBUILD_CAP_SECONDS (per projection, 240),
 * BENCH_TOTAL_CAP_SECONDS (900: past it the run drops its database and exits 1),
 * BENCH_ONLY (comma-separated sections to run, of closed (3., with the floor rows), reads (4.),
 * commands (5. alone, with the reference rate and its SQL per command), together (5. alongside
 * the reads); default all of them).
 * Shrink it while iterating, e.g. BENCH_EVENTS=50000 BENCH_COMMITMENTS=5000 BENCH_SECONDS=3.
 */
import 'reflect-metadata';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import type { INestApplication } from '@nestjs/common';
import { StaffTokens } from '../apps/api/src/auth/staff-tokens.js';
import { PublicAnswers, type PublicAnswersStats } from '../apps/api/src/read-cache/public-answers.js';
import { startApi } from './bench-api.js';
import { LoadClient } from './load-client.js';
import type { LoadRequest, LoadResult } from './load-worker.js';
import type { OpenLoopGroup, OpenLoopResult, OpenLoopTarget } from './open-loop.js';
import { printProfile, profileThisThread, type CpuProfile } from './profile-summary.js';
import { statementKind, timeQueries } from './sql-observer.js';
import { logSettingsFromEnv, withScratchLog, type ScratchLog } from './scratch-log.js';
import {
  capped,
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
} from './support.js';

/** As a browser and an HTTP client (Node's fetch, curl --compressed) ask: both accept gzip. */
const BROWSER = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-encoding': 'gzip, deflate, br',
};
const API_CLIENT = { accept: 'application/json', 'accept-encoding': 'gzip, deflate' };

/** The issue's targets. */
const READ_SHARE_OF_FLOOR = 0.25;
const READ_P99_MS = 10;
const NOT_MODIFIED_SHARE_OF_FLOOR = 0.4;
const OPEN_P99_MS = 10;
const OPEN_MAX_MS = 100;
const COMMAND_P99_MS = 25;
const LAG_P99_MS = 100;

/**
 * The open loop's mix of reads, a guess at a public site's: mostly commitment pages (people
 * arrive from links), browsers revalidating what they hold, the dashboard, filtered lists.
 */
const READ_MIX = [
  { group: 'commitment HTML', share: 0.35 },
  { group: 'commitment JSON', share: 0.2 },
  { group: 'commitment HTML, If-None-Match', share: 0.1 },
  { group: 'dashboard HTML', share: 0.15 },
  { group: 'dashboard JSON', share: 0.05 },
  { group: 'list HTML', share: 0.1 },
  { group: 'list JSON', share: 0.05 },
] as const;
type MixGroup = (typeof READ_MIX)[number]['group'];

interface Settings {
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  readonly zipfExponent: number;
  readonly conditionalIds: number;
  readonly readRate: number;
  readonly commandRate: number;
  readonly commandIds: number;
  readonly pollMs: number;
  readonly followShare: number;
  /** Phases whose measured part is profiled (names containing one of these; `all`). */
  readonly profile: readonly string[];
  /** The sections run (BENCH_ONLY). */
  readonly sections: ReadonlySet<Section>;
}

const SECTIONS = ['closed', 'reads', 'commands', 'together'] as const;
type Section = (typeof SECTIONS)[number];

/** BENCH_ONLY's sections, every one when unset; an unknown name is an error, not a silently empty run. */
function sectionsFromEnv(value: string | undefined): ReadonlySet<Section> {
  const named = (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (named.length === 0) return new Set(SECTIONS);
  const unknown = named.filter((part) => !(SECTIONS as readonly string[]).includes(part));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown section ${unknown.join(', ')} (of ${SECTIONS.join(', ')})`);
  return new Set(named as Section[]);
}

/** The SQL statements sent per command at the reference rate, by kind: printed after the table. */
const sqlPerCommand: string[][] = [];

/** The profiles taken, printed after the table. */
const profiles: { phase: string; profile: CpuProfile; file: string }[] = [];

/** The statement the stall sampler sends: left out of the SQL per command. */
const OLDEST_WRITER = `select coalesce(extract(epoch from max(now() - xact_start)), 0)::float8 as seconds
  from pg_stat_activity where backend_xid is not null and pid <> pg_backend_pid()`;

/**
 * The longest any writing transaction anywhere in the cluster (another database's too) had been
 * running while `work` ran, sampled every 100 ms: the log is read only below the oldest running
 * transaction (PostgresEventStore.readAll), so for that long no projection could move. A rebuild's
 * or a benchmark's COPY elsewhere on a shared server shows here, and the lag rows mean little then.
 */
async function oldestWriterDuring<T>(url: string, work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let seconds = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { rows } = await client.query<{ seconds: number }>(OLDEST_WRITER);
      seconds = Math.max(seconds, rows[0]?.seconds ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    return { result: await work(), seconds };
  } finally {
    sampling = false;
    await sampler.catch(() => undefined);
    await client.end();
  }
}

/** Runs `work`, profiling the api's thread meanwhile when BENCH_PROFILE names the phase. */
async function maybeProfiled<T>(settings: Settings, phase: string, work: () => Promise<T>): Promise<T> {
  const wanted = settings.profile.some((part) => part === 'all' || phase.toLowerCase().includes(part.toLowerCase()));
  if (!wanted) return work();
  const { result, profile, file } = await profileThisThread(phase, work);
  profiles.push({ phase, profile, file });
  return result;
}

/** A target: its name, what it measured, whether it was met. */
interface Verdict {
  readonly target: string;
  readonly pass: boolean;
}

/** One line of the report. */
interface Row {
  readonly phase: string;
  readonly rate: number;
  readonly ofFloor?: number;
  readonly latencies: Float64Array;
  /** Bytes an answer took, on average. */
  readonly size?: string;
  /** The share of the measured time the api's event loop was busy (its thread's utilisation). */
  readonly busy?: number;
  /** The api thread's busy time per answer, in µs (closed loop: one kind of request). */
  readonly costUs?: number;
  readonly cache?: PublicAnswersStats;
  readonly verdicts: readonly Verdict[];
  readonly note?: string;
}

const fmtSize = (bytes: number) => (bytes < 10_240 ? `${fmtInt(bytes)} B` : `${(bytes / 1024).toFixed(0)} KiB`);
const verdict = (target: string, pass: boolean): Verdict => ({ target, pass });
const cacheDelta = (before: PublicAnswersStats, after: PublicAnswersStats): PublicAnswersStats => ({
  hits: after.hits - before.hits,
  misses: after.misses - before.misses,
  kept: after.kept,
  bytes: after.bytes,
});
const fmtCache = (stats: PublicAnswersStats | undefined) => {
  if (!stats) return '';
  const lookups = stats.hits + stats.misses;
  return lookups === 0
    ? 'no lookups'
    : `${((stats.hits / lookups) * 100).toFixed(1)}% of ${fmtInt(lookups)} (${fmtInt(stats.kept)} kept, ${(stats.bytes / 2 ** 20).toFixed(0)} MiB)`;
};

/** Cumulative weights of a Zipf law over `count` ranks: rank k drawn with probability ∝ 1 / k^s. */
function zipf(count: number, exponent: number): Float64Array {
  const cumulative = new Float64Array(count);
  let sum = 0;
  for (let rank = 1; rank <= count; rank++) cumulative[rank - 1] = sum += 1 / rank ** exponent;
  return cumulative;
}

/** Cumulative weights from plain ones. */
function accumulate(weights: readonly number[]): Float64Array {
  const cumulative = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((weight, i) => (cumulative[i] = sum += weight));
  return cumulative;
}

/** Runs `work` over `items`, `concurrency` at a time. */
async function eachLimited<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** GETs a path as anyone would; fails unless it answers 200 in the format asked for, with an ETag. */
async function fetchPublic(url: string, path: string, headers: Readonly<Record<string, string>>): Promise<string> {
  const response = await fetch(`${url}${path}`, { headers });
  const body = await response.text();
  const type = response.headers.get('content-type') ?? '';
  const wanted = headers.accept === BROWSER.accept ? /^text\/html/ : /^application\/json/;
  if (response.status !== 200 || !wanted.test(type))
    throw new Error(`${path} (${headers.accept}) answered ${response.status} ${type}: ${body.slice(0, 300)}`);
  const etag = response.headers.get('etag');
  if (etag === null) throw new Error(`${path} (${headers.accept}) answered without an ETag`);
  return etag;
}

async function measure(
  settings: Settings,
  scratch: ScratchLog,
  api: { app: INestApplication; url: string },
  loads: readonly [LoadClient, LoadClient],
): Promise<Row[]> {
  const [load, sideLoad] = loads;
  const answers = api.app.get(PublicAnswers);
  const { control } = scratch;
  // Every commitment, in a fixed pseudo-random order: the order of popularity.
  const { rows: idRows } = await control.query<{ commitment_id: string }>(
    'select commitment_id from commitments order by md5(commitment_id)',
  );
  const ids = idRows.map((row) => row.commitment_id);
  const commitmentPath = (id: string) => `/commitments/${id}`;
  const commitmentPaths = ids.map(commitmentPath);
  const popularity = zipf(ids.length, settings.zipfExponent);
  const { rows: teamRows } = await control.query<{ owner_team: string }>(
    `select owner_team from commitments where status = 'in_progress' group by owner_team order by owner_team`,
  );
  const listPaths = teamRows.map(
    (row) => `/commitments?owner=${encodeURIComponent(row.owner_team)}&status=in_progress&sort=deadline`,
  );
  const { rows: openRows } = await control.query<{ commitment_id: string }>(
    `select commitment_id from commitments where status in ('announced', 'in_progress') order by md5(commitment_id || 'commands') limit $1`,
    [settings.commandIds],
  );
  const openIds = openRows.map((row) => row.commitment_id);
  if (ids.length === 0 || listPaths.length === 0 || openIds.length === 0)
    throw new Error('The generated log has no commitments in progress: nothing to measure');

  // Every kind of answer is what it should be, and the conditional GETs learn their ETags.
  const conditional = commitmentPaths.slice(0, settings.conditionalIds);
  const etags = new Map<string, string>();
  const learnEtags = async () => {
    await eachLimited(conditional, 16, async (path) => {
      for (const headers of [API_CLIENT, BROWSER])
        etags.set(`${headers.accept} ${path}`, await fetchPublic(api.url, path, headers));
    });
    for (const headers of [API_CLIENT, BROWSER])
      etags.set(`${headers.accept} /dashboard`, await fetchPublic(api.url, '/dashboard', headers));
    for (const headers of [API_CLIENT, BROWSER]) await fetchPublic(api.url, listPaths[0]!, headers);
  };
  await learnEtags();
  const etagOf = (headers: { accept: string }, path: string) => etags.get(`${headers.accept} ${path}`)!;

  const token = (await api.app.get(StaffTokens).issue('bench-cache', 'staff')).token;

  console.log(
    `3. Closed loop: ${settings.connections} connections (autocannon in a worker thread), ${settings.seconds} s measured after ` +
      `${settings.warmupSeconds} s warm-up per row; api in-process with its projector running`,
  );
  console.log(
    `  NOTE: api, projector, load generator and PostgreSQL share this machine's ${availableParallelism()} cores; closed loop, ` +
      `so latency ≈ ${settings.connections} ÷ throughput. Zipf: rank k of ${fmtInt(ids.length)} commitments read with ` +
      `probability ∝ 1/k^${settings.zipfExponent} (the 100 most read take ${((popularity[99]! / popularity.at(-1)!) * 100).toFixed(0)}% ` +
      `of the reads); uniform: every commitment alike. The read cache keeps up to its configured size (lru).`,
  );

  const rows: Row[] = [];
  const closed = async (
    name: string,
    request: Omit<LoadRequest, 'url' | 'seconds' | 'connections'>,
    url = api.url,
  ): Promise<{ result: LoadResult; cache: PublicAnswersStats; busy: number; costUs: number }> => {
    const full = { ...request, url, connections: settings.connections };
    await load.run({ ...full, seconds: settings.warmupSeconds });
    const before = answers.stats();
    const loop = performance.eventLoopUtilization();
    const result = await maybeProfiled(settings, name, () => load.run({ ...full, seconds: settings.seconds }));
    const elu = performance.eventLoopUtilization(loop);
    const busy = elu.utilization;
    const costUs = (elu.active * 1000) / (result.latencies.length + result.unexpected);
    const cache = cacheDelta(before, answers.stats());
    progress(
      `${name}: ${fmtInt(result.latencies.length / result.seconds)} req/s, p99 ${fmtMs(percentile(result.latencies, 99))}` +
        (result.unexpected + result.errors + result.timeouts > 0
          ? `, ${result.unexpected} unexpected statuses, ${result.errors} errors, ${result.timeouts} timeouts`
          : ''),
    );
    return { result, cache, busy, costUs };
  };
  const rateOf = (result: LoadResult) => result.latencies.length / result.seconds;
  const problems = (result: LoadResult) =>
    result.unexpected + result.errors + result.timeouts > 0
      ? `${result.unexpected} unexpected statuses, ${result.errors} errors, ${result.timeouts} timeouts (excluded)`
      : undefined;

  const closedLoop = async (): Promise<void> => {
    const floor = await startFloorServer();
    let floorRate: number;
    const floorRows: { result: LoadResult; busy: number; costUs: number }[] = [];
    const apiRows: {
      name: string;
      result: LoadResult;
      cache: PublicAnswersStats;
      busy: number;
      costUs: number;
      share: number;
      status: 200 | 304;
    }[] = [];
    try {
      floorRows.push(await closed('floor, before', { paths: ['/floor'] }, floor.url));
      const reads: { name: string; request: Omit<LoadRequest, 'url' | 'seconds' | 'connections'> }[] = [
        {
          name: 'GET /commitments/:id JSON, Zipf',
          request: { paths: commitmentPaths, headers: API_CLIENT, cumulativeWeights: popularity },
        },
        {
          name: 'GET /commitments/:id HTML, Zipf',
          request: { paths: commitmentPaths, headers: BROWSER, cumulativeWeights: popularity },
        },
        { name: 'GET /commitments/:id JSON, uniform', request: { paths: commitmentPaths, headers: API_CLIENT } },
        { name: 'GET /commitments/:id HTML, uniform', request: { paths: commitmentPaths, headers: BROWSER } },
        { name: 'GET /dashboard JSON', request: { paths: ['/dashboard'], headers: API_CLIENT } },
        { name: 'GET /dashboard HTML', request: { paths: ['/dashboard'], headers: BROWSER } },
        { name: 'GET /commitments?owner&status&sort JSON', request: { paths: listPaths, headers: API_CLIENT } },
        { name: 'GET /commitments?owner&status&sort HTML', request: { paths: listPaths, headers: BROWSER } },
      ];
      for (const { name, request } of reads)
        apiRows.push({ name, ...(await closed(name, request)), share: READ_SHARE_OF_FLOOR, status: 200 });

      // What the uniform rows evicted, learnt again: the conditional GETs send what was answered.
      await learnEtags();
      const bothFormats = conditional.flatMap((path) => [path, path]);
      const conditionalRows: { name: string; request: Omit<LoadRequest, 'url' | 'seconds' | 'connections'> }[] = [
        {
          name: `GET /commitments/:id If-None-Match, JSON+HTML, Zipf over the ${fmtInt(conditional.length)} most read`,
          request: {
            paths: bothFormats,
            pathHeaders: conditional.flatMap((path) =>
              [API_CLIENT, BROWSER].map((headers) => ({ ...headers, 'if-none-match': etagOf(headers, path) })),
            ),
            cumulativeWeights: accumulate(
              conditional.flatMap((_, rank) => [
                1 / (rank + 1) ** settings.zipfExponent,
                1 / (rank + 1) ** settings.zipfExponent,
              ]),
            ),
            status: 304,
          },
        },
        {
          name: 'GET /dashboard If-None-Match, HTML',
          request: {
            paths: ['/dashboard'],
            headers: { ...BROWSER, 'if-none-match': etagOf(BROWSER, '/dashboard') },
            status: 304,
          },
        },
      ];
      for (const { name, request } of conditionalRows)
        apiRows.push({ name, ...(await closed(name, request)), share: NOT_MODIFIED_SHARE_OF_FLOOR, status: 304 });
      floorRows.push(await closed('floor, after', { paths: ['/floor'] }, floor.url));
      floorRate = (rateOf(floorRows[0]!.result) + rateOf(floorRows[1]!.result)) / 2;
    } finally {
      await floor.close();
    }

    rows.push(
      ...floorRows.map(({ result, busy, costUs }, i) => ({
        phase: `machine floor: bare node:http, fixed JSON (${i === 0 ? 'before' : 'after'} the api's rows)`,
        rate: rateOf(result),
        ofFloor: rateOf(result) / floorRate,
        latencies: result.latencies,
        size: fmtSize(result.bytes / result.latencies.length),
        busy,
        costUs,
        verdicts: [],
        ...(problems(result) ? { note: problems(result) } : {}),
      })),
    );
    for (const { name, result, cache, busy, costUs, share, status } of apiRows) {
      const ofFloor = rateOf(result) / floorRate;
      const p99 = percentile(result.latencies, 99);
      rows.push({
        phase: name,
        rate: rateOf(result),
        ofFloor,
        latencies: result.latencies,
        size: fmtSize(result.bytes / result.latencies.length),
        busy,
        costUs,
        cache,
        verdicts: [
          verdict(`${status === 304 ? '304s ' : ''}≥ ${share}× floor`, ofFloor >= share),
          ...(status === 200 ? [verdict(`p99 ≤ ${READ_P99_MS} ms`, p99 <= READ_P99_MS)] : []),
        ],
        ...(problems(result) ? { note: problems(result) } : {}),
      });
    }
  };
  if (settings.sections.has('closed')) await closedLoop();

  // The open loop's mix: each group's targets weighted by its share and, for commitments, by popularity.
  const mixTargets: OpenLoopTarget[] = [];
  const mixWeights: number[] = [];
  const add = (
    group: MixGroup,
    paths: readonly string[],
    headersOf: (path: string) => Readonly<Record<string, string>>,
    weights: readonly number[],
    statuses?: readonly number[],
  ) => {
    const share = READ_MIX.find((entry) => entry.group === group)!.share;
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    paths.forEach((path, i) => {
      mixTargets.push({ group, path, headers: headersOf(path), ...(statuses ? { statuses } : {}) });
      mixWeights.push((share * weights[i]!) / total);
    });
  };
  const zipfWeights = (count: number) => Array.from({ length: count }, (_, rank) => 1 / (rank + 1) ** settings.zipfExponent);
  const ones = (count: number) => new Array<number>(count).fill(1);
  await learnEtags();
  add('commitment HTML', commitmentPaths, () => BROWSER, zipfWeights(ids.length));
  add('commitment JSON', commitmentPaths, () => API_CLIENT, zipfWeights(ids.length));
  // 200 once a command has changed it.
  const revalidate = (path: string) => ({ ...BROWSER, 'if-none-match': etagOf(BROWSER, path) });
  add('commitment HTML, If-None-Match', conditional, revalidate, zipfWeights(conditional.length), [304, 200]);
  add('dashboard HTML', ['/dashboard'], () => BROWSER, [1]);
  add('dashboard JSON', ['/dashboard'], () => API_CLIENT, [1]);
  add('list HTML', listPaths, () => BROWSER, ones(listPaths.length));
  add('list JSON', listPaths, () => API_CLIENT, ones(listPaths.length));
  const readLoop = { url: api.url, rate: settings.readRate, targets: mixTargets, cumulativeWeights: accumulate(mixWeights) };

  const commandLoop = {
    url: api.url,
    rate: settings.commandRate,
    pollMs: settings.pollMs,
    followShare: settings.followShare,
    targets: openIds.map((id): OpenLoopTarget => ({
      group: 'command',
      method: 'POST',
      path: `/commitments/${id}/progress`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ note: 'Progress reported by the read cache benchmark' }),
      awaitVisible: commitmentPath(id),
    })),
  };

  console.log(
    `  answer: bytes per answer, headers and body (closed loop; the open loop's groups: body only). ` +
      `÷ floor: against the mean of the two floor rows. api busy: the api thread's event loop utilisation over the ` +
      `measured part (100%: the api's thread is the bottleneck; well below: the load generator or the machine is); ` +
      `api µs/answer: that busy time per answer, what one request costs the api's thread (the floor's: node:http's own).`,
  );
  console.log(
    `4./5. Open loop (evenly spaced arrivals, latency from when each request was due): reads at ${fmtInt(settings.readRate)}/s ` +
      `of a mix (${READ_MIX.map((entry) => `${entry.group} ${entry.share * 100}%`).join(', ')}); staff progress reports at ` +
      `${fmtInt(settings.commandRate)}/s over ${fmtInt(openIds.length)} open commitments, ${settings.followShare * 100}% of them ` +
      `(picked at random) followed by GET /commitments/:id (JSON, no token, no minPosition) every ${settings.pollMs} ms until ` +
      `it shows the new revision`,
  );

  const open = async (
    name: string,
    runs: readonly { client: LoadClient; loop: Omit<Parameters<LoadClient['runOpen']>[0], 'seconds'> }[],
  ): Promise<{ results: OpenLoopResult[]; cache: PublicAnswersStats; busy: number; stalledSeconds: number }> => {
    await Promise.all(runs.map(({ client, loop }) => client.runOpen({ ...loop, seconds: settings.warmupSeconds })));
    const before = answers.stats();
    const loop = performance.eventLoopUtilization();
    const { result: results, seconds: stalledSeconds } = await oldestWriterDuring(scratch.url, () =>
      maybeProfiled(settings, name, () =>
        Promise.all(runs.map(({ client, loop }) => client.runOpen({ ...loop, seconds: settings.seconds }))),
      ),
    );
    const busy = performance.eventLoopUtilization(loop).utilization;
    const cache = cacheDelta(before, answers.stats());
    for (const result of results) {
      for (const group of result.groups) {
        progress(
          `${name}, ${group.group}: ${fmtInt(group.latencies.length)} answered, p99 ${fmtMs(percentile(group.latencies, 99))}` +
            (group.lags.length > 0 ? `, lag p99 ${fmtMs(percentile(group.lags, 99))}` : '') +
            (group.firstUnexpected ? `; first unexpected: ${group.firstUnexpected.replace(/\s+/g, ' ')}` : '') +
            (group.firstError ? `; first error: ${group.firstError}` : ''),
        );
      }
    }
    return { results, cache, busy, stalledSeconds };
  };
  const merged = (groups: readonly OpenLoopGroup[]) => {
    const all = new Float64Array(groups.reduce((sum, group) => sum + group.latencies.length, 0));
    let at = 0;
    for (const group of groups) {
      all.set(group.latencies, at);
      at += group.latencies.length;
    }
    return all.sort();
  };
  const groupProblems = (groups: readonly OpenLoopGroup[], result: OpenLoopResult) => {
    const unexpected = groups.reduce((sum, group) => sum + group.unexpected, 0);
    const errors = groups.reduce((sum, group) => sum + group.errors, 0);
    const notes = [
      ...(unexpected + errors > 0 ? [`${unexpected} unexpected statuses, ${errors} errors (excluded)`] : []),
      `${result.sockets} connections`,
      `sender at most ${fmtMs(result.maxSendDelayMs)} behind`,
    ];
    return notes.join('; ');
  };
  const readRows = (label: string, result: OpenLoopResult, cache?: PublicAnswersStats, busy?: number): Row[] => {
    const all = merged(result.groups);
    return [
      {
        phase: `${label}: reads at ${fmtInt(settings.readRate)}/s, the mix`,
        rate: all.length / result.seconds,
        latencies: all,
        ...(cache ? { cache } : {}),
        ...(busy !== undefined ? { busy } : {}),
        verdicts: [
          verdict(`p99 ≤ ${OPEN_P99_MS} ms`, percentile(all, 99) <= OPEN_P99_MS),
          verdict(`max ≤ ${OPEN_MAX_MS} ms`, percentile(all, 100) <= OPEN_MAX_MS),
        ],
        note: groupProblems(result.groups, result),
      },
      ...result.groups.map((group) => ({
        phase: `  ${group.group}`,
        rate: group.latencies.length / result.seconds,
        latencies: group.latencies,
        size: `${fmtSize(group.bytes / group.latencies.length)} body`,
        verdicts: [],
      })),
    ];
  };
  const commandRows = (
    label: string,
    result: OpenLoopResult,
    { cache, busy, stalledSeconds }: { cache: PublicAnswersStats; busy: number; stalledSeconds: number },
    judged = true,
  ): Row[] => {
    const group = result.groups[0]!;
    return [
      {
        phase: `${label}: POST /commitments/:id/progress (staff token)`,
        rate: group.latencies.length / result.seconds,
        latencies: group.latencies,
        cache,
        busy,
        verdicts: judged ? [verdict(`p99 ≤ ${COMMAND_P99_MS} ms`, percentile(group.latencies, 99) <= COMMAND_P99_MS)] : [],
        note: groupProblems([group], result),
      },
      {
        phase: `  lag: its answer → a public GET shows it`,
        rate: group.polls / result.seconds,
        latencies: group.lags,
        verdicts: judged ? [verdict(`p99 ≤ ${LAG_P99_MS} ms`, group.lost === 0 && percentile(group.lags, 99) <= LAG_P99_MS)] : [],
        note:
          `rate: the following GETs per second; ${group.lost} changes not seen within 10 s; the oldest writing ` +
          `transaction in the cluster meanwhile ran ${fmtS(stalledSeconds)} (the projections read only below it)`,
      },
    ];
  };

  if (settings.sections.has('reads')) {
    const readsAlone = await open('open-loop reads', [{ client: load, loop: readLoop }]);
    rows.push(...readRows('open loop', readsAlone.results[0]!, readsAlone.cache, readsAlone.busy));
  }
  if (!settings.sections.has('commands') && !settings.sections.has('together')) return rows;

  // The commands' commitments kept before they change, so that their lag is measured through the cache.
  await eachLimited(openIds, 16, async (id) => void (await fetchPublic(api.url, commitmentPath(id), API_CLIENT)));
  // For reference, a tenth of the rate, every change followed: a command's time and lag without queueing.
  const slowRate = settings.commandRate / 10;
  if (settings.sections.has('commands')) {
    // The SQL this process sends meanwhile (the commands', the projector's, the following reads'), by kind.
    const { result: commandsSlow, byStatement } = await timeQueries(() =>
      open('commands, reference rate', [{ client: load, loop: { ...commandLoop, rate: slowRate, followShare: 1 } }]),
    );
    const commandsSent = slowRate * (settings.warmupSeconds + settings.seconds);
    sqlPerCommand.push(
      ...[...byStatement.entries()]
        .filter(([kind]) => kind !== statementKind(OLDEST_WRITER))
        .sort(([, a], [, b]) => b.count - a.count)
        .map(([kind, { count, ms }]) => [kind, (count / commandsSent).toFixed(1), fmtMs(ms / count)]),
    );
    rows.push(...commandRows(`reference, ${fmtInt(slowRate)}/s, all followed`, commandsSlow.results[0]!, commandsSlow, false));
    const commandsAlone = await open('commands', [{ client: load, loop: commandLoop }]);
    rows.push(...commandRows('open loop', commandsAlone.results[0]!, commandsAlone));
  }

  if (!settings.sections.has('together')) return rows;
  const together = await open('commands and reads', [
    { client: load, loop: commandLoop },
    { client: sideLoad, loop: readLoop },
  ]);
  rows.push(...commandRows('together', together.results[0]!, together));
  rows.push(...readRows('together', together.results[1]!));
  return rows;
}

function report(rows: readonly Row[]): void {
  printTable(
    [
      'phase',
      'req/s',
      '÷ floor',
      'p50',
      'p99',
      'max',
      'answer',
      'api busy',
      'api µs/answer',
      'cache hits (measured part)',
      'targets',
    ],
    rows.map((row) => [
      row.phase,
      fmtInt(row.rate),
      row.ofFloor === undefined ? '' : fmtRatio(row.ofFloor),
      fmtMs(percentile(row.latencies, 50)),
      fmtMs(percentile(row.latencies, 99)),
      fmtMs(percentile(row.latencies, 100)),
      row.size ?? '',
      row.busy === undefined ? '' : `${(row.busy * 100).toFixed(0)}%`,
      row.costUs === undefined ? '' : fmtInt(row.costUs),
      fmtCache(row.cache),
      row.verdicts.map((entry) => `${entry.target} ${entry.pass ? 'PASS' : 'FAIL'}`).join(', '),
    ]),
  );
  const notes = rows.filter((row) => row.note !== undefined);
  if (notes.length > 0) {
    console.log('');
    for (const row of notes) console.log(`  ${row.phase.trim()}: ${row.note}`);
  }
  const verdicts = rows.flatMap((row) => row.verdicts);
  const failed = verdicts.filter((entry) => !entry.pass).length;
  console.log('');
  console.log(`  ${verdicts.length - failed} of ${verdicts.length} targets PASS, ${failed} FAIL`);
}

async function main(): Promise<void> {
  const log = logSettingsFromEnv({
    events: 200_000,
    commitments: 20_000,
    sessions: 300,
    seed: 1,
    generateCap: 240,
    rebuildCap: 240,
    totalCap: 900,
  });
  const settings: Settings = {
    seconds: envNumber('BENCH_SECONDS', 10),
    warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 2),
    connections: Math.round(envNumber('BENCH_CONNECTIONS', 32)),
    zipfExponent: envNumber('BENCH_ZIPF_EXPONENT', 1),
    conditionalIds: Math.round(envNumber('BENCH_CONDITIONAL_IDS', 2000)),
    readRate: envNumber('BENCH_READ_RATE', 2000),
    commandRate: envNumber('BENCH_COMMAND_RATE', 200),
    commandIds: Math.round(envNumber('BENCH_COMMAND_IDS', 2000)),
    pollMs: envNumber('BENCH_POLL_MS', 5),
    followShare: Math.min(1, envNumber('BENCH_FOLLOW_SHARE', 0.25)),
    profile: (process.env.BENCH_PROFILE ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== ''),
    sections: sectionsFromEnv(process.env.BENCH_ONLY),
  };
  const runStarted = performance.now();
  console.log('Read cache benchmark (issue 15)');
  console.log(`  Node ${process.version}, ${availableParallelism()} cores shared by the api, the load generators and PostgreSQL`);
  console.log('');
  const rows = await withScratchLog('bench_cache', log, 'all', async (scratch) => {
    let api: { app: INestApplication; url: string } | undefined;
    const loads: LoadClient[] = [];
    try {
      api = await capped('starting the api', 60, startApi(scratch.url, { runProjector: true }));
      loads.push(LoadClient.start(), LoadClient.start());
      return await measure(settings, scratch, api, [loads[0]!, loads[1]!]);
    } finally {
      await Promise.all(loads.map((load) => load.stop()));
      // Requests the load generators left in flight finish before the pools close under them.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await api?.app.close();
    }
  });
  console.log('');
  report(rows);
  console.log('');
  if (sqlPerCommand.length > 0) {
    console.log(
      `  SQL sent by the api process per command at the reference rate (its own, the projector's, the following reads'; ` +
        `wall time each waited, summed over concurrent ones):`,
    );
    printTable(['statement', 'per command', 'mean wait'], sqlPerCommand.slice(0, 20));
    console.log('');
  }
  for (const { phase, profile, file } of profiles) {
    printProfile(`The api's thread during "${phase}" (${file})`, profile, { places: 12, functions: 20 });
    console.log('');
  }
  console.log(`Total ${fmtS(since(runStarted))}`);
}

await runBench(main);
