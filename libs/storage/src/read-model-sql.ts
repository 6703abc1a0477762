import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import type { Database } from './database.js';

export type ReadModelQuery = <Row>(text: string, values: readonly unknown[]) => Promise<Row[]>;

/**
 * SQL for the hot public reads, straight on TypeORM's own `pg` pool: one round trip each, and
 * on a server each statement is prepared once per connection (named by a hash of its text),
 * so PostgreSQL neither parses nor plans it again. Not on PGlite: its socket server shares one
 * session between connections, where named statements collide.
 */
export function readModelQuery(dataSource: DataSource, database: Pick<Database, 'mode'>): ReadModelQuery {
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
  return async <Row>(text: string, values: readonly unknown[]) => {
    // TypeORM's postgres driver keeps its pool as `master`, there once the DataSource is initialised.
    const pool = (dataSource.driver as unknown as { master: pg.Pool }).master;
    const { rows } = await pool.query({ text, values: [...values], ...(prepare ? { name: nameOf(text) } : {}) });
    return rows as Row[];
  };
}
