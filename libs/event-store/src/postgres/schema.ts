import type pg from 'pg';

/**
 * Versioned schema of the PostgreSQL event store. Migrations are append-only: a released
 * migration is never edited, a change is a new entry.
 */
interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: (schema: string) => string;
}

export const WRONG_EXPECTED_REVISION = 'ES001';
export const IDEMPOTENCY_CONFLICT = 'ES002';

const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'events and the append function',
    sql: (s) => `
      create table ${s}.events (
        position bigint generated always as identity,
        -- Commit-safe cursor: readers order by (transaction_id, position) and never read
        -- at or past the oldest transaction still running, so none commits "behind" them.
        -- The key is that pair, so the log order needs no index of its own.
        transaction_id xid8 not null default pg_current_xact_id(),
        stream_id text not null,
        revision bigint not null,
        event_id uuid not null,
        type text not null,
        data jsonb not null,
        metadata jsonb not null,
        stored_at timestamptz not null default now(),
        constraint events_log_order primary key (transaction_id, position),
        constraint events_stream_revision_key unique (stream_id, revision),
        constraint events_event_id_key unique (event_id)
      );

      -- One round trip per append; a transaction-scoped advisory lock on the stream name
      -- serialises its writers (a hash collision only makes two streams wait for each other).
      -- Returns the stream's last revision and the log cursor of the last event appended
      -- (or, for an idempotent retry, of the events written before).
      create function ${s}.append_events(
        p_stream_id text,
        p_expected text,
        p_expected_revision bigint,
        p_events jsonb
      ) returns table (out_revision bigint, out_transaction_id xid8, out_position bigint)
      language plpgsql as $fn$
      declare
        v_count int := jsonb_array_length(p_events);
        -- An array, not a join against the JSON: the planner then probes the event id index
        -- instead of guessing 100 rows and scanning the table on a young log.
        v_ids uuid[] := array(select (x.event->>'id')::uuid from jsonb_array_elements(p_events) as x(event));
        v_current bigint;
        v_matches int;
        v_first bigint;
        v_in_order boolean;
      begin
        perform pg_advisory_xact_lock(hashtextextended('${s}.stream:' || p_stream_id, 0));
        -- Read after the lock: a writer that held it has committed, and this statement sees it.
        select coalesce(max(e.revision), -1) into v_current from ${s}.events e where e.stream_id = p_stream_id;

        -- Idempotency, as EventStoreDB does it: the same events at the same place succeed
        -- and write nothing; any other overlap with earlier events is an error.
        select count(*), min(e.revision),
               count(distinct e.revision - array_position(v_ids, e.event_id)) = 1 and bool_and(e.stream_id = p_stream_id)
          into v_matches, v_first, v_in_order
          from ${s}.events e
         where e.event_id = any(v_ids);

        if v_matches > 0 then
          if v_matches < v_count or not v_in_order then
            raise exception using errcode = '${IDEMPOTENCY_CONFLICT}',
              message = format('%s of %s event ids were written before, not as this same append', v_matches, v_count);
          end if;
          if (p_expected = 'exact' and v_first <> p_expected_revision + 1)
             or (p_expected = 'no_stream' and v_first <> 0) then
            raise exception using errcode = '${WRONG_EXPECTED_REVISION}', message = v_current::text;
          end if;
          return query
            select v_current, e.transaction_id, e.position
              from ${s}.events e
             where e.stream_id = p_stream_id and e.revision = v_first + v_count - 1;
          return;
        end if;

        if (p_expected = 'no_stream' and v_current <> -1)
           or (p_expected = 'stream_exists' and v_current = -1)
           or (p_expected = 'exact' and v_current <> p_expected_revision) then
          raise exception using errcode = '${WRONG_EXPECTED_REVISION}', message = v_current::text;
        end if;

        return query
          with inserted as (
            insert into ${s}.events (stream_id, revision, event_id, type, data, metadata)
            select p_stream_id, v_current + x.ord, (x.event->>'id')::uuid, x.event->>'type',
                   x.event->'data', x.event->'metadata'
              from jsonb_array_elements(p_events) with ordinality as x(event, ord)
             order by x.ord
            returning events.transaction_id, events.position
          )
          select v_current + v_count, i.transaction_id, max(i.position)
            from inserted i group by i.transaction_id;
      end
      $fn$;
    `,
  },
  {
    version: 2,
    name: 'events by type, in log order',
    // A projection reads only the types it handles: a rebuild of 300 sessions among a million
    // events reads those 300 rows, not the million.
    sql: (s) => `create index events_type_log_order on ${s}.events (type, transaction_id, position);`,
  },
];

export const LATEST_SCHEMA_VERSION = migrations.at(-1)!.version;

/** Every statement the migrations run in `schema`, in order: what a kept copy of it depends on. */
export function eventStoreSchemaText(schema: string): string {
  return migrations.map((migration) => `-- ${migration.version} ${migration.name}\n${migration.sql(schema)}`).join('\n');
}

/** Creates or upgrades the schema; safe to call from several processes at once. */
export async function migrateEventStoreSchema(pool: pg.Pool, schema: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    // Serialise concurrent boots; the lock is released with the transaction.
    await client.query(`select pg_advisory_xact_lock(hashtext($1))`, [`event-store-migrate:${schema}`]);
    await client.query(`create schema if not exists ${schema}`);
    await client.query(`
      create table if not exists ${schema}.schema_migrations (
        version int primary key,
        name text not null,
        applied_at timestamptz not null default now()
      )`);
    const { rows } = await client.query<{ version: number }>(
      `select coalesce(max(version), 0) as version from ${schema}.schema_migrations`,
    );
    const applied = rows[0]!.version;
    if (applied > LATEST_SCHEMA_VERSION) {
      throw new Error(`Event store schema "${schema}" is at version ${applied}, newer than this code (${LATEST_SCHEMA_VERSION})`);
    }
    for (const migration of migrations.filter((m) => m.version > applied)) {
      await client.query(migration.sql(schema));
      await client.query(`insert into ${schema}.schema_migrations (version, name) values ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): string {
  if (!IDENTIFIER.test(schema)) throw new Error(`Event store schema name "${schema}" must be a lower-case SQL identifier`);
  return schema;
}
