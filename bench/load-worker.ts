/**
 * Load generator for the benchmarks, in its own thread so that it does not share an event loop
 * with the api under test (it still shares the machine's cores). Every request carries the
 * headers asked for: the same URL answers HTML to a browser's Accept and JSON otherwise.
 *
 * Latency is taken from autocannon's per-response timings (fractional milliseconds from
 * `process.hrtime`): its histogram rounds to whole milliseconds, and in a worker thread
 * autocannon returns it encoded rather than as percentiles.
 */
import { parentPort } from 'node:worker_threads';
import autocannon from 'autocannon';
import { runOpenLoop, type OpenLoopRequest, type OpenLoopResult } from './open-loop.js';
import { pickWeighted } from './support.js';

export interface LoadRequest {
  readonly url: string;
  /** Each request goes to one of these, picked at random. */
  readonly paths: readonly string[];
  readonly connections: number;
  readonly seconds: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Headers of one path (an `If-None-Match`, an `Accept`), aligned with `paths`; over `headers`. */
  readonly pathHeaders?: readonly (Readonly<Record<string, string>> | undefined)[];
  /** Cumulative weights aligned with `paths` (the last is the total): picks by weight instead of uniformly. */
  readonly cumulativeWeights?: Float64Array;
  /** The status whose latencies are recorded; default any 2xx. */
  readonly status?: number;
}

export interface LoadResult {
  /** Latencies of the responses with the expected status, in ms, sorted. */
  readonly latencies: Float64Array;
  readonly seconds: number;
  /** Bytes of the responses with the expected status, bodies and headers. */
  readonly bytes: number;
  /** Responses with another status than the one expected (excluded from the latencies). */
  readonly unexpected: number;
  readonly errors: number;
  readonly timeouts: number;
}

export type LoadReply =
  { readonly ok: true; readonly result: LoadResult | OpenLoopResult } | { readonly ok: false; readonly error: string };

async function run(request: LoadRequest): Promise<LoadResult> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let unexpected = 0;
  let bytes = 0;
  const { paths, pathHeaders, cumulativeWeights } = request;
  const expected =
    request.status === undefined
      ? (status: number) => status >= 200 && status < 300
      : (status: number) => status === request.status;
  const pick = cumulativeWeights ? () => pickWeighted(cumulativeWeights) : () => Math.floor(Math.random() * paths.length);
  let finish: (error: Error | null, result: autocannon.Result) => void = () => undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (error, result) => (error ? reject(error) : resolve(result));
  });
  const instance = autocannon(
    {
      url: request.url,
      connections: request.connections,
      pipelining: 1,
      duration: request.seconds,
      timeout: 60,
      headers: { ...request.headers },
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => {
            const index = pick();
            const extra = pathHeaders?.[index];
            return { ...req, path: paths[index]!, ...(extra ? { headers: { ...req.headers, ...extra } } : {}) };
          },
        },
      ],
    },
    (error, result) => finish(error, result),
  );
  instance.on('response', (_client, statusCode, responseBytes, responseTime) => {
    if (!expected(statusCode)) {
      unexpected++;
      return;
    }
    bytes += responseBytes;
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = responseTime;
  });
  const result = await finished;
  const sorted = latencies.slice(0, count).sort();
  return {
    latencies: sorted,
    seconds: request.seconds,
    bytes,
    unexpected,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

const port = parentPort;
if (!port) throw new Error('load-worker.js runs as a worker thread');
port.on('message', (request: LoadRequest | OpenLoopRequest | 'exit') => {
  if (request === 'exit') {
    port.close();
    return;
  }
  const running: Promise<LoadResult | OpenLoopResult> = 'kind' in request ? runOpenLoop(request) : run(request);
  running.then(
    (result) => port.postMessage({ ok: true, result } satisfies LoadReply),
    (error: unknown) =>
      port.postMessage({
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies LoadReply),
  );
});
