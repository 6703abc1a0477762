import pg from 'pg';
import { validateAppend } from '../append-validation.js';
import { IdempotencyConflictError, WrongExpectedRevisionError } from '../errors.js';
import {
  LOG_START,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type EventStoreHealth,
  type ExpectedRevision,
  type LogCursor,
  type LogPosition,
  type NewEvent,
  type ReadAllOptions,
  type ReadAllPage,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.js';
import { pollingSubscription } from '../polling-subscription.js';
import {
  IDEMPOTENCY_CONFLICT,
  LATEST_SCHEMA_VERSION,
  WRONG_EXPECTED_REVISION,
  assertSchemaName,
  migrateEventStoreSchema,
} from './schema.js';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  /** SQL schema holding the store's tables; lets several stores share one database. */
  readonly schema?: string;
  /** PGlite serves one connection: the embedded mode passes 1. */
  readonly poolSize?: number;
  /**
   * Prepare the hot statements once per connection (default). PGlite's socket server shares
   * one backend session between connections, where named statements collide: pass false.
   */
  readonly namedStatements?: boolean;
}

interface EventRow {
  transaction_id: string;
  position: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

const EVENT_COLUMNS = 'transaction_id, position, stream_id, revision, event_id, type, data, metadata';

/**
 * Event store on PostgreSQL (a server, or embedded PGlite behind a loopback socket).
 * The global log is ordered by (transaction id, position) and read only below the oldest
 * running transaction, so a follower never skips an event that commits late.
 */
export class PostgresEventStore implements EventStore {
  /** `appendMany` is one transaction: any failure rolls back every stream. */
  readonly atomicMultiStream = true;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
    private readonly namedStatements: boolean,
  ) {}

  static async connect(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = assertSchemaName(options.schema ?? 'event_store');
    const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
    // An idle connection that dies (a restart, a terminated backend) is replaced on next use;
    // without a listener the pool's error event would crash the process.
    pool.on('error', () => undefined);
    try {
      await migrateEventStoreSchema(pool, schema);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresEventStore(pool, schema, options.namedStatements ?? true);
  }

  async append(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    validateAppend(streamId, events, expectedRevision);
    return this.appendWith(this.pool, streamId, events, expectedRevision);
  }

  /**
   * One transaction on one connection, calling the same append function per stream; any error
   * (a wrong expected revision, an idempotency conflict, a database error) rolls back all.
   */
  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    for (const { streamId, events, expectedRevision } of appends) validateAppend(streamId, events, expectedRevision, true);
    if (appends.length === 0) return [];
    if (appends.length === 1 && appends[0]!.events.length > 0)
      return [await this.append(appends[0]!.streamId, appends[0]!.events, appends[0]!.expectedRevision)];
    // An import writes dozens of streams: all of them in one statement (one round trip) first.
    // Its error would not say which stream was at fault, so on any error the same appends run
    // again part after part, which refuses with the stream named (or succeeds, as it would have).
    if (appends.every((append) => append.events.length > 0)) {
      try {
        return await this.inOneTransaction(appends, (client) => this.appendAllWith(client, appends));
      } catch {
        // Rolled back; told apart below.
      }
    }
    return this.inOneTransaction(appends, async (client) => {
      const results: AppendResult[] = [];
      for (const { streamId, events, expectedRevision } of appends) {
        results.push(
          events.length === 0
            ? await this.checkWith(client, streamId, expectedRevision)
            : await this.appendWith(client, streamId, events, expectedRevision),
        );
      }
      return results;
    });
  }

  private async inOneTransaction<T>(appends: readonly StreamAppend[], work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let unusable = false;
    try {
      await client.query('begin');
      // Take every stream's lock up front in one order, so two multi-stream appends sharing
      // streams cannot deadlock; the append function takes them again (re-entrant).
      await client.query(
        `select pg_advisory_xact_lock(k.key)
           from (select distinct hashtextextended($1 || s.stream_id, 0) as key
                   from unnest($2::text[]) as s(stream_id)) k
          order by k.key`,
        [`${this.schema}.stream:`, appends.map((append) => append.streamId)],
      );
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => {
        unusable = true;
      });
      throw error;
    } finally {
      // A connection whose rollback failed is not handed out again.
      client.release(unusable || undefined);
    }
  }

  /**
   * The append function once per part, in the parts' order (a nested loop over the array), in one
   * statement: each call is a statement of its own inside the function, so it sees the parts before it.
   */
  private async appendAllWith(client: pg.PoolClient, appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const parts = appends.map(({ streamId, events, expectedRevision }) => {
      const [mode, revision] = typeof expectedRevision === 'number' ? ['exact', expectedRevision] : [expectedRevision, null];
      return { streamId, mode, revision, events: events.map(({ id, type, data, metadata }) => ({ id, type, data, metadata })) };
    });
    const { rows } = await client.query<{ ord: string; out_revision: string; out_transaction_id: string; out_position: string }>({
      name: this.statementName('append-all'),
      text: `select x.ord, r.out_revision, r.out_transaction_id, r.out_position
               from jsonb_array_elements($1::jsonb) with ordinality as x(part, ord)
               cross join lateral ${this.schema}.append_events(
                 x.part->>'streamId', x.part->>'mode', (x.part->>'revision')::bigint, x.part->'events') as r
              order by x.ord`,
      values: [JSON.stringify(parts)],
    });
    if (rows.length !== appends.length) throw new Error(`${rows.length} results for ${appends.length} appends`);
    return rows.map((row) => ({
      nextExpectedRevision: Number(row.out_revision),
      position: encodePosition(row.out_transaction_id, row.out_position),
    }));
  }

  /** A check part: the stream's lock is held (taken up front), so what it reads stays true until commit. */
  private async checkWith(client: pg.PoolClient, streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const { rows } = await client.query<{ revision: string; transaction_id: string; position: string }>(
      `select revision, transaction_id, position from ${this.schema}.events
        where stream_id = $1 order by revision desc limit 1`,
      [streamId],
    );
    const last = rows[0];
    const current = last ? Number(last.revision) : -1;
    const holds =
      expected === 'any' ||
      (expected === 'no_stream' && current === -1) ||
      (expected === 'stream_exists' && current >= 0) ||
      expected === current;
    if (!holds) throw new WrongExpectedRevisionError(streamId, expected, current < 0 ? 'no_stream' : current);
    return {
      nextExpectedRevision: current,
      position: last ? encodePosition(last.transaction_id, last.position) : encodePosition('0', '0'),
    };
  }

  private async appendWith(
    queryable: pg.Pool | pg.PoolClient,
    streamId: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    const [mode, revision] = typeof expectedRevision === 'number' ? ['exact', expectedRevision] : [expectedRevision, null];
    const payload = JSON.stringify(events.map(({ id, type, data, metadata }) => ({ id, type, data, metadata })));
    try {
      const { rows } = await queryable.query<{ out_revision: string; out_transaction_id: string; out_position: string }>({
        name: this.statementName('append'),
        text: `select * from ${this.schema}.append_events($1, $2, $3, $4::jsonb)`,
        values: [streamId, mode, revision, payload],
      });
      const row = rows[0]!;
      return {
        nextExpectedRevision: Number(row.out_revision),
        position: encodePosition(row.out_transaction_id, row.out_position),
      };
    } catch (error) {
      throw translateAppendError(error, streamId, expectedRevision);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<readonly RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `select ${EVENT_COLUMNS} from ${this.schema}.events
        where stream_id = $1 and revision >= $2 order by revision limit $3`,
      [streamId, options.fromRevision ?? 0, options.maxCount ?? null],
    );
    return rows.map(toRecordedEvent);
  }

  async readAll({ after, maxCount, types }: ReadAllOptions): Promise<ReadAllPage> {
    if (types !== undefined) return this.readAllOfTypes(after, maxCount, types);
    const [transactionId, position] = after === LOG_START ? ['0', '0'] : decodePosition(after);
    const { rows } = await this.pool.query<EventRow>({
      name: this.statementName('read-all'),
      text: `select ${EVENT_COLUMNS} from ${this.schema}.events
              where (transaction_id, position) > ($1::xid8, $2::bigint)
                and transaction_id < pg_snapshot_xmin(pg_current_snapshot())
              order by transaction_id, position
              limit $3`,
      values: [transactionId, position, maxCount],
    });
    const events = rows.map(toRecordedEvent);
    return { events, next: events.at(-1)?.position ?? after };
  }

  /**
   * Events of some types, by the type index, and where the log read over ends: one statement, so
   * one snapshot, and the end of what was gone over (`next` when the page is short) holds no
   * event of those types unread. (One round trip: every follower asks this after each append.)
   */
  private async readAllOfTypes(after: LogCursor, maxCount: number, types: readonly string[]): Promise<ReadAllPage> {
    const [transactionId, position] = after === LOG_START ? ['0', '0'] : decodePosition(after);
    const { rows } = await this.pool.query<EventRow & { end_transaction_id: string | null; end_position: string | null }>({
      name: this.statementName('read-all-of-types'),
      text: `with readable as (select pg_snapshot_xmin(pg_current_snapshot()) as below),
                  page as (
                    select ${EVENT_COLUMNS} from ${this.schema}.events, readable
                     where type = any($4::text[])
                       and (transaction_id, position) > ($1::xid8, $2::bigint)
                       and transaction_id < readable.below
                     order by transaction_id, position
                     limit $3),
                  read_over as (
                    select transaction_id, position from ${this.schema}.events, readable
                     where (transaction_id, position) > ($1::xid8, $2::bigint)
                       and transaction_id < readable.below
                     order by transaction_id desc, position desc
                     limit 1)
             select page.*, null::text as end_transaction_id, null::text as end_position from page
             union all
             select null, null, null, null, null, null, null, null, transaction_id::text, position::text
               from read_over where (select count(*) from page) < $3
             order by transaction_id nulls last, position`,
      values: [transactionId, position, maxCount, [...types]],
    });
    const end = rows.at(-1)?.end_transaction_id != null ? rows.pop()! : undefined;
    const events = rows.map(toRecordedEvent);
    const next = end ? encodePosition(end.end_transaction_id!, end.end_position!) : (events.at(-1)?.position ?? after);
    return { events, next };
  }

  async settled(timeoutMs: number): Promise<void> {
    const { rows } = await this.pool.query<{ newest: string | null }>(
      `select max(transaction_id)::text as newest from ${this.schema}.events`,
    );
    const newest = rows[0]?.newest;
    if (newest === null || newest === undefined) return;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows: visible } = await this.pool.query<{ readable: boolean }>(
        'select pg_snapshot_xmin(pg_current_snapshot()) > $1::xid8 as readable',
        [newest],
      );
      if (visible[0]?.readable) return;
      if (Date.now() > deadline)
        throw new Error(`the log did not settle within ${timeoutMs} ms: a transaction elsewhere in the cluster is still running`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return pollingSubscription((after, maxCount) => this.readAll({ after, maxCount }), options);
  }

  /** Named statements are parsed and planned once per connection. */
  private statementName(statement: string): string | undefined {
    return this.namedStatements ? `${this.schema}.${statement}` : undefined;
  }

  async health(): Promise<EventStoreHealth> {
    try {
      const { rows } = await this.pool.query<{ version: number }>(
        `select max(version) as version from ${this.schema}.schema_migrations`,
      );
      const version = rows[0]?.version;
      const ok = version === LATEST_SCHEMA_VERSION;
      return {
        adapter: 'postgres',
        ok,
        detail: ok
          ? `schema "${this.schema}" at version ${version}`
          : `schema "${this.schema}" at version ${version}, expected ${LATEST_SCHEMA_VERSION}`,
      };
    } catch (error) {
      return { adapter: 'postgres', ok: false, detail: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

// Zero-padded so that string order equals (transaction id, position) order.
function encodePosition(transactionId: string, position: string): LogPosition {
  return `${transactionId.padStart(20, '0')}/${position.padStart(19, '0')}` as LogPosition;
}

function decodePosition(cursor: LogCursor): [string, string] {
  const match = /^(\d{20})\/(\d{19})$/.exec(cursor);
  if (!match) throw new Error(`Not a PostgreSQL event store position: "${cursor}"`);
  return [BigInt(match[1]!).toString(), BigInt(match[2]!).toString()];
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    revision: Number(row.revision),
    position: encodePosition(row.transaction_id, row.position),
  };
}

function translateAppendError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (!(error instanceof pg.DatabaseError)) return error;
  if (error.code === WRONG_EXPECTED_REVISION) {
    const actual = Number(error.message);
    return new WrongExpectedRevisionError(streamId, expected, actual < 0 ? 'no_stream' : actual);
  }
  if (error.code === IDEMPOTENCY_CONFLICT) return new IdempotencyConflictError(streamId, error.message);
  // Two different streams racing to write the same new event id.
  if (error.code === '23505' && error.constraint === 'events_event_id_key') {
    return new IdempotencyConflictError(streamId, 'an event id is already used by another append');
  }
  return error;
}
