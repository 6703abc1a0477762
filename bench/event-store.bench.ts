/**
 * Event store benchmark: our PostgreSQL adapter against Emmett's PostgreSQL event store and
 * against a plain autocommit INSERT loop, on the same server, in one run, printed as ratios.
 *
 *   npm run bench:event-store
 *
 * Env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres, loopback only),
 * BENCH_SECONDS (measured seconds per system per cell per round, default 3),
 * BENCH_WARMUP_SECONDS (default 0.5), BENCH_ROUNDS (default 2).
 *
 * Emmett runs in a worker thread: its driver (dumbo) installs process-wide `pg` type parsers
 * (int8 -> BigInt, jsonb -> its own parser) that would otherwise change how our store and the
 * baselines parse rows. A worker has its own module graph, so its `pg` is its own.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import {
  LOG_START,
  PostgresEventStore,
  type ExpectedRevision,
  type LogCursor,
  type NewEvent,
} from '../libs/event-store/src/index.js';
import { askWorker, dropDatabase, envNumber, printTable, withDatabase } from './support.js';

// ---------------------------------------------------------------------------------------------
// Shared by the main thread and the Emmett worker
// ---------------------------------------------------------------------------------------------

/** A writer moves to a fresh stream after this many appends, as aggregates are short-lived. */
const APPENDS_PER_STREAM = 10;

interface RunRequest {
  readonly kind: 'run';
  readonly writers: number;
  readonly eventsPerAppend: number;
  readonly warmupMs: number;
  readonly measureMs: number;
}

interface RunResult {
  /** Appends that completed inside the measured window. */
  readonly appends: number;
  readonly seconds: number;
}

type WorkerRequest = { readonly kind: 'migrate' } | RunRequest | { readonly kind: 'exit' };
type WorkerReply = { readonly ok: true; readonly result?: RunResult } | { readonly ok: false; readonly error: string };

const SPEAKERS = ['Ana Pereira (Mobility)', 'Rui Matos (Mayor)', 'Inês Carvalho (Housing)'];

/** ~450 bytes of JSON per event (type + data + metadata), with the full metadata of the port. */
function makeEvent(): NewEvent {
  const speaker = SPEAKERS[Math.floor(Math.random() * SPEAKERS.length)]!;
  return {
    id: randomUUID(),
    type: 'CommitmentMade',
    data: {
      commitmentId: randomUUID(),
      sessionId: 'assembly-2026-11-21',
      speaker,
      summary: 'Phase 2 of the cycle lane network starts in January or February',
      dueBy: '2027-02-28',
    },
    metadata: {
      actor: 'editor:ana',
      occurredAt: '2026-11-21T17:00:00.000Z',
      recordedAt: new Date().toISOString(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      schemaVersion: 1,
    },
  };
}

const makeEvents = (count: number): NewEvent[] => Array.from({ length: count }, makeEvent);
const newStreamId = () => `commitment-${randomUUID()}`;

/**
 * Runs one append closure per writer in a loop for warm-up + measured window and counts the
 * appends that complete inside the measured window. Every loop ends at the deadline.
 */
async function drive(writers: readonly (() => Promise<void>)[], warmupMs: number, measureMs: number): Promise<RunResult> {
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const measureTo = measureFrom + measureMs;
  let appends = 0;
  await Promise.all(
    writers.map(async (appendOnce) => {
      while (performance.now() < measureTo) {
        await appendOnce();
        const done = performance.now();
        if (done >= measureFrom && done <= measureTo) appends += 1;
      }
    }),
  );
  return { appends, seconds: measureMs / 1000 };
}

// ---------------------------------------------------------------------------------------------
// Emmett worker
// ---------------------------------------------------------------------------------------------

async function emmettWorker(connectionString: string): Promise<void> {
  const port = parentPort!;
  const { getPostgreSQLEventStore } = await import('@event-driven-io/emmett-postgresql');
  const { STREAM_DOES_NOT_EXIST } = await import('@event-driven-io/emmett');
  type EmmettEvent = { type: string; data: Record<string, unknown>; metadata: Record<string, unknown> };
  type EmmettExpected = typeof STREAM_DOES_NOT_EXIST | bigint;

  // Same events: Emmett takes the message id from metadata.messageId; the rest is stored as metadata.
  const toEmmett = (event: NewEvent): EmmettEvent => ({
    type: event.type,
    data: event.data,
    metadata: { messageId: event.id, ...event.metadata },
  });

  const migrate = async () => {
    const pool = new pg.Pool({ connectionString, max: 1 });
    const store = getPostgreSQLEventStore(connectionString, { connectionOptions: { pool } });
    try {
      await store.schema.migrate();
    } finally {
      await store.close();
      await pool.end();
    }
  };

  const run = async ({ writers, eventsPerAppend, warmupMs, measureMs }: RunRequest): Promise<RunResult> => {
    const pool = new pg.Pool({ connectionString, max: writers });
    const store = getPostgreSQLEventStore(connectionString, {
      connectionOptions: { pool },
      schema: { autoMigration: 'None' },
    });
    try {
      const closures = Array.from({ length: writers }, () => {
        let streamId = newStreamId();
        // What Emmett's own CommandHandler passes: STREAM_DOES_NOT_EXIST, then the version it read.
        let expected: EmmettExpected = STREAM_DOES_NOT_EXIST;
        let appended = 0;
        return async () => {
          const result = await store.appendToStream<EmmettEvent>(streamId, makeEvents(eventsPerAppend).map(toEmmett), {
            expectedStreamVersion: expected,
          });
          expected = result.nextExpectedStreamVersion;
          if (++appended === APPENDS_PER_STREAM) [streamId, expected, appended] = [newStreamId(), STREAM_DOES_NOT_EXIST, 0];
        };
      });
      return await drive(closures, warmupMs, measureMs);
    } finally {
      await store.close();
      await pool.end();
    }
  };

  port.on('message', (request: WorkerRequest) => {
    if (request.kind === 'exit') {
      port.close();
      return;
    }
    const work = request.kind === 'migrate' ? migrate().then(() => undefined) : run(request);
    work.then(
      (result) => port.postMessage({ ok: true, result } satisfies WorkerReply),
      (error: unknown) =>
        port.postMessage({
          ok: false,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        } satisfies WorkerReply),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Main thread
// ---------------------------------------------------------------------------------------------

type SystemName = 'ours' | 'emmett' | 'plain';

interface Cell {
  readonly writers: number;
  readonly eventsPerAppend: number;
}

const CELLS: readonly Cell[] = [
  { writers: 1, eventsPerAppend: 1 },
  { writers: 1, eventsPerAppend: 10 },
  { writers: 16, eventsPerAppend: 1 },
  { writers: 16, eventsPerAppend: 10 },
];

const PLAIN_SCHEMA = 'plain_log';
const OUR_SCHEMA = 'event_store';
const READ_PAGE = 1000;

class EmmettClient {
  private constructor(private readonly worker: Worker) {}

  static start(connectionString: string): EmmettClient {
    return new EmmettClient(new Worker(new URL(import.meta.url), { workerData: { connectionString } }));
  }

  request(request: Exclude<WorkerRequest, { kind: 'exit' }>): Promise<RunResult | undefined> {
    return askWorker<RunResult | undefined>(this.worker, request, 'Emmett worker');
  }

  async stop(): Promise<void> {
    const exited = once(this.worker, 'exit');
    this.worker.postMessage({ kind: 'exit' } satisfies WorkerRequest);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, 5000, 'timeout')));
    const outcome = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') await this.worker.terminate();
  }
}

async function runOurs(connectionString: string, request: RunRequest): Promise<RunResult> {
  const store = await PostgresEventStore.connect({ connectionString, schema: OUR_SCHEMA, poolSize: request.writers });
  try {
    const closures = Array.from({ length: request.writers }, () => {
      let streamId = newStreamId();
      let expected: ExpectedRevision = 'no_stream';
      let appended = 0;
      return async () => {
        const result = await store.append(streamId, makeEvents(request.eventsPerAppend), expected);
        expected = result.nextExpectedRevision;
        if (++appended === APPENDS_PER_STREAM) [streamId, expected, appended] = [newStreamId(), 'no_stream', 0];
      };
    });
    return await drive(closures, request.warmupMs, request.measureMs);
  } finally {
    await store.close();
  }
}

async function runPlain(connectionString: string, request: RunRequest): Promise<RunResult> {
  const pool = new pg.Pool({ connectionString, max: request.writers });
  const insert = `insert into ${PLAIN_SCHEMA}.events (stream_id, data, metadata) values ($1, $2::jsonb, $3::jsonb)`;
  try {
    const closures = Array.from({ length: request.writers }, () => {
      let streamId = newStreamId();
      let appended = 0;
      return async () => {
        // One autocommit statement per event: a 10-event "append" is 10 commits.
        for (const event of makeEvents(request.eventsPerAppend)) {
          await pool.query(insert, [streamId, JSON.stringify(event.data), JSON.stringify(event.metadata)]);
        }
        if (++appended === APPENDS_PER_STREAM) [streamId, appended] = [newStreamId(), 0];
      };
    });
    return await drive(closures, request.warmupMs, request.measureMs);
  } finally {
    await pool.end();
  }
}

interface ReadTotal {
  readonly events: number;
  readonly seconds: number;
}

/** Reads the whole log of our store via `readAll`. */
async function readOurs(store: PostgresEventStore): Promise<ReadTotal> {
  const start = performance.now();
  let events = 0;
  let after: LogCursor = LOG_START;
  for (;;) {
    const page = await store.readAll({ after, maxCount: READ_PAGE });
    if (page.events.length === 0) break;
    events += page.events.length;
    after = page.next;
  }
  return { events, seconds: (performance.now() - start) / 1000 };
}

/**
 * The baseline: same table, same columns, plain keyset paging along the table's key
 * (transaction_id, position), without the commit-safety filter or the row mapping.
 */
async function readPlain(pool: pg.Pool): Promise<ReadTotal> {
  const start = performance.now();
  let events = 0;
  let after = ['0', '0'];
  for (;;) {
    const { rows } = await pool.query<{ transaction_id: string; position: string }>(
      `select transaction_id, position, stream_id, revision, event_id, type, data, metadata
         from ${OUR_SCHEMA}.events where (transaction_id, position) > ($1::xid8, $2::bigint)
        order by transaction_id, position limit $3`,
      [...after, READ_PAGE],
    );
    if (rows.length === 0) break;
    events += rows.length;
    after = [rows.at(-1)!.transaction_id, rows.at(-1)!.position];
  }
  return { events, seconds: (performance.now() - start) / 1000 };
}

const add = (a: ReadTotal, b: ReadTotal): ReadTotal => ({ events: a.events + b.events, seconds: a.seconds + b.seconds });
const fmtInt = (value: number) => Math.round(value).toLocaleString('en-US');
const fmtRatio = (value: number) => `${value.toFixed(2)}×`;

async function main(): Promise<void> {
  const baseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const host = new URL(baseUrl).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`DATABASE_URL must point at 127.0.0.1, not "${host}"`);
  const seconds = envNumber('BENCH_SECONDS', 3);
  const warmupSeconds = envNumber('BENCH_WARMUP_SECONDS', 0.5);
  const rounds = Math.max(1, Math.round(envNumber('BENCH_ROUNDS', 2)));

  const database = `bench_event_store_${randomBytes(6).toString('hex')}`;
  const scratchUrl = withDatabase(baseUrl, database);
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  let emmett: EmmettClient | undefined;
  let control: pg.Pool | undefined;
  try {
    await admin.query(`create database ${database}`);
    control = new pg.Pool({ connectionString: scratchUrl, max: 1 });
    const setting = async (name: string) =>
      (await control!.query<{ value: string }>(`select current_setting($1) as value`, [name])).rows[0]!.value;

    await control.query(`create schema ${PLAIN_SCHEMA}`);
    await control.query(`
      create table ${PLAIN_SCHEMA}.events (
        id bigserial primary key,
        stream_id text not null,
        data jsonb not null,
        metadata jsonb not null
      )`);
    await (await PostgresEventStore.connect({ connectionString: scratchUrl, schema: OUR_SCHEMA, poolSize: 1 })).close();
    emmett = EmmettClient.start(scratchUrl);
    await emmett.request({ kind: 'migrate' });

    const sample = makeEvent();
    const eventBytes = Buffer.byteLength(JSON.stringify({ type: sample.type, data: sample.data, metadata: sample.metadata }));
    console.log('Event store benchmark');
    console.log(
      `  Node ${process.version}, PostgreSQL ${await setting('server_version')} at ${host}, scratch database ${database}`,
    );
    console.log(
      `  synchronous_commit=${await setting('synchronous_commit')}, fsync=${await setting('fsync')}, ` +
        `wal_sync_method=${await setting('wal_sync_method')}, commit_delay=${await setting('commit_delay')}`,
    );
    console.log(
      `  cell duration ${seconds}s measured after ${warmupSeconds}s warm-up, per system per round; ${rounds} round(s), ` +
        `system order rotated; CHECKPOINT before every run`,
    );
    console.log(
      `  pool size = writers; event ≈ ${eventBytes} bytes JSON (type+data+metadata); each writer appends to its own ` +
        `streams, ${APPENDS_PER_STREAM} appends per stream, exact expected revisions`,
    );
    console.log(`  plain = autocommit single-row INSERT per event into ${PLAIN_SCHEMA}.events (10-event append = 10 commits)`);
    console.log('');

    const totals = new Map<string, { appends: number; seconds: number }>();
    const keyOf = (system: SystemName, cell: Cell) => `${system}:${cell.writers}x${cell.eventsPerAppend}`;
    const systems: readonly SystemName[] = ['ours', 'emmett', 'plain'];
    for (let round = 0; round < rounds; round++) {
      for (const [cellIndex, cell] of CELLS.entries()) {
        const request: RunRequest = {
          kind: 'run',
          writers: cell.writers,
          eventsPerAppend: cell.eventsPerAppend,
          warmupMs: warmupSeconds * 1000,
          measureMs: seconds * 1000,
        };
        const shift = (cellIndex + round) % systems.length;
        for (const system of [...systems.slice(shift), ...systems.slice(0, shift)]) {
          await control.query('checkpoint');
          const result =
            system === 'ours'
              ? await runOurs(scratchUrl, request)
              : system === 'plain'
                ? await runPlain(scratchUrl, request)
                : (await emmett.request(request))!;
          const total = totals.get(keyOf(system, cell)) ?? { appends: 0, seconds: 0 };
          totals.set(keyOf(system, cell), { appends: total.appends + result.appends, seconds: total.seconds + result.seconds });
          process.stderr.write(
            `  round ${round + 1}/${rounds}  ${cell.writers}w×${cell.eventsPerAppend}ev  ${system.padEnd(6)} ` +
              `${fmtInt(result.appends / result.seconds)} appends/s\n`,
          );
        }
      }
    }
    await emmett.stop();
    emmett = undefined;

    const rate = (system: SystemName, cell: Cell) => {
      const total = totals.get(keyOf(system, cell))!;
      return total.appends / total.seconds;
    };
    const ratios = CELLS.map((cell) => ({
      cell,
      vsEmmett: rate('ours', cell) / rate('emmett', cell),
      vsPlain: rate('ours', cell) / rate('plain', cell),
    }));

    console.log('');
    console.log('Appends (absolute appends/s and events/s; ratios of appends/s, which equal ratios of events/s)');
    printTable(
      [
        'cell',
        'ours app/s',
        'ours ev/s',
        'emmett app/s',
        'emmett ev/s',
        'plain app/s',
        'plain ev/s',
        'ours÷emmett',
        'ours÷plain',
      ],
      ratios.map(({ cell, vsEmmett, vsPlain }) => [
        `${cell.writers} writer${cell.writers > 1 ? 's' : ''} × ${cell.eventsPerAppend} event${cell.eventsPerAppend > 1 ? 's' : ''}`,
        fmtInt(rate('ours', cell)),
        fmtInt(rate('ours', cell) * cell.eventsPerAppend),
        fmtInt(rate('emmett', cell)),
        fmtInt(rate('emmett', cell) * cell.eventsPerAppend),
        fmtInt(rate('plain', cell)),
        fmtInt(rate('plain', cell) * cell.eventsPerAppend),
        fmtRatio(vsEmmett),
        fmtRatio(vsPlain),
      ]),
    );

    // Global-log read of everything our store wrote. VACUUM first so that neither reader pays
    // for setting hint bits, then one untimed pass of each, then alternating timed passes.
    await control.query(`vacuum (analyze) ${OUR_SCHEMA}.events`);
    const { rows: countRows } = await control.query<{ count: string }>(`select count(*) as count from ${OUR_SCHEMA}.events`);
    const stored = Number(countRows[0]!.count);
    const readPasses = Math.max(rounds, 2);
    const store = await PostgresEventStore.connect({ connectionString: scratchUrl, schema: OUR_SCHEMA, poolSize: 1 });
    const readPool = new pg.Pool({ connectionString: scratchUrl, max: 1 });
    let ourRead: ReadTotal = { events: 0, seconds: 0 };
    let plainRead: ReadTotal = { events: 0, seconds: 0 };
    try {
      await readOurs(store);
      await readPlain(readPool);
      for (let pass = 0; pass < readPasses; pass++) {
        const readers = [
          async () => (ourRead = add(ourRead, await readOurs(store))),
          async () => (plainRead = add(plainRead, await readPlain(readPool))),
        ];
        if (pass % 2 === 1) readers.reverse();
        for (const reader of readers) await reader();
      }
    } finally {
      await store.close();
      await readPool.end();
    }
    if (ourRead.events !== stored * readPasses || plainRead.events !== stored * readPasses) {
      throw new Error(
        `Reads returned ${ourRead.events} / ${plainRead.events} events over ${readPasses} passes; the log holds ${stored}`,
      );
    }
    const ourReadRate = ourRead.events / ourRead.seconds;
    const plainReadRate = plainRead.events / plainRead.seconds;
    console.log('');
    console.log(
      `Global-log read (${fmtInt(stored)} events written by our store, pages of ${READ_PAGE}, ${readPasses} timed passes each)`,
    );
    printTable(
      ['reader', 'events/s', 'ratio'],
      [
        ['ours: readAll', fmtInt(ourReadRate), fmtRatio(ourReadRate / plainReadRate)],
        ['baseline: plain keyset select by (transaction_id, position)', fmtInt(plainReadRate), fmtRatio(1)],
      ],
    );

    const sixteen = ratios.filter(({ cell }) => cell.writers === 16);
    const emmettTarget = sixteen.every(({ vsEmmett }) => vsEmmett >= 1.5);
    const plainTarget = ratios.every(({ vsPlain }) => vsPlain >= 0.5);
    const list = (items: typeof ratios, pick: (r: (typeof ratios)[number]) => number) =>
      items.map((r) => `${r.cell.writers}×${r.cell.eventsPerAppend}: ${fmtRatio(pick(r))}`).join(', ');
    console.log('');
    console.log('Targets');
    console.log(`  ≥1.5× emmett at 16 writers: ${emmettTarget ? 'MET' : 'NOT MET'} (${list(sixteen, (r) => r.vsEmmett)})`);
    console.log(`  ≥0.5× plain INSERT loop:    ${plainTarget ? 'MET' : 'NOT MET'} (${list(ratios, (r) => r.vsPlain)})`);
  } finally {
    await emmett?.stop();
    await control?.end();
    await dropDatabase(admin, database);
    await admin.end();
  }
}

if (isMainThread) {
  try {
    await main();
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
} else {
  await emmettWorker((workerData as { connectionString: string }).connectionString);
}
