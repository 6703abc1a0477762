import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openEmbeddedPostgres, type ClusterSchema } from '#event-store';
import { clusterSchema } from '#storage';
import { migrations } from './migrations/index.js';

const USER_SCHEMAS = "not in ('pg_catalog', 'information_schema', 'pg_toast')";
const BOOKKEEPING = ['public.migrations', 'event_store.schema_migrations'];

/** Everything the migrations define, and the bookkeeping rows that say which ran. */
const DEFINITION = {
  schemas: `select nspname from pg_namespace where nspname ${USER_SCHEMAS} and nspname not like 'pg_temp%' and nspname not like 'pg_toast_temp%' order by 1`,
  columns: `select table_schema, table_name, ordinal_position, column_name, data_type, is_nullable, column_default
              from information_schema.columns where table_schema ${USER_SCHEMAS} order by 1, 2, 3`,
  indexes: `select schemaname, tablename, indexname, indexdef from pg_indexes where schemaname ${USER_SCHEMAS} order by 1, 2, 3`,
  constraints: `select conrelid::regclass::text as on, conname, pg_get_constraintdef(c.oid) as definition
                  from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname ${USER_SCHEMAS} order by 1, 2`,
  functions: `select n.nspname, p.proname, pg_get_functiondef(p.oid) as definition
                from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname ${USER_SCHEMAS} order by 1, 2`,
  triggers: `select tgrelid::regclass::text as on, tgname from pg_trigger where not tgisinternal order by 1, 2`,
  sequences: `select sequence_schema, sequence_name, data_type from information_schema.sequences order by 1, 2`,
  typeormMigrations: 'select id, timestamp, name from public.migrations order by id',
  eventStoreMigrations: 'select version, name from event_store.schema_migrations order by version',
};

async function withClient<T>(connectionString: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

function definition(connectionString: string): Promise<Record<string, unknown[]>> {
  return withClient(connectionString, async (client) => {
    const found: Record<string, unknown[]> = {};
    for (const [name, text] of Object.entries(DEFINITION)) {
      // A cluster nothing migrated yet has no bookkeeping tables.
      found[name] = await client.query(text).then(
        (result) => result.rows,
        (error: { code?: string }) => (error.code === '42P01' ? [] : Promise.reject(error as Error)),
      );
    }
    return found;
  });
}

/** Each table outside the bookkeeping that holds a row. */
function tablesWithRows(connectionString: string): Promise<string[]> {
  return withClient(connectionString, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `select table_schema || '.' || table_name as name from information_schema.tables
        where table_schema ${USER_SCHEMAS} and table_type = 'BASE TABLE' order by 1`,
    );
    const filled: string[] = [];
    for (const { name } of rows) {
      if (BOOKKEEPING.includes(name)) continue;
      const { rowCount } = await client.query(`select 1 from ${name} limit 1`);
      if (rowCount) filled.push(name);
    }
    return filled;
  });
}

/** A directory made as the boot makes it with `schema`, then the boot's own migrations on it. */
async function booted(dataDir: string, schema: ClusterSchema | undefined, boot: ClusterSchema) {
  const database = await openEmbeddedPostgres(dataDir, schema);
  try {
    const before = await definition(database.connectionString);
    await boot.apply(database.connectionString);
    return {
      before,
      after: await definition(database.connectionString),
      filled: await tablesWithRows(database.connectionString),
    };
  } finally {
    await database.stop();
  }
}

describe("a fresh embedded directory, unpacked from the api's migrated cluster", () => {
  const api = clusterSchema({ eventStore: { kind: 'postgres' } }, migrations);
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cluster-templates-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('equals one migrated from scratch and holds no rows but the migrations bookkeeping', async () => {
    // Makes the template when this install has none yet, then a directory from it.
    await (await openEmbeddedPostgres('memory://', api)).stop();
    const fromTemplate = await booted(join(root, 'template'), api, api);
    const fromScratch = await booted(join(root, 'scratch'), undefined, api);

    expect(fromTemplate.before).toEqual(fromScratch.after);
    // The boot's migrations find nothing left to do on it.
    expect(fromTemplate.after).toEqual(fromTemplate.before);
    expect(fromTemplate.before.typeormMigrations).toHaveLength(migrations.length);
    expect(fromTemplate.before.columns.length).toBeGreaterThan(50);
    expect(fromTemplate.filled).toEqual([]);
  }, 120_000);

  it('made for fewer migrations, gets the missing ones at boot and then equals the full schema', async () => {
    const older = clusterSchema({ eventStore: { kind: 'postgres' } }, migrations.slice(0, -1));
    expect(older.key).not.toEqual(api.key);
    // A migration edited before its release (same name, other statements) makes another template too.
    const last = migrations.at(-1)!;
    const edited = {
      [last.name]: class extends last {
        override async up() {}
      },
    }[last.name]!;
    expect(clusterSchema({ eventStore: { kind: 'postgres' } }, [...migrations.slice(0, -1), edited]).key).not.toEqual(api.key);
    const fromOlder = await booted(join(root, 'older'), older, api);
    const fromScratch = await booted(join(root, 'scratch-again'), undefined, api);

    expect(fromOlder.before.typeormMigrations).toHaveLength(migrations.length - 1);
    expect(fromOlder.after).toEqual(fromScratch.after);
  }, 120_000);
});
