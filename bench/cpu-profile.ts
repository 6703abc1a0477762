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
import { dropDatabase, envNumber, printTable, withDatabase } from './support.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const PROFILES = path.resolve('test-artifacts/profiles');

/** Where a frame's code lives: a package, the api's own code, node's internals, or the engine. */
function placeOf(url: string, functionName: string): string {
  if (url === '')
    return functionName === '(garbage collector)' ? 'garbage collection' : `engine ${functionName || '(anonymous)'}`;
  if (url.startsWith('node:')) return 'node internals';
  const inModules = url.lastIndexOf('/node_modules/');
  if (inModules >= 0) {
    const rest = url.slice(inModules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.includes('/dist/'))
    return `tracker ${url
      .slice(url.indexOf('/dist/') + 6)
      .split('/')
      .slice(0, 4)
      .join('/')}`;
  return url;
}

export function summarise(profile: CpuProfile): { places: [string, number][]; functions: [string, number][]; totalMs: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const places = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') continue;
    total += us;
    const place = placeOf(frame.url, frame.functionName);
    places.set(place, (places.get(place) ?? 0) + us);
    const name = `${frame.functionName || '(anonymous)'} ${place}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  return { places: sorted(places), functions: sorted(functions), totalMs: total / 1000 };
}

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
  const { places, functions, totalMs } = summarise(JSON.parse(await readFile(file, 'utf8')) as CpuProfile);
  const share = (us: number) => `${((us / 1000 / totalMs) * 100).toFixed(1)}%`;
  console.log(`\nProfile ${file}: ${totalMs.toFixed(0)} ms of CPU outside idle`);
  printTable(
    ['where (self time)', 'ms', 'share'],
    places.slice(0, 20).map(([place, us]) => [place, (us / 1000).toFixed(0), share(us)]),
  );
  printTable(
    ['hottest functions (self time)', 'ms', 'share'],
    functions.slice(0, 25).map(([name, us]) => [name, (us / 1000).toFixed(0), share(us)]),
  );
}

await main();
