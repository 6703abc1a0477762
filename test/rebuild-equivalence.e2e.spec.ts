import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { commitmentStreamId } from '#governance';
import { ProjectionRunner, projections, rebuildProjection, rebuildProjections, type Projection } from '#read-models';
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
    // Some superseded commitments reopened: their superseded_by links go again.
    for (let index = 6; index < 300; index += 12) {
      const streamId = commitmentStreamId(`${prefix}-c${index}`);
      const revision = (await app.store.readStream(streamId)).length - 1;
      await app.store.append(
        streamId,
        [
          {
            id: randomUUID(),
            type: 'CommitmentReopened',
            data: { reason: `Not replaced after all ${index}` },
            metadata: {
              actor: 'test',
              occurredAt: '2027-02-01T00:00:00.000Z',
              recordedAt: '2027-02-02T00:00:00.000Z',
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

  /** Follows the log event by event into `<table><suffix>` copies, and expects the live tables to hold the same rows. */
  const expectSameAsFollowed = async (projection: Projection, suffix: string) => {
    for (const table of projection.tables) await dataSource.query(`create table ${table}${suffix} (like ${table} including all)`);
    // Small batches, so a commitment's events fall in several of them.
    await new ProjectionRunner(dataSource, app.store, projection, { tableSuffix: suffix, batchSize: 97 }).catchUp();
    for (const table of projection.tables) {
      const followedTable = `${table}${suffix}`;
      const [{ rebuilt, followed, differing }] = (await dataSource.query(`
        select (select count(*) from ${table})::int as rebuilt, (select count(*) from ${followedTable})::int as followed,
               (select count(*) from ((table ${table} except all table ${followedTable})
                                      union all (table ${followedTable} except all table ${table})) d)::int as differing`)) as {
        rebuilt: number;
        followed: number;
        differing: number;
      }[];
      expect({ table, rebuilt, differing }).toEqual({ table, rebuilt: followed, differing: 0 });
      expect(followed).toBeGreaterThan(0);
    }
  };

  it.each(projections.map((projection) => [projection.name, projection] as const))(
    '%s',
    async (_name, projection) => {
      await rebuildProjection(dataSource, app.store, projection);
      await expectSameAsFollowed(projection, '_followed');
    },
    120_000,
  );

  it('every projection at once, from one read of the log', async () => {
    const rebuilt = await rebuildProjections(dataSource, app.store, projections);
    expect(rebuilt.map((done) => done.projection)).toEqual(projections.map((projection) => projection.name));
    for (const projection of projections) await expectSameAsFollowed(projection, '_followed_together');
    // Each counted the events of its own types only: fewer sessions' than commitments'.
    const events = new Map(rebuilt.map((done) => [done.projection, done.events]));
    expect(events.get('sessions')).toBeLessThan(events.get('commitments')!);
  }, 240_000);
});
