import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { LOG_START, type EventStore, type LogCursor, type RecordedEvent } from '#event-store';
import { projections, readProjectionStatuses } from '#read-models';
import { rebuildReadModels, restoreBackup, verifyBackup, writeBackup } from '../apps/api/src/operations/backup.js';
import { appendGeneratedHistory } from './support/generated-history.js';
import { ownDatabase } from './support/own-database.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const serverUrl = process.env.DATABASE_URL?.trim();

async function wholeLog(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let after: LogCursor = LOG_START;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 500 });
    if (page.events.length === 0) return all;
    all.push(...page.events);
    after = page.next;
  }
}

const sqlOf = (app: TestApp) => {
  const dataSource = app.app.get(DataSource);
  return <Row>(text: string, values: readonly unknown[] = []) => dataSource.query(text, [...values]) as Promise<Row[]>;
};

/** Every read-model row, without the log positions (they belong to the cluster that assigned them). */
async function readModelRows(app: TestApp): Promise<Record<string, unknown[]>> {
  const sql = sqlOf(app);
  const rows: Record<string, unknown[]> = {};
  for (const table of projections.flatMap((projection) => projection.tables)) {
    const columns = (
      await sql<{ column_name: string }>(
        `select column_name from information_schema.columns
          where table_name = $1 and table_schema = current_schema() and column_name not like '%position'
          order by column_name`,
        [table],
      )
    ).map((column) => `"${column.column_name}"::text as "${column.column_name}"`);
    rows[table] = (await sql<Record<string, unknown>>(`select ${columns.join(', ')} from ${table}`))
      .map((row) => JSON.stringify(row))
      .sort();
  }
  return rows;
}

async function untilProjected(app: TestApp): Promise<void> {
  const head = (await wholeLog(app.store)).at(-1)!.position;
  const sql = sqlOf(app);
  for (const started = Date.now(); Date.now() - started < 20_000;) {
    const statuses = await readProjectionStatuses(
      sql,
      projections.map((projection) => projection.name),
    );
    if (statuses.every((status) => status.position === head)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the projections did not catch up');
}

/** A second, empty database: another PGlite in memory, or a database of its own on the server. */
async function emptyTarget(): Promise<{ app: TestApp; drop(): Promise<void> }> {
  const database = await ownDatabase();
  const app = await startTestApp({ runProjector: false, ...database.config });
  return {
    app,
    drop: async () => {
      await app.close();
      await database.drop();
    },
  };
}

describe(`backup and restore (${serverUrl ? 'PostgreSQL' : 'PGlite'})`, () => {
  let source: TestApp;
  let sourceDatabase: Awaited<ReturnType<typeof ownDatabase>>;
  let directory: string;
  let file: string;
  let progress: number[];

  beforeAll(async () => {
    // A log of its own, so the backup holds exactly what this spec wrote.
    sourceDatabase = await ownDatabase();
    source = await startTestApp(sourceDatabase.config);
    await appendGeneratedHistory(source.store, `bk${randomUUID().slice(0, 6)}`, 4, 40);
    await untilProjected(source);
    directory = await mkdtemp(join(tmpdir(), 'backup-'));
    file = join(directory, 'events.ndjson');
    progress = [];
    await writeBackup(source.store, file, new Date('2026-12-01T10:00:00Z'), (events) => progress.push(events));
  }, 60_000);
  afterAll(async () => {
    await source?.close();
    await sourceDatabase?.drop();
    await rm(directory, { recursive: true, force: true });
  });

  it('writes a header, one line per event in log order and a trailer with the count and sha256', async () => {
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    const log = await wholeLog(source.store);
    expect(JSON.parse(lines[0]!)).toEqual({
      format: 'commitment-tracker-events',
      version: 1,
      createdAt: '2026-12-01T10:00:00.000Z',
    });
    expect(lines.slice(1, -1).map((line) => JSON.parse(line) as unknown)).toEqual(
      log.map(({ id, streamId, revision, type, data, metadata }) => ({ id, streamId, revision, type, data, metadata })),
    );
    const trailer = JSON.parse(lines.at(-1)!) as { events: number; sha256: string };
    expect(trailer.events).toBe(log.length);
    const { createHash } = await import('node:crypto');
    expect(trailer.sha256).toBe(
      createHash('sha256')
        .update(`${lines.slice(0, -1).join('\n')}\n`)
        .digest('hex'),
    );
    expect(progress.at(-1)).toBe(log.length);
  });

  it('restores into an empty store: the same events, and read models identical to the original’s', async () => {
    const target = await emptyTarget();
    try {
      const restored: number[] = [];
      const count = await restoreBackup(target.app.store, file, (events) => restored.push(events));
      const original = await wholeLog(source.store);
      expect(count).toBe(original.length);
      expect(restored.at(-1)).toBe(original.length);
      const strip = ({ id, streamId, revision, type, data, metadata }: RecordedEvent) => ({
        id,
        streamId,
        revision,
        type,
        data,
        metadata,
      });
      const copy = await wholeLog(target.app.store);
      expect(copy.map(strip)).toEqual(original.map(strip));

      await rebuildReadModels(target.app.app.get(DataSource), target.app.store);
      // Re-based: each checkpoint is the restored log's own head, not a position copied from the source.
      const statuses = await readProjectionStatuses(
        sqlOf(target.app),
        projections.map((projection) => projection.name),
      );
      expect(new Set(statuses.map((status) => status.position))).toEqual(new Set([copy.at(-1)!.position]));
      const rows = await readModelRows(target.app);
      expect(rows.commitments).toHaveLength(40);
      expect(rows).toEqual(await readModelRows(source));
    } finally {
      await target.drop();
    }
  }, 60_000);

  it('refuses a store that is not empty, and writes nothing to it', async () => {
    const before = (await wholeLog(source.store)).length;
    await expect(restoreBackup(source.store, file)).rejects.toThrow(/the event store is not empty/);
    expect(await wholeLog(source.store)).toHaveLength(before);
  });

  it('refuses a damaged or cut-off file before writing anything', async () => {
    const text = await readFile(file, 'utf8');
    const damaged = join(directory, 'damaged.ndjson');
    await writeFile(damaged, text.replace('Commitment number 7', 'Commitment number 8'));
    await expect(verifyBackup(damaged)).rejects.toThrow(/does not match its checksum/);
    const cut = join(directory, 'cut.ndjson');
    await writeFile(cut, text.split('\n').slice(0, 10).join('\n'));
    await expect(verifyBackup(cut)).rejects.toThrow(/no trailer line/);

    const target = await emptyTarget();
    try {
      await expect(restoreBackup(target.app.store, damaged)).rejects.toThrow(/checksum/);
      expect(await wholeLog(target.app.store)).toHaveLength(0);
    } finally {
      await target.drop();
    }
  }, 60_000);
});
