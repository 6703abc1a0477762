/**
 * Load generator for the pages benchmark, in its own thread so that it does not share an event
 * loop with the api under test. Like the read-side one, but every request carries the headers
 * asked for: the same URL answers HTML to a browser's Accept and JSON otherwise.
 *
 * Latency comes from autocannon's per-response timings (fractional ms), not its histogram,
 * which rounds to whole milliseconds.
 */
import { parentPort } from 'node:worker_threads';
import autocannon from 'autocannon';

export interface PageLoadRequest {
  readonly url: string;
  /** Each request goes to one of these, picked at random. */
  readonly paths: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  readonly connections: number;
  readonly seconds: number;
}

export interface PageLoadResult {
  /** Latencies of the 2xx responses, in ms, sorted. */
  readonly latencies: Float64Array;
  readonly seconds: number;
  readonly bytes: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

async function run(request: PageLoadRequest): Promise<PageLoadResult> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let non2xx = 0;
  const paths = request.paths;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: request.url,
        connections: request.connections,
        pipelining: 1,
        duration: request.seconds,
        timeout: 60,
        headers: { ...request.headers },
        requests: [
          { method: 'GET', setupRequest: (req) => ({ ...req, path: paths[Math.floor(Math.random() * paths.length)]! }) },
        ],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode < 200 || statusCode >= 300) {
        non2xx++;
        return;
      }
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count++] = responseTime;
    });
  });
  return {
    latencies: latencies.slice(0, count).sort(),
    seconds: request.seconds,
    bytes: result.throughput.total,
    non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

const port = parentPort;
if (!port) throw new Error('load-worker.js runs as a worker thread');
port.on('message', (request: PageLoadRequest | 'exit') => {
  if (request === 'exit') {
    port.close();
    return;
  }
  run(request).then(
    (result) => port.postMessage({ ok: true, result }),
    (error: unknown) =>
      port.postMessage({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
