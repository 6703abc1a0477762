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
 *
 * On a shared machine wall time follows the load, so each figure also gives the CPU seconds its
 * processes used (on Linux, from /proc): what a quiet machine would wait for, give or take the
 * cores PGlite's WebAssembly compilation spreads over.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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

/** Linux's clock ticks a second (USER_HZ), which /proc reports CPU time in. */
const TICKS = 100;

/** utime, stime, cutime, cstime of one /proc/<pid>/stat, and its process group. */
function procStat(pid: string): { group: number; ticks: number; reaped: number } | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /s, '')
      .split(' ');
    // After "pid (comm) ": state ppid pgrp … utime(12) stime(13) cutime(14) cstime(15), counted from state.
    return {
      group: Number(fields[2]),
      ticks: Number(fields[11]) + Number(fields[12]),
      reaped: Number(fields[13]) + Number(fields[14]),
    };
  } catch {
    return undefined;
  }
}

/** CPU seconds of every live process in `group` and of the children they have reaped (undefined off Linux). */
function groupCpuSeconds(group: number): number | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  let ticks = 0;
  for (const pid of pids) {
    const stat = procStat(pid);
    if (stat?.group === group) ticks += stat.ticks + stat.reaped;
  }
  return ticks / TICKS;
}

/** CPU seconds of the children this process has reaped: each grows it by its own and its reaped children's. */
function reapedCpuSeconds(): number | undefined {
  const stat = procStat('self');
  return stat && stat.reaped / TICKS;
}

interface Start {
  seconds: number;
  cpuSeconds: number | undefined;
  /** The api's log lines with their time since the spawn, when it logged at info. */
  lines: { at: number; msg: string }[];
}

/** Times `command` until its first page answers; `meanwhile` runs before it is stopped. */
async function timeStart(
  label: string,
  dataDir: string,
  command: string[],
  { logLevel = 'warn', meanwhile = async () => undefined }: { logLevel?: string; meanwhile?: () => Promise<void> } = {},
): Promise<Start> {
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
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = groupCpuSeconds(child.pid!);
    await meanwhile();
    return { seconds, cpuSeconds, lines: logLines(output, startedAt) };
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

interface Run {
  seconds: number;
  cpuSeconds: number | undefined;
}

async function timeCommand(command: string[], dataDir: string): Promise<Run> {
  const cpuBefore = reapedCpuSeconds();
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    env: { ...inherited, DATA_DIR: dataDir },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${command.join(' ')} exited with ${code}`);
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = reapedCpuSeconds();
  return { seconds, cpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
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
  const loadAverage = (() => {
    try {
      return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    } catch {
      return 'unknown';
    }
  })();
  const serverFloor = await timeStart('floor', spareDir, floorServer);
  const cliFloor = await timeCommand([process.execPath, '-e', '0'], dataDir);
  const cliCommands = [
    ['tokens list', ['tokens', '--', 'list']],
    ['projections status', ['projections', '--', 'status']],
    ['export csv', ['export', '--', 'csv']],
    ['import (a file already in the log)', ['import', '--', 'data/sessions/2020-12-10-office-hours.yaml']],
  ] as const;
  const clis: [string, Run][] = [];
  const runClis = async (where: string) => {
    for (const [name, args] of cliCommands)
      clis.push([`npm run ${name}, ${where}`, await timeCommand(['npm', 'run', '--silent', ...args], dataDir)]);
  };

  const starts: [string, Start][] = [
    ['npm start, fresh data dir (seed record loaded)', await timeStart('first start', dataDir, ['npm', 'start', '--silent'])],
  ];
  // While it runs, a CLI uses its database through its socket instead of opening PGlite itself.
  starts.push([
    'npm start, same data dir again',
    await timeStart('second start', dataDir, ['npm', 'start', '--silent'], { meanwhile: () => runClis('api running') }),
  ]);
  const nodeAlone = await timeStart('node alone', join(spareDir, 'data'), [process.execPath, 'dist/apps/api/src/main.js'], {
    logLevel: 'info',
  });
  starts.push(['node dist/apps/api/src/main.js, fresh data dir', nodeAlone]);
  await runClis('no api running');

  const cpu = (seconds: number | undefined) => (seconds === undefined ? '   –' : seconds.toFixed(2).padStart(6));
  const row = (label: string, run: Run, floor: Run, budget: number) =>
    `${label.padEnd(70)} ${run.seconds.toFixed(2).padStart(6)} s ${(run.seconds / floor.seconds).toFixed(1).padStart(6)}× floor` +
    `   cpu ${cpu(run.cpuSeconds)} s ${run.cpuSeconds && floor.cpuSeconds ? (run.cpuSeconds / floor.cpuSeconds).toFixed(1).padStart(6) : '     –'}× floor` +
    `  (budget ${budget} s${run.seconds > budget ? ', OVER' : ''})`;
  const floorRow = (label: string, run: Run) =>
    `${label.padEnd(70)} ${run.seconds.toFixed(2).padStart(6)} s${''.padEnd(14)}cpu ${cpu(run.cpuSeconds)} s`;
  console.log(`load average at the start: ${loadAverage}`);
  console.log(floorRow('floor: bare node http server, first answer', serverFloor));
  for (const [label, start] of starts) console.log(row(label, start, serverFloor, 5));
  console.log(floorRow('floor: node -e 0', cliFloor));
  for (const [label, run] of clis) console.log(row(label, run, cliFloor, 2));

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
