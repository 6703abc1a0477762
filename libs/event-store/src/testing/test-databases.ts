import pg from 'pg';
import { randomUUID } from 'node:crypto';
import type { AppendHold } from './event-store.contract.js';

/**
 * Where the integration suites find real servers. Tests are the one place besides the
 * boot config that read the environment. In CI a missing server fails the run rather
 * than quietly skipping the suite that needs it.
 */
export function serverForTests(variable: 'DATABASE_URL' | 'EVENTSTORE_CONNECTION_STRING'): {
  url?: string;
  unavailable?: string;
} {
  const url = process.env[variable]?.trim();
  if (url) return { url };
  if (process.env.CI === 'true' && variable === 'DATABASE_URL') {
    throw new Error('CI=true but DATABASE_URL is not set: the PostgreSQL suites must run in CI');
  }
  return { unavailable: `${variable} is not set` };
}

export const isolatedSchemaName = (purpose: string) => `${purpose}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

/**
 * Holds every append to `streamId` inside its transaction, after its row is inserted (so it
 * has its transaction id and sequence value), until `release()`: a trigger waits on an
 * advisory lock that a separate session holds.
 */
export async function holdPostgresAppends(url: string, schema: string, streamId: string): Promise<AppendHold> {
  const lockKey = Math.floor(Math.random() * 2 ** 30);
  const session = new pg.Client({ connectionString: url });
  await session.connect();
  await session.query(`
    create or replace function ${schema}.hold_appends_for_test() returns trigger language plpgsql as $$
    begin
      if new.stream_id = ${pg.escapeLiteral(streamId)} then perform pg_advisory_xact_lock(${lockKey}); end if;
      return new;
    end $$`);
  await session.query(`create trigger hold_appends_for_test after insert on ${schema}.events
                       for each row execute function ${schema}.hold_appends_for_test()`);
  await session.query('select pg_advisory_lock($1)', [lockKey]);
  let released = false;
  return {
    untilAppendIsHeld: async () => {
      for (;;) {
        const { rows } = await session.query<{ waiting: string }>(
          `select count(*) as waiting from pg_locks where locktype = 'advisory' and not granted and objid = $1`,
          [lockKey],
        );
        if (Number(rows[0]!.waiting) > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    release: async () => {
      if (released) return;
      released = true;
      await session.query('select pg_advisory_unlock($1)', [lockKey]);
      await session.query(`drop trigger hold_appends_for_test on ${schema}.events`);
      await session.end();
    },
  };
}

/**
 * Makes the database refuse every append to `streamId` (a trigger raises on its insert), as a
 * failing disk or a broken constraint would, until `remove()`. For proving that a multi-stream
 * append that fails on a later stream leaves the earlier ones unwritten.
 */
export async function failPostgresAppends(url: string, schema: string, streamId: string): Promise<{ remove(): Promise<void> }> {
  const name = `fail_appends_for_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const session = new pg.Client({ connectionString: url });
  await session.connect();
  try {
    await session.query(`
      create function ${schema}.${name}() returns trigger language plpgsql as $$
      begin
        if new.stream_id = ${pg.escapeLiteral(streamId)} then
          raise exception 'test: appends to % are refused', new.stream_id;
        end if;
        return new;
      end $$`);
    await session.query(
      `create trigger ${name} before insert on ${schema}.events for each row execute function ${schema}.${name}()`,
    );
  } finally {
    await session.end();
  }
  return {
    remove: async () => {
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      try {
        await cleanup.query(`drop trigger if exists ${name} on ${schema}.events`);
        await cleanup.query(`drop function if exists ${schema}.${name}()`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
