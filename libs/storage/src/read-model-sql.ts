import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import type { Database } from './database.js';

/** The one way the api reads its tables: SQL text and positional values, rows back. */
export type ReadSql = <Row = Record<string, unknown>>(text: string, values?: readonly unknown[]) => Promise<Row[]>;

export const READ_SQL = Symbol('ReadSql');

/** The streaming replica the public reads are served from (READ_DATABASE_URL), or null: they read the primary. */
export interface ReadReplica {
  readonly pool: pg.Pool;
}

export const READ_REPLICA = Symbol('ReadReplica');

/**
 * SQL for the public reads on TypeORM's own pool: one round trip each, and on a server each
 * statement is prepared once per connection (named by a hash of its text), so PostgreSQL neither
 * parses nor plans it again. Not on PGlite: its socket server shares one session between
 * connections, where named statements collide.
 */
export function readSql(dataSource: DataSource, database: Pick<Database, 'mode'>, replica: ReadReplica | null = null): ReadSql {
  const prepare = database.mode === 'server';
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (name === undefined) {
      name = `read-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
      names.set(text, name);
    }
    return name;
  };
  const query = async <Row>(client: pg.PoolClient, text: string, values: readonly unknown[]): Promise<Row[]> => {
    const { rows } = await client.query<Row & pg.QueryResultRow>({
      text,
      values: [...values],
      ...(prepare ? { name: nameOf(text) } : {}),
    });
    return rows;
  };
  if (replica) {
    return async <Row>(text: string, values: readonly unknown[] = []): Promise<Row[]> => {
      const client = await replica.pool.connect();
      try {
        return await query<Row>(client, text, values);
      } finally {
        client.release();
      }
    };
  }
  return async <Row>(text: string, values: readonly unknown[] = []): Promise<Row[]> => {
    // A query runner lends the pool's pg client: the named statement needs the client's own query().
    const runner = dataSource.createQueryRunner('master');
    try {
      return await query<Row>((await runner.connect()) as pg.PoolClient, text, values);
    } finally {
      await runner.release();
    }
  };
}
