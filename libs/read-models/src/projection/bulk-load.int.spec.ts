import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { openEmbeddedPostgres, type EmbeddedPostgres } from '#event-store';
import { openBulkLoader } from './bulk-load.js';
import { fromRow, type ColumnMap } from './json-rows.js';
import type { Sql } from './projection.js';

/** On PostgreSQL (COPY) in a schema of its own when DATABASE_URL is set, else on in-memory PGlite (INSERT). */
async function openDatabase(): Promise<{
  dataSource: DataSource;
  server: boolean;
  /** Another DataSource on the same database, with a pool of one connection. */
  single: () => Promise<DataSource>;
  close: () => Promise<void>;
}> {
  const url = process.env.DATABASE_URL?.trim();
  const schema = `bulk_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  let embedded: EmbeddedPostgres | undefined;
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.end();
  } else embedded = await openEmbeddedPostgres('memory://');
  const open = async (max: number) =>
    new DataSource({
      type: 'postgres',
      url: url ?? embedded!.connectionString,
      extra: url ? { max, options: `-c search_path=${schema}` } : { max: 1 },
    }).initialize();
  const dataSource = await open(2);
  return {
    dataSource,
    server: url !== undefined,
    single: () => open(1),
    close: async () => {
      if (url) await dataSource.query(`drop schema ${schema} cascade`);
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}

interface Sample {
  readonly id: string;
  readonly text: string | null;
  readonly tags: readonly string[];
  readonly day: string | null;
  readonly at: string;
  readonly count: number;
  readonly flag: boolean;
  readonly extra: unknown;
}

const columns: ColumnMap<Sample> = [
  ['id', 'id', 'text'],
  ['text', 'body', 'text'],
  ['tags', 'tags', 'text[]'],
  ['day', 'day', 'date'],
  ['at', 'at', 'timestamptz'],
  ['count', 'count', 'int'],
  ['flag', 'flag', 'boolean'],
  ['extra', 'extra', 'jsonb'],
];

// Everything COPY's text format or an array literal treats specially, as data.
const awkward: Sample[] = [
  {
    id: 'a',
    text: 'tab\there, newline\nthere, return\r, backslash \\ and \\N and \\t',
    tags: ['comma, inside', '{braces}', '"quoted"', 'back\\slash', 'NULL', '', ' padded '],
    day: '2026-02-28',
    at: '2026-02-28T23:59:59.999Z',
    count: -7,
    flag: true,
    extra: { nested: ['x\ty', 'back\\slash', null], quote: '"' },
  },
  { id: 'b', text: null, tags: [], day: null, at: '2020-01-01T00:00:00.000Z', count: 0, flag: false, extra: null },
  {
    id: 'c',
    text: '',
    tags: ['ünïcödé ✓', 'tab\tand\nnewline'],
    day: '1999-12-31',
    at: '1999-12-31T12:00:00.000Z',
    count: 2 ** 31 - 1,
    flag: false,
    extra: 'plain',
  },
];

describe('bulk loading a rebuild’s rows', () => {
  let database: Awaited<ReturnType<typeof openDatabase>>;
  beforeAll(async () => {
    database = await openDatabase();
  });
  afterAll(() => database.close());

  it('stores every value as given, in batches across both tables, by COPY on a server and INSERT on PGlite', async () => {
    const { dataSource } = database;
    for (const table of ['samples_one', 'samples_two']) {
      await dataSource.query(
        `create table ${table} (id text, body text, tags text[] not null, day date, at timestamptz not null,
                                count int not null, flag boolean not null, extra jsonb)`,
      );
    }
    const loader = await openBulkLoader(dataSource);
    expect(loader.method).toBe(database.server ? 'copy' : 'insert');
    const many = Array.from({ length: 5000 }, (_, i) => ({ ...awkward[i % 3]!, id: `m${i}` }));
    try {
      await dataSource.transaction(async (manager) => {
        const sql: Sql = (text, parameters) => manager.query(text, parameters as unknown[]);
        const write = loader.writer(sql);
        await write('samples_one', columns, awkward);
        await write('samples_one', columns, many);
        await write('samples_two', columns, awkward);
      });
      await loader.flush();
    } finally {
      await loader.close();
    }

    const read = async (table: string) =>
      (
        (await dataSource.query(`select id, body, tags, day, at, count, flag, extra from ${table} order by id`)) as Record<
          string,
          unknown
        >[]
      ).map((row) => fromRow(columns, row));
    const byId = (rows: readonly Sample[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(await read('samples_one')).toEqual(byId([...awkward, ...many]));
    expect(await read('samples_two')).toEqual(byId(awkward));
    expect(loader.copied).toEqual(database.server ? new Set(['samples_one', 'samples_two']) : new Set());
  });

  it('writes by INSERT where COPY would hold the only connection of the pool', async () => {
    const single = await database.single();
    try {
      await single.query(`create table samples_single (id text, body text, tags text[] not null, day date,
                          at timestamptz not null, count int not null, flag boolean not null, extra jsonb)`);
      const loader = await openBulkLoader(single);
      expect(loader.method).toBe('insert');
      await single.transaction((manager) =>
        loader.writer((text, parameters) => manager.query(text, parameters as unknown[]))('samples_single', columns, awkward),
      );
      await loader.close();
      expect(await single.query('select count(*)::int as count from samples_single')).toEqual([{ count: awkward.length }]);
    } finally {
      await single.destroy();
    }
  });

  it('reports a row the table refuses, and stores nothing of that COPY', async () => {
    const { dataSource } = database;
    await dataSource.query(`create table samples_strict (id text primary key, body text, tags text[] not null, day date,
                            at timestamptz not null, count int not null, flag boolean not null, extra jsonb)`);
    const loader = await openBulkLoader(dataSource);
    try {
      await expect(
        (async () => {
          await dataSource.transaction(async (manager) => {
            const write = loader.writer((text, parameters) => manager.query(text, parameters as unknown[]));
            await write('samples_strict', columns, [awkward[0]!, awkward[0]!]);
          });
          await loader.flush();
        })(),
      ).rejects.toThrow(/duplicate key/);
    } finally {
      await loader.close();
    }
    expect(await dataSource.query('select count(*)::int as count from samples_strict')).toEqual([{ count: 0 }]);
  });
});
