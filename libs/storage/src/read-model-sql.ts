import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import type { Database } from './database.js';

/** The one way the api reads its tables: SQL text and positional values, rows back. */
export type ReadSql = <Row = Record<string, unknown>>(text: string, values?: readonly unknown[]) => Promise<Row[]>;

export const READ_SQL = Symbol('ReadSql');

/**
 * SQL for the public reads on TypeORM's own pool: one round trip each, and on a server each
 * statement is prepared once per connection (named by a hash of its text), so PostgreSQL neither
 * parses nor plans it again. Not on PGlite: its socket server shares one session between
 * connections, where named statements collide.
 */
export function readSql(dataSource: DataSource, database: Pick<Database, 'mode'>): ReadSql {
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
  return async <Row>(text: string, values: readonly unknown[] = []): Promise<Row[]> => {
    // A query runner lends the pool's pg client: the named statement needs the client's own query().
    const runner = dataSource.createQueryRunner('master');
    try {
      const client: pg.PoolClient = await runner.connect();
      const { rows } = await client.query<Row & pg.QueryResultRow>({
        text,
        values: [...values],
        ...(prepare ? { name: nameOf(text) } : {}),
      });
      return rows;
    } finally {
      await runner.release();
    }
  };
}
