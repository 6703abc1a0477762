import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { compareLogPositions, PostgresEventStore, type EventStore, type LogPosition } from '#event-store';
import { commitmentsProjection, ProjectionRunner, projections, rebuildProjection } from '#read-models';
import { migrations } from '../apps/api/src/storage/migrations/index.js';
import { serverForTests } from '../libs/event-store/src/testing/index.js';
import { appendGeneratedHistory } from './support/generated-history.js';
import { built } from './support/processes.js';

const server = serverForTests('DATABASE_URL');
const describeWithServer = server.unavailable ? describe.skip : describe;
if (server.unavailable)
  console.warn(`[projector crash test] skipped: ${server.unavailable} (it kills a projector process on a server database)`);

describeWithServer('projector crash safety', () => {
  const database = `crash_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  let url: string;
  let admin: pg.Client;
  let store: EventStore;
  let dataSource: DataSource;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`create database ${database}`);
    const parsed = new URL(server.url!);
    parsed.pathname = `/${database}`;
    url = parsed.toString();
    store = await PostgresEventStore.connect({ connectionString: url });
    dataSource = await new DataSource({ type: 'postgres', url, migrations, migrationsRun: true }).initialize();
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await dataSource?.destroy();
    await admin.query(`drop database if exists ${database}`);
    await admin.end();
  });

  const checkpoint = async (name: string) =>
    (
      (await dataSource.query('select position from projection_checkpoints where projection = $1', [name])) as {
        position: string;
      }[]
    )[0]?.position;

  /** Until followers can see `position`: an open transaction anywhere in the cluster delays it. */
  const settle = async (position: string) => {
    for (let attempt = 0; attempt < 3000; attempt++) {
      const visible = await store.readAll({ after: 'start', maxCount: 1_000_000 });
      if (visible.events.some((event) => event.position === position)) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`the log never showed ${position}`);
  };
  const catchUpTo = async (runner: ProjectionRunner, position: string) => {
    await settle(position);
    while (compareLogPositions(await runner.checkpoint(), position as LogPosition) < 0) {
      if ((await runner.catchUp()) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  const startProjector = (): ChildProcess => {
    const { EVENTSTORE_CONNECTION_STRING: _ignored, ...env } = process.env;
    return spawn(process.execPath, [built.projector], { env: { ...env, DATABASE_URL: url }, stdio: 'ignore' });
  };
  const exited = (child: ChildProcess) => new Promise((resolve) => child.once('exit', resolve));

  it('killed mid-batch and restarted, every read model equals a clean rebuild', async () => {
    const { events: written, sessionEvents, lastPosition: head } = await appendGeneratedHistory(store, 'crash', 20, 2500);

    const interruptedAt: (string | undefined)[] = [];
    for (const delay of [900, 700, 600]) {
      const projector = startProjector();
      await new Promise((resolve) => setTimeout(resolve, delay));
      projector.kill('SIGKILL');
      await exited(projector);
      interruptedAt.push(await checkpoint('commitments'));
    }
    // The kills landed while work remained: the log was not yet fully applied.
    expect(interruptedAt.some((position) => position !== head)).toBe(true);

    const projector = startProjector();
    const deadline = Date.now() + 90_000;
    const behind = async () =>
      (await Promise.all(projections.map(async ({ name }) => (await checkpoint(name)) !== head))).some(Boolean);
    while (await behind()) {
      if (Date.now() > deadline) throw new Error('the restarted projector did not catch up');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    projector.kill('SIGTERM');
    await exited(projector);

    for (const projection of projections) {
      for (const table of projection.tables) {
        await dataSource.query(`create table ${table}_clean (like ${table} including all)`);
      }
      await catchUpTo(new ProjectionRunner(dataSource, store, projection, { tableSuffix: '_clean', batchSize: 700 }), head);
      for (const table of projection.tables) {
        const [{ live, clean, differing }] = (await dataSource.query(`
          select (select count(*) from ${table})::int as live, (select count(*) from ${table}_clean)::int as clean,
                 (select count(*) from ((table ${table} except table ${table}_clean) union all (table ${table}_clean except table ${table})) d)::int as differing`)) as {
          live: number;
          clean: number;
          differing: number;
        }[];
        expect({ table, live, differing }).toEqual({ table, live: clean, differing: 0 });
        expect(clean).toBeGreaterThan(0);
      }
    }
    const [{ entries }] = (await dataSource.query('select count(*)::int as entries from commitment_timeline')) as {
      entries: number;
    }[];
    expect(entries).toBe(written - sessionEvents);
  }, 180_000);

  it('a rebuild serves the old tables until the new ones have caught up, then swaps them in', async () => {
    const live = new ProjectionRunner(dataSource, store, commitmentsProjection);
    await catchUpTo(live, (await checkpoint('commitments')) as string);
    // Stand-in for an old projection version: the live rows say something a replay will not.
    await dataSource.query(`update commitments set summary = 'stale summary' where commitment_id = 'crash-c1'`);
    const { lastPosition: rebuildHead } = await appendGeneratedHistory(store, 'rebuild', 2, 50);
    await settle(rebuildHead);

    const seenDuringRebuild: string[] = [];
    const done = await rebuildProjection(dataSource, store, commitmentsProjection, {
      batchSize: 500,
      onProgress: () => {
        seenDuringRebuild.push('progress');
      },
    });
    const summaryNow = async () =>
      ((await dataSource.query(`select summary from commitments where commitment_id = 'crash-c1'`)) as { summary: string }[])[0]!
        .summary;
    expect(seenDuringRebuild.length).toBeGreaterThan(1);
    expect(await summaryNow()).toBe('Commitment number 1');
    expect(await checkpoint('commitments')).toBe(done.checkpoint);
    expect(await checkpoint('commitments_next')).toBeUndefined();
    const [{ tables }] = (await dataSource.query(
      `select count(*)::int as tables from pg_tables where tablename in ('commitments_next', 'commitments_old', 'commitment_timeline_next')`,
    )) as { tables: number }[];
    expect(tables).toBe(0);
    // The swapped-in tables carry the migration's key and index names, not the shadow's.
    const indexes = (
      (await dataSource.query(
        `select indexname from pg_indexes where tablename in ('commitments', 'commitment_timeline') order by indexname`,
      )) as { indexname: string }[]
    ).map((row) => row.indexname);
    expect(indexes).toEqual(
      expect.arrayContaining([
        'commitments_pkey',
        'commitments_owner',
        'commitments_search',
        'commitment_timeline_pkey',
        'commitment_timeline_session',
      ]),
    );
    expect(indexes.filter((name) => name.includes('_next'))).toEqual([]);

    await catchUpTo(live, rebuildHead);
    // The in-memory replay builds exactly what batch-by-batch projection builds.
    for (const table of commitmentsProjection.tables)
      await dataSource.query(`create table ${table}_check (like ${table} including all)`);
    await catchUpTo(
      new ProjectionRunner(dataSource, store, commitmentsProjection, { tableSuffix: '_check', batchSize: 900 }),
      rebuildHead,
    );
    for (const table of commitmentsProjection.tables) {
      const [{ differing }] = (await dataSource.query(
        `select count(*)::int as differing from ((table ${table} except table ${table}_check) union all (table ${table}_check except table ${table})) d`,
      )) as { differing: number }[];
      expect({ table, differing }).toEqual({ table, differing: 0 });
    }
    const [{ rebuilt }] = (await dataSource.query(
      `select count(*)::int as rebuilt from commitments where commitment_id like 'rebuild-%'`,
    )) as {
      rebuilt: number;
    }[];
    expect(rebuilt).toBe(50);
  }, 120_000);

  it('the old tables keep answering while the rebuild replays', async () => {
    await dataSource.query(`update commitments set summary = 'served while rebuilding' where commitment_id = 'crash-c2'`);
    const answers: Promise<string>[] = [];
    await rebuildProjection(dataSource, store, commitmentsProjection, {
      batchSize: 1000,
      onProgress: () => {
        answers.push(
          dataSource
            .query(`select summary from commitments where commitment_id = 'crash-c2'`)
            .then((rows: { summary: string }[]) => rows[0]!.summary),
        );
      },
    });
    const duringRebuild = await Promise.all(answers.slice(0, -1));
    expect(duringRebuild.length).toBeGreaterThan(0);
    expect(new Set(duringRebuild)).toEqual(new Set(['served while rebuilding']));
    const [{ summary }] = (await dataSource.query(`select summary from commitments where commitment_id = 'crash-c2'`)) as {
      summary: string;
    }[];
    expect(summary).toBe('Commitment number 2');
  }, 120_000);
  it('two instances following at once apply every batch exactly once', async () => {
    const head = (await checkpoint('commitments')) as string;
    for (const table of commitmentsProjection.tables)
      await dataSource.query(`create table ${table}_pair (like ${table} including all)`);
    const second = await new DataSource({ type: 'postgres', url }).initialize();
    try {
      // Events each instance applied: together exactly the log, so no batch was applied twice.
      const applied = [0, 0];
      const runners = [dataSource, second].map(
        (source, index) =>
          new ProjectionRunner(source, store, commitmentsProjection, {
            tableSuffix: '_pair',
            batchSize: 300,
            onBatch: (events) => {
              applied[index]! += events;
            },
          }),
      );
      await Promise.all(runners.map((runner) => catchUpTo(runner, head)));
      const reached = await runners[0]!.checkpoint();
      expect(await runners[1]!.checkpoint()).toBe(reached);
      const log = await store.readAll({ after: 'start', maxCount: 1_000_000 });
      // The projection reads only the event types it handles.
      const handled = new Set(commitmentsProjection.eventTypes);
      const upToReached = log.events.filter(
        (event) => compareLogPositions(event.position, reached) <= 0 && handled.has(event.type),
      ).length;
      expect(applied[0]! + applied[1]!).toBe(upToReached);
      for (const table of commitmentsProjection.tables) {
        const [{ differing }] = (await dataSource.query(
          `select count(*)::int as differing from ((table ${table} except table ${table}_pair) union all (table ${table}_pair except table ${table})) d`,
        )) as { differing: number }[];
        expect({ table, differing }).toEqual({ table, differing: 0 });
      }
    } finally {
      await second.destroy();
    }
  }, 120_000);
});
