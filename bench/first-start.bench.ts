/**
 * How long a newcomer waits: `npm start` on a fresh embedded data directory (seed record on) until
 * its first page answers, then a second start on the same data, then each CLI until it exits.
 * Run: `npm run bench:first-start` (it builds first, so the build is not counted against the start;
 * `npm start` itself builds too, which is timed as part of the first figure when the build is
 * already up to date, as it is after `npm ci && npm start` the second time).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = process.cwd();
const { DATABASE_URL: _db, EVENTSTORE_CONNECTION_STRING: _es, ...inherited } = process.env;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      server.close(() => resolve(address.port));
    });
  });
}

async function timeStart(label: string, dataDir: string, command: string[]): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    env: { ...inherited, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
    detached: true,
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${label}: exited with ${child.exitCode} before answering`);
      const answered = await fetch(`http://127.0.0.1:${port}/`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (answered) break;
      if (performance.now() - started > 120_000) throw new Error(`${label}: no first page within 120 s`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return (performance.now() - started) / 1000;
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}

async function timeCli(args: string[], dataDir: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...inherited, DATA_DIR: dataDir },
    stdio: 'ignore',
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}`);
  return (performance.now() - started) / 1000;
}

const dataDir = await mkdtemp(join(tmpdir(), 'first-start-'));
try {
  const figures: [string, number, number][] = [];
  figures.push([
    'npm start, fresh data dir (seed record loaded)',
    await timeStart('first start', dataDir, ['npm', 'start', '--silent']),
    5,
  ]);
  figures.push(['npm start, same data dir again', await timeStart('second start', dataDir, ['npm', 'start', '--silent']), 5]);
  figures.push([
    'node dist/apps/api/src/main.js alone, same data',
    await timeStart('node alone', dataDir, [process.execPath, 'dist/apps/api/src/main.js']),
    5,
  ]);
  const dist = (path: string) => join('dist', path);
  for (const [name, args] of [
    ['tokens list', [dist('apps/api/src/auth/tokens.cli.js'), 'list']],
    ['projections status', [dist('apps/projector/src/projections.cli.js'), 'status']],
    ['export csv', [dist('apps/api/src/exports/export.cli.js'), 'csv']],
  ] as const) {
    figures.push([`${name} (node, built)`, await timeCli([...args], dataDir), 2]);
  }
  for (const [label, seconds, budget] of figures) {
    console.log(
      `${label.padEnd(52)} ${seconds.toFixed(2).padStart(6)} s  (budget ${budget} s${seconds > budget ? ', OVER' : ''})`,
    );
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
