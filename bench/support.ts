import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'node:worker_threads';
import type pg from 'pg';

// Helpers every benchmark shares.

export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

export function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}

export function printTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ');
  console.log(line(headers));
  console.log(widths.map((width) => '-'.repeat(width)).join('-+-'));
  for (const row of rows) console.log(line(row));
}

/**
 * `pool.end()` resolves before the server backends have exited; a plain DROP DATABASE waits up
 * to 5 s for them. FORCE only as a last resort: it kills connections a pool is still closing.
 */
export async function dropDatabase(admin: pg.Client, database: string): Promise<void> {
  try {
    await admin.query(`drop database if exists ${database}`);
  } catch (error) {
    console.error(`drop database ${database} without force failed (${(error as Error).message}); forcing`);
    await admin.query(`drop database if exists ${database} with (force)`);
  }
}

/** Sends one request to a worker and waits for its reply, failing if the worker crashes or exits first. */
export async function askWorker<Result>(worker: Worker, request: unknown, name: string): Promise<Result> {
  const failed = new AbortController();
  const reply = once(worker, 'message', { signal: failed.signal }) as Promise<
    [{ readonly ok: true; readonly result: Result } | { readonly ok: false; readonly error: string }]
  >;
  const crashed = once(worker, 'error', { signal: failed.signal }).then(([error]) => Promise.reject(error as Error));
  const exited = once(worker, 'exit', { signal: failed.signal }).then(([code]) =>
    Promise.reject(new Error(`${name} exited with ${String(code)}`)),
  );
  worker.postMessage(request);
  try {
    const [message] = await Promise.race([reply, crashed, exited]);
    if (!message.ok) throw new Error(`${name}: ${message.error}`);
    return message.result;
  } finally {
    failed.abort();
    // The losers of the race reject with AbortError: nobody waits for them.
    for (const pending of [reply, crashed, exited]) pending.catch(() => undefined);
  }
}

export const fmtInt = (value: number) => Math.round(value).toLocaleString('en-US');
export const fmtMs = (value: number) => (Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : 1)} ms` : 'n/a');
export const fmtS = (value: number) => `${value.toFixed(1)} s`;
export const fmtRatio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');
/** Seconds since a `performance.now()` reading. */
export const since = (start: number) => (performance.now() - start) / 1000;
/** The p-th percentile of sorted values (nearest rank); NaN when there are none. */
export const percentile = (sorted: Float64Array, p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
/** A line of progress, on stderr so that stdout keeps only the report. */
export const progress = (line: string) => process.stderr.write(`  … ${line}\n`);

/** Rejects after `seconds`, so that no phase can hang the run. */
export async function capped<T>(what: string, seconds: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than its cap of ${seconds} s`)), seconds * 1000);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What this machine allows at all: node:http answering a fixed small JSON body from the same
 * thread the api runs on, under the same load. No framework, no SQL: no endpoint can beat it.
 */
export async function startFloorServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const body = JSON.stringify({ id: 'floor', status: 'in_progress', summary: 'A fixed answer', topics: ['a', 'b'] });
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An index drawn with the probabilities the cumulative weights give (binary search). */
export function pickWeighted(cumulative: Float64Array): number {
  const target = Math.random() * cumulative[cumulative.length - 1]!;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (cumulative[middle]! > target) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * Runs a benchmark: an error is printed and exits 1. Everything is closed by then; should a
 * capped phase have left a handle open, the process leaves anyway 5 s later.
 */
export async function runBench(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
  setTimeout(() => {
    console.error('Handles still open 5 s after the run; exiting');
    process.exit(process.exitCode ?? 0);
  }, 5000).unref();
}
