import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { commitmentStreamId } from '#governance';
import { ProjectionRunner, projections, rebuildProjection } from '#read-models';
import { appendGeneratedHistory } from './support/generated-history.js';
import { ownDatabase } from './support/own-database.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const serverUrl = process.env.DATABASE_URL?.trim();

/**
 * A rebuild folds the log its own way (a projection's `replay`: in memory, each row written
 * once, by COPY on a server) or batch by batch; either way it must write exactly the rows that
 * following the log event by event writes.
 */
describe(`a rebuild writes what following the log writes (${serverUrl ? 'PostgreSQL, by COPY' : 'PGlite, by INSERT'})`, () => {
  let app: TestApp;
  let database: Awaited<ReturnType<typeof ownDatabase>>;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await ownDatabase();
    app = await startTestApp({ runProjector: false, ...database.config });
    dataSource = app.app.get(DataSource);
    const prefix = `rb${randomUUID().slice(0, 6)}`;
    await appendGeneratedHistory(app.store, prefix, 6, 300);
    // News for the first commitments long after they were made: their events lie pages apart,
    // so a fold must carry each commitment's state across batches.
    for (let index = 0; index < 300; index += 7) {
      const streamId = commitmentStreamId(`${prefix}-c${index}`);
      const revision = (await app.store.readStream(streamId)).length - 1;
      await app.store.append(
        streamId,
        [
          {
            id: randomUUID(),
            type: 'ProgressReported',
            data: { note: `Later news ${index}`, evidence: [] },
            metadata: {
              actor: 'test',
              occurredAt: '2027-01-01T00:00:00.000Z',
              recordedAt: '2027-01-02T00:00:00.000Z',
              correlationId: randomUUID(),
              causationId: null,
              schemaVersion: 1,
            },
          },
        ],
        revision,
      );
    }
    await app.store.settled(60_000);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it.each(projections.map((projection) => [projection.name, projection] as const))(
    '%s',
    async (_name, projection) => {
      await rebuildProjection(dataSource, app.store, projection);
      for (const table of projection.tables)
        await dataSource.query(`create table ${table}_followed (like ${table} including all)`);
      // Small batches, so a commitment's events fall in several of them.
      await new ProjectionRunner(dataSource, app.store, projection, { tableSuffix: '_followed', batchSize: 97 }).catchUp();
      for (const table of projection.tables) {
        const [{ rebuilt, followed, differing }] = (await dataSource.query(`
          select (select count(*) from ${table})::int as rebuilt, (select count(*) from ${table}_followed)::int as followed,
                 (select count(*) from ((table ${table} except all table ${table}_followed)
                                        union all (table ${table}_followed except all table ${table})) d)::int as differing`)) as {
          rebuilt: number;
          followed: number;
          differing: number;
        }[];
        expect({ table, rebuilt, differing }).toEqual({ table, rebuilt: followed, differing: 0 });
        expect(followed).toBeGreaterThan(0);
      }
    },
    120_000,
  );
});
