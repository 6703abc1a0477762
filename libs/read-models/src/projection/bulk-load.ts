import type { Writable } from 'node:stream';
import { once } from 'node:events';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import { upsertRows, type ColumnMap } from './json-rows.js';
import type { Sql } from './projection.js';

/** Appends rows to a table nobody else writes (a rebuild's shadow); each row once, no key checks. */
export type WriteRows = <Row>(table: string, columns: ColumnMap<Row>, rows: readonly Row[]) => Promise<void>;

/**
 * How a rebuild loads its shadow tables. On a PostgreSQL server: COPY on a connection of its own,
 * one stream per table kept open across batches, so the server parses and stores a batch while
 * the next one is folded. On PGlite, whose socket server does not relay COPY FROM STDIN (the
 * connection dies) and which is one session anyway, or with a pool of one connection: multi-row
 * INSERTs in the caller's transaction.
 */
export interface BulkLoader {
  readonly method: 'copy' | 'insert';
  /** Tables it has streamed rows into (COPY only): complete once `flush` returns, unless written again. */
  readonly copied: ReadonlySet<string>;
  /** The writer for one transaction of the rebuild; `sql` runs in that transaction. */
  writer(sql: Sql): WriteRows;
  /** Ends any open COPY: every row written so far is then stored and committed. */
  flush(): Promise<void>;
  /** Frees its connection; after a failure, abandons the COPY in flight. */
  close(): Promise<void>;
}

const ROWS_PER_INSERT = 20_000;
/** Rows are encoded and sent in pieces of about this size, so memory stays flat. */
const CHUNK_ROWS = 2_000;

export async function openBulkLoader(dataSource: DataSource): Promise<BulkLoader> {
  const [{ version }] = (await dataSource.query('select version() as version')) as [{ version: string }];
  const { options } = dataSource;
  if (options.type !== 'postgres') throw new Error(`A rebuild needs PostgreSQL, not ${options.type}`);
  // COPY holds a connection for the whole replay while the rebuild's transactions need another.
  const poolSize = Number(options.extra?.max ?? options.poolSize ?? DEFAULT_POOL_SIZE);
  if (version.includes('PGlite') || poolSize < 2) return insertLoader();
  // COPY needs a pg client of its own: one more connection, to the same database with the same settings.
  return copyLoader(
    () =>
      new pg.Client({
        connectionString: options.url,
        host: options.host,
        port: options.port,
        user: options.username,
        password: typeof options.password === 'string' ? options.password : undefined,
        database: options.database,
        ssl: options.ssl,
        ...options.extra,
      }),
  );
}

/** pg's own default pool size, which TypeORM keeps unless told otherwise. */
const DEFAULT_POOL_SIZE = 10;

function insertLoader(): BulkLoader {
  return {
    method: 'insert',
    copied: new Set(),
    writer: (sql) => async (table, columns, rows) => {
      for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
        await upsertRows(sql, table, columns, rows.slice(start, start + ROWS_PER_INSERT), null);
      }
    },
    flush: async () => undefined,
    close: async () => undefined,
  };
}

function copyLoader(connect: () => pg.Client): BulkLoader {
  let client: pg.Client | undefined;
  let open: { table: string; stream: Writable; done: Promise<void> } | undefined;
  let failure: unknown;
  const copied = new Set<string>();

  const end = async () => {
    if (!open) return;
    const { stream, done } = open;
    open = undefined;
    stream.end();
    await done;
  };

  const write: WriteRows = async (table, columns, rows) => {
    if (failure) throw failure;
    if (rows.length === 0) return;
    if (open?.table !== table) {
      await end();
      if (!client) {
        const opened = connect();
        await opened.connect();
        client = opened;
      }
      const stream = client.query(copyFrom(`copy ${table} (${columns.map(([, column]) => column).join(', ')}) from stdin`));
      const done = new Promise<void>((resolve, reject) => {
        stream.on('finish', resolve);
        stream.on('error', reject);
      });
      // Remembered for the next write: a COPY that fails mid-stream reports it there.
      done.catch((error: unknown) => (failure = error));
      open = { table, stream, done };
      copied.add(table);
    }
    const { stream, done } = open!;
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      const chunk = copyText(columns, rows.slice(start, start + CHUNK_ROWS));
      if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), done]);
      if (failure) throw failure;
    }
  };

  return {
    method: 'copy',
    copied,
    writer: () => write,
    flush: async () => {
      await end();
      if (failure) throw failure;
    },
    close: async () => {
      open?.stream.destroy(new Error('rebuild abandoned'));
      open = undefined;
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}

/**
 * Rows in COPY's text format: tab-separated columns, `\N` for null, one line per row. Fields and
 * lines are joined, not appended: a flat string, which Node encodes for the socket in one pass.
 */
export function copyText<Row>(columns: ColumnMap<Row>, rows: readonly Row[]): string {
  const fields = columns.map(([field]) => field);
  const encoders = columns.map(([, , type]) => encoderFor(type));
  const count = fields.length;
  const lines = new Array<string>(rows.length + 1);
  const parts = new Array<string>(count);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let i = 0; i < count; i++) {
      const value = row[fields[i]!];
      parts[i] = value === null || value === undefined ? '\\N' : encoders[i]!(value);
    }
    lines[r] = parts.join('\t');
  }
  lines[rows.length] = '';
  return lines.join('\n');
}

function encoderFor(type: string): (value: unknown) => string {
  if (type.endsWith('[]')) return (value) => escapeCopy(arrayLiteral(value as readonly unknown[]));
  if (type === 'json' || type === 'jsonb') return (value) => escapeCopy(JSON.stringify(value));
  // What a column of the type mostly holds first, each encoder small enough to stay inlined.
  if (type === 'int') return (value) => (typeof value === 'number' ? String(value) : anyValue(value));
  if (type === 'boolean') return (value) => (value === true ? 't' : value === false ? 'f' : anyValue(value));
  return (value) => (typeof value === 'string' ? escapeCopy(value) : anyValue(value));
}

function anyValue(value: unknown): string {
  return typeof value === 'string'
    ? escapeCopy(value)
    : value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? escapeCopy(JSON.stringify(value))
        : String(value);
}

const ARRAY_SPECIALS = /["\\]/;

/** `{"a","b"}`: every element quoted, so commas, braces, blanks and the word NULL stay text. */
function arrayLiteral(items: readonly unknown[]): string {
  let literal = '{';
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (i > 0) literal += ',';
    if (item === null || item === undefined) {
      literal += 'NULL';
      continue;
    }
    const text = String(item);
    literal += `"${ARRAY_SPECIALS.test(text) ? text.replace(/["\\]/g, '\\$&') : text}"`;
  }
  return `${literal}}`;
}

const COPY_SPECIALS = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Backslash, tab, newline and carriage return are the characters COPY's text format reserves. */
function escapeCopy(text: string): string {
  return COPY_SPECIALS.test(text) ? text.replace(/[\\\t\n\r]/g, (character) => COPY_ESCAPES[character]!) : text;
}
