/**
 * An open-loop load: requests arrive at a fixed rate, evenly spaced, whether or not the earlier
 * ones have been answered (as independent clients do), over as many keep-alive connections as
 * that takes. Latency is counted from when a request was due, not from when it was sent, so a
 * stall in the server (or in this generator) is charged to every request it delayed.
 *
 * autocannon's `overallRate` is not this: each of its connections sends back to back until it
 * has made its share for the second, then waits for the next second, so the requests arrive in
 * bursts of the connection count at the start of each second.
 *
 * A target may ask for its change to be followed: after a 2xx answer naming `{ id, revision }`
 * (a command's), `awaitVisible` is read without credentials every `pollMs` until it shows that
 * revision or a later one; the time from the command's answer to that read's is its lag.
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { pickWeighted } from './support.js';

export interface OpenLoopTarget {
  /** Results are reported by group. */
  readonly group: string;
  readonly method?: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The statuses expected (default any 2xx); any other counts as unexpected. */
  readonly statuses?: readonly number[];
  /** A public read that shows the change once it is visible (see above). */
  readonly awaitVisible?: string;
}

export interface OpenLoopRequest {
  readonly kind: 'open';
  readonly url: string;
  /** Arrivals per second. */
  readonly rate: number;
  readonly seconds: number;
  readonly targets: readonly OpenLoopTarget[];
  /** Cumulative weights aligned with `targets`; uniform when absent. */
  readonly cumulativeWeights?: Float64Array;
  /** How often a followed change is read until it shows (default 5 ms). */
  readonly pollMs?: number;
  /** A followed change not visible after this long counts as lost (default 10 s). */
  readonly lagCapMs?: number;
  /** The share of the answers naming a change that are followed (default 1): the reads that follow add load. */
  readonly followShare?: number;
}

export interface OpenLoopGroup {
  readonly group: string;
  /** Latencies from when each request was due to its answer's end, in ms, sorted. */
  readonly latencies: Float64Array;
  readonly unexpected: number;
  readonly errors: number;
  /** Lags of the followed changes, in ms, sorted (empty when the group follows none). */
  readonly lags: Float64Array;
  /** Followed changes never seen within the cap. */
  readonly lost: number;
  /** Reads made to follow changes. */
  readonly polls: number;
  /** Body bytes of the answers with the expected status. */
  readonly bytes: number;
  /** The first unexpected answer and the first error, to say why. */
  readonly firstUnexpected?: string;
  readonly firstError?: string;
}

export interface OpenLoopResult {
  readonly groups: readonly OpenLoopGroup[];
  readonly seconds: number;
  readonly sent: number;
  /** Most this generator fell behind the schedule when sending, in ms. */
  readonly maxSendDelayMs: number;
  /** Connections it opened. */
  readonly sockets: number;
}

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Body bytes. */
  readonly size: number;
}

interface GroupTally {
  latencies: number[];
  unexpected: number;
  errors: number;
  lags: number[];
  lost: number;
  polls: number;
  bytes: number;
  firstUnexpected?: string;
  firstError?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runOpenLoop(request: OpenLoopRequest): Promise<OpenLoopResult> {
  const target = new URL(request.url);
  // Idle connections are closed before the server's keep-alive timeout (5 s) could close them under a request.
  const agent = new Agent({ keepAlive: true, maxSockets: 1024, timeout: 4000 });
  let sockets = 0;
  const send = (method: string, path: string, headers: Readonly<Record<string, string>> | undefined, body?: string) =>
    new Promise<Answer>((resolve, reject) => {
      const outgoing = httpRequest(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method,
          path,
          headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const body = Buffer.concat(chunks);
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: body.toString('utf8'),
              size: body.length,
            });
          });
          response.on('error', reject);
        },
      );
      outgoing.on('socket', (socket) => {
        if (!(socket as { counted?: boolean }).counted) {
          (socket as { counted?: boolean }).counted = true;
          sockets++;
        }
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const tallies = new Map<string, GroupTally>();
  const tally = (group: string) => {
    let entry = tallies.get(group);
    if (!entry) tallies.set(group, (entry = { latencies: [], unexpected: 0, errors: 0, lags: [], lost: 0, polls: 0, bytes: 0 }));
    return entry;
  };
  for (const { group } of request.targets) tally(group);
  const pollMs = request.pollMs ?? 5;
  const lagCapMs = request.lagCapMs ?? 10_000;
  const followShare = request.followShare ?? 1;

  const follow = async (entry: GroupTally, path: string, revision: number, answeredAt: number) => {
    for (;;) {
      entry.polls++;
      const seen = await send('GET', path, { accept: 'application/json' });
      const now = performance.now();
      if (seen.status === 200 && (JSON.parse(seen.body) as { revision: number }).revision >= revision) {
        entry.lags.push(now - answeredAt);
        return;
      }
      if (now - answeredAt > lagCapMs) {
        entry.lost++;
        return;
      }
      await sleep(pollMs);
    }
  };

  const one = async (chosen: OpenLoopTarget, dueAt: number) => {
    const entry = tally(chosen.group);
    try {
      const answer = await send(chosen.method ?? 'GET', chosen.path, chosen.headers, chosen.body);
      const answeredAt = performance.now();
      const ok =
        chosen.statuses === undefined ? answer.status >= 200 && answer.status < 300 : chosen.statuses.includes(answer.status);
      if (!ok) {
        entry.unexpected++;
        entry.firstUnexpected ??= `${chosen.method ?? 'GET'} ${chosen.path} answered ${answer.status}: ${answer.body.slice(0, 200)}`;
        return;
      }
      entry.latencies.push(answeredAt - dueAt);
      entry.bytes += answer.size;
      if (chosen.awaitVisible !== undefined && Math.random() < followShare) {
        const { revision } = JSON.parse(answer.body) as { revision: number };
        await follow(entry, chosen.awaitVisible, revision, answeredAt);
      }
    } catch (error) {
      entry.errors++;
      entry.firstError ??= `${chosen.method ?? 'GET'} ${chosen.path}: ${(error as Error).message}`;
    }
  };

  const { targets, cumulativeWeights, rate } = request;
  const pick = cumulativeWeights ? () => pickWeighted(cumulativeWeights) : () => Math.floor(Math.random() * targets.length);
  const total = Math.round(rate * request.seconds);
  const intervalMs = 1000 / rate;
  const inFlight: Promise<void>[] = [];
  let sent = 0;
  let maxSendDelayMs = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    // Woken every millisecond at best: sends all that has come due since, each counted from its due time.
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * intervalMs <= now) {
        const dueAt = start + sent * intervalMs;
        maxSendDelayMs = Math.max(maxSendDelayMs, now - dueAt);
        inFlight.push(one(targets[pick()]!, dueAt));
        sent++;
      }
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 1);
  });
  await Promise.all(inFlight);
  agent.destroy();
  const sorted = (values: number[]) => Float64Array.from(values).sort();
  return {
    groups: [...tallies.entries()].map(([group, entry]) => ({
      group,
      latencies: sorted(entry.latencies),
      unexpected: entry.unexpected,
      errors: entry.errors,
      lags: sorted(entry.lags),
      lost: entry.lost,
      polls: entry.polls,
      bytes: entry.bytes,
      ...(entry.firstUnexpected !== undefined ? { firstUnexpected: entry.firstUnexpected } : {}),
      ...(entry.firstError !== undefined ? { firstError: entry.firstError } : {}),
    })),
    seconds: request.seconds,
    sent,
    maxSendDelayMs,
    sockets,
  };
}
