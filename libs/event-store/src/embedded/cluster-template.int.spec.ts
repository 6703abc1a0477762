import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openEmbeddedPostgres } from './embedded-postgres.js';

/** What tells one cluster from another: databases, roles, schemas, catalog size, encoding and settings. */
const FINGERPRINT = [
  "select string_agg(datname, ',' order by datname) as v from pg_database",
  "select string_agg(rolname, ',' order by rolname) as v from pg_roles",
  "select string_agg(nspname, ',' order by nspname) as v from pg_namespace",
  'select count(*)::text as v from pg_class',
  "select pg_encoding_to_char(encoding) || ' ' || datcollate as v from pg_database where datname = current_database()",
  "select string_agg(name || '=' || setting, ',' order by name) as v from pg_settings where source <> 'default' and name not in ('application_name', 'client_encoding')",
];

describe('a fresh embedded directory, unpacked from the empty cluster', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cluster-template-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is the cluster initdb makes, and keeps what is written to it across a restart', async () => {
    const initdb = await PGlite.create('memory://');
    const expected: string[] = [];
    for (const text of FINGERPRINT) expected.push((await initdb.query<{ v: string }>(text)).rows[0]!.v);
    await initdb.close();

    const query = async (connectionString: string, text: string) => {
      const client = new pg.Client({ connectionString });
      await client.connect();
      try {
        return (await client.query<{ v: string }>(text)).rows[0]?.v;
      } finally {
        await client.end();
      }
    };
    const first = await openEmbeddedPostgres(dataDir);
    try {
      const found: (string | undefined)[] = [];
      for (const text of FINGERPRINT) found.push(await query(first.connectionString, text));
      expect(found).toEqual(expected);
      await query(first.connectionString, "create table kept as select 'written before the restart'::text as v");
    } finally {
      await first.stop();
    }

    const again = await openEmbeddedPostgres(dataDir);
    try {
      expect(await query(again.connectionString, 'select v from kept')).toBe('written before the restart');
    } finally {
      await again.stop();
    }
  }, 60_000);
});
