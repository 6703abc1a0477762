/**
 * Where a public read's CPU goes: starts the built api (seeded, on a scratch PostgreSQL database)
 * under `node --cpu-prof`, loads one path with autocannon, stops it, and prints the profile's
 * self time grouped by where the code lives (the api's own code, each package, node internals,
 * garbage collection) and the hottest functions.
 *
 *   npm run bench:cpu-profile -- /dashboard          (any path; default /dashboard)
 *
 * Env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_SECONDS (10),
 * BENCH_CONNECTIONS (32), BENCH_ACCEPT (application/json). The .cpuprofile file is kept under
 * test-artifacts/profiles for a flame graph (Chrome DevTools or speedscope open it).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { PROFILES, printProfile, type CpuProfile } from './profile-summary.js';
import { dropDatabase, envNumber, withDatabase } from './support.js';

async function main(): Promise<void> {
  const target = process.argv[2] ?? '/dashboard';
  const seconds = envNumber('BENCH_SECONDS', 10);
  const connections = envNumber('BENCH_CONNECTIONS', 32);
  const accept = process.env.BENCH_ACCEPT ?? 'application/json';
  const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  await mkdir(PROFILES, { recursive: true });
  const before = new Set(await readdir(PROFILES));

  const database = `tracker_profile_${process.pid}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${database}`);
  const scratchUrl = withDatabase(baseUrl, database);
  try {
    const port = 39000 + Math.floor(Math.random() * 900);
    const api = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${PROFILES}`, 'dist/apps/api/src/main.js'], {
      // The seed record loads into the empty scratch database: a real record to read.
      env: { ...process.env, DATABASE_URL: scratchUrl, PORT: String(port) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    try {
      const url = `http://127.0.0.1:${port}`;
      for (let attempt = 0; ; attempt++) {
        const ready = await fetch(`${url}/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ready) break;
        if (attempt > 300) throw new Error('the api did not start within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // The seed record is imported at start; let the projections take it in.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const result = await autocannon({
        url: `${url}${target}`,
        connections,
        duration: seconds,
        headers: { accept },
      });
      console.log(
        `${target} (${accept}), ${connections} connections, ${seconds} s: ${Math.round(result.requests.average)} req/s, ` +
          `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}`,
      );
    } finally {
      api.kill('SIGINT');
      await once(api, 'exit');
    }
  } finally {
    await dropDatabase(admin, database);
    await admin.end();
  }

  const written = (await readdir(PROFILES)).filter((name) => !before.has(name) && name.endsWith('.cpuprofile'));
  if (written.length === 0) throw new Error('node wrote no profile');
  const file = path.join(PROFILES, written[0]!);
  console.log('');
  printProfile(`Profile ${file}`, JSON.parse(await readFile(file, 'utf8')) as CpuProfile);
}

await main();
