import { once } from 'node:events';
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
