/**
 * How long a newcomer waits: `npm start` on a fresh embedded data directory (seed record on) until
 * its first page answers, then a second start on the same data, then each CLI as the README runs it
 * (`npm run <cli> -- …`) until it exits. Each figure is printed against a floor measured in the same
 * run: a bare node http server answering its first request for the starts, `node -e 0` for the CLIs.
 *
 *   npm run bench:first-start
 *
 * It builds first, as `npm ci` does (its `prepare` script builds and makes the empty PGlite cluster),
 * so what is timed is the start itself; `npm start` still checks the build (`tsc -b`, which finds it
 * up to date), and that check is part of the figure. The start on a fresh directory also prints
 * where its time went, read from the api's own log lines.
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

interface Start {
  seconds: number;
  /** The api's log lines with their time since the spawn, when it logged at info. */
  lines: { at: number; msg: string }[];
}

async function timeStart(label: string, dataDir: string, command: string[], logLevel = 'warn'): Promise<Start> {
  const port = await freePort();
  const startedAt = Date.now();
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    env: { ...inherited, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: logLevel },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${label}: exited with ${child.exitCode} before answering`);
      const answered = await fetch(`http://127.0.0.1:${port}/`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (answered) break;
      if (performance.now() - started > 120_000) throw new Error(`${label}: no first page within 120 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { seconds: (performance.now() - started) / 1000, lines: logLines(output, startedAt) };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}

function logLines(output: string, startedAt: number): Start['lines'] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { time: string; msg: string })
    .map(({ time, msg }) => ({ at: (Date.parse(time) - startedAt) / 1000, msg }));
}

async function timeCommand(command: string[], dataDir: string): Promise<number> {
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    env: { ...inherited, DATA_DIR: dataDir },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${command.join(' ')} exited with ${code}`);
  return (performance.now() - started) / 1000;
}

const floorServer = [
  process.execPath,
  '-e',
  "require('node:http').createServer((_, response) => response.end('ok')).listen(process.env.PORT, '127.0.0.1')",
];

/** Where the fresh start's time went: each milestone the api logs, in order, with the time since the spawn. */
const milestones: [string, RegExp][] = [
  ['modules loaded, Nest starts', /^Starting Nest application/],
  ['PGlite open (cluster unpacked)', /^Embedded PostgreSQL/],
  ['migrations run, projector follows', /^Following the log for commitments/],
  ['seed record imported', /^Seed record: .*2022-08-18/],
  ['listening', /^Commitment tracker listening/],
];

const dataDir = await mkdtemp(join(tmpdir(), 'first-start-'));
const spareDir = await mkdtemp(join(tmpdir(), 'first-start-node-'));
try {
  const serverFloor = (await timeStart('floor', spareDir, floorServer)).seconds;
  const cliFloor = await timeCommand([process.execPath, '-e', '0'], dataDir);
  const starts: [string, Start][] = [
    ['npm start, fresh data dir (seed record loaded)', await timeStart('first start', dataDir, ['npm', 'start', '--silent'])],
    ['npm start, same data dir again', await timeStart('second start', dataDir, ['npm', 'start', '--silent'])],
  ];
  const nodeAlone = await timeStart(
    'node alone',
    join(spareDir, 'data'),
    [process.execPath, 'dist/apps/api/src/main.js'],
    'info',
  );
  starts.push(['node dist/apps/api/src/main.js, fresh data dir', nodeAlone]);

  const clis: [string, number][] = [];
  for (const [name, args] of [
    ['tokens list', ['tokens', '--', 'list']],
    ['projections status', ['projections', '--', 'status']],
    ['export csv', ['export', '--', 'csv']],
    ['import (a session file already in the log)', ['import', '--', 'data/sessions/2020-12-10-office-hours.yaml']],
  ] as const) {
    clis.push([`npm run ${name}`, await timeCommand(['npm', 'run', '--silent', ...args], dataDir)]);
  }

  const row = (label: string, seconds: number, floor: number, budget: number) =>
    `${label.padEnd(52)} ${seconds.toFixed(2).padStart(6)} s  ${(seconds / floor).toFixed(1).padStart(5)}× floor  (budget ${budget} s${seconds > budget ? ', OVER' : ''})`;
  console.log(`${'floor: bare node http server, first answer'.padEnd(52)} ${serverFloor.toFixed(2).padStart(6)} s`);
  for (const [label, start] of starts) console.log(row(label, start.seconds, serverFloor, 5));
  console.log(`${'floor: node -e 0'.padEnd(52)} ${cliFloor.toFixed(2).padStart(6)} s`);
  for (const [label, seconds] of clis) console.log(row(label, seconds, cliFloor, 2));

  console.log('\nwhere the fresh `node …/main.js` start went (seconds since the spawn):');
  for (const [label, pattern] of milestones) {
    const line = nodeAlone.lines.find(({ msg }) => pattern.test(msg));
    console.log(`  ${label.padEnd(40)} ${line ? line.at.toFixed(2).padStart(6) : '     –'}`);
  }
  console.log(`  ${'first page answered'.padEnd(40)} ${nodeAlone.seconds.toFixed(2).padStart(6)}`);
} finally {
  await rm(dataDir, { recursive: true, force: true });
  await rm(spareDir, { recursive: true, force: true });
}
