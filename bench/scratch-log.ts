import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../apps/api/src/storage/migrations/index.js';
import { PostgresEventStore } from '../libs/event-store/src/index.js';
import { projections, rebuildProjection } from '../libs/read-models/src/index.js';
import { dropAndExitAfter } from './bench-api.js';
import { EventLog, copyLog } from './read-side/generate.js';
import { dropDatabase, envNumber, fmtInt, fmtS, progress, since, withDatabase } from './support.js';

// What the benchmarks that load the api over a generated log share: a scratch database on the
// local PostgreSQL, the read-side generator's log COPY'd into it, and read models rebuilt from it.

export const EVENT_SCHEMA = 'event_store';

export interface LogSettings {
  readonly events: number;
  readonly commitments: number;
  readonly sessions: number;
  readonly seed: number;
  readonly generateCap: number;
  readonly rebuildCap: number;
  /** Past it the run drops its database and exits 1. */
  readonly totalCap: number;
}

/**
 * BENCH_EVENTS, BENCH_COMMITMENTS, BENCH_SESSIONS, BENCH_SEED, BENCH_GENERATE_CAP_SECONDS,
 * BENCH_REBUILD_CAP_SECONDS (per projection) and BENCH_TOTAL_CAP_SECONDS, over a benchmark's defaults.
 */
export function logSettingsFromEnv(defaults: LogSettings): LogSettings {
  return {
    events: Math.round(envNumber('BENCH_EVENTS', defaults.events)),
    commitments: Math.round(envNumber('BENCH_COMMITMENTS', defaults.commitments)),
    sessions: Math.round(envNumber('BENCH_SESSIONS', defaults.sessions)),
    seed: Math.round(envNumber('BENCH_SEED', defaults.seed)),
    generateCap: envNumber('BENCH_GENERATE_CAP_SECONDS', defaults.generateCap),
    rebuildCap: envNumber('BENCH_REBUILD_CAP_SECONDS', defaults.rebuildCap),
    totalCap: envNumber('BENCH_TOTAL_CAP_SECONDS', defaults.totalCap),
  };
}

export interface ScratchLog {
  readonly url: string;
  readonly database: string;
  /** A connection to it for the benchmark's own queries. */
  readonly control: pg.Client;
}

/**
 * Creates a scratch database (DATABASE_URL's server, loopback only), loads the generated log,
 * rebuilds the named read models (`all`: every projection) and runs `work` on it; drops it
 * afterwards, whatever happened, or past the total cap.
 */
export async function withScratchLog<T>(
  prefix: string,
  settings: LogSettings,
  rebuilt: readonly string[] | 'all',
  work: (scratch: ScratchLog) => Promise<T>,
): Promise<T> {
  const baseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const host = new URL(baseUrl).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`DATABASE_URL must point at 127.0.0.1, not "${host}"`);
  const database = `${prefix}_${randomBytes(6).toString('hex')}`;
  const url = withDatabase(baseUrl, database);
  const watchdog = dropAndExitAfter(settings.totalCap, baseUrl, database);
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  let control: pg.Client | undefined;
  try {
    await admin.query(`create database ${database}`);
    control = new pg.Client({ connectionString: url });
    await control.connect();
    // The store creates its schema; COPY then fills the table it created.
    const store = await PostgresEventStore.connect({ connectionString: url, schema: EVENT_SCHEMA, poolSize: 2 });
    try {
      await generateLog(settings, url, control);
      const dataSource = new DataSource({ type: 'postgres', url, migrations, migrationsRun: true, extra: { max: 4 } });
      await dataSource.initialize();
      try {
        await rebuildReadModels(settings, rebuilt, dataSource, store, control);
      } finally {
        await dataSource.destroy();
      }
    } finally {
      await store.close();
    }
    return await work({ url, database, control });
  } finally {
    await control?.end();
    await dropDatabase(admin, database);
    await admin.end();
    clearTimeout(watchdog);
  }
}

async function generateLog(settings: LogSettings, scratchUrl: string, control: pg.Client): Promise<void> {
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

async function rebuildReadModels(
  settings: LogSettings,
  rebuilt: readonly string[] | 'all',
  dataSource: DataSource,
  store: PostgresEventStore,
  control: pg.Client,
): Promise<void> {
  const started = performance.now();
  const selected = projections.filter((candidate) => rebuilt === 'all' || rebuilt.includes(candidate.name));
  for (const projection of selected) {
    const began = performance.now();
    await rebuildProjection(dataSource, store, projection, {
      onProgress: () => {
        if (since(began) > settings.rebuildCap)
          throw new Error(`rebuilding ${projection.name} passed its cap of ${settings.rebuildCap} s`);
      },
    });
    progress(`${projection.name} rebuilt in ${fmtS(since(began))}`);
  }
  await control.query(`vacuum (analyze) ${selected.flatMap((projection) => projection.tables).join(', ')}`);
  const { rows } = await control.query<{ commitments: string; timeline: string }>(
    'select (select count(*) from commitments) as commitments, (select count(*) from commitment_timeline) as timeline',
  );
  if (Number(rows[0]!.commitments) === 0) throw new Error('The rebuild left the commitments read model empty');
  console.log(
    `2. Read models ${selected.map((projection) => projection.name).join(', ')} rebuilt in ${fmtS(since(started))}: ` +
      `${fmtInt(Number(rows[0]!.commitments))} commitments, ${fmtInt(Number(rows[0]!.timeline))} history lines`,
  );
}
