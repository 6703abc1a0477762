import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { RecordedEvent } from '#event-store';
import { serverForTests } from '../libs/event-store/src/testing/index.js';
import { built, startNode } from './support/processes.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// A poison event stops the log for whichever projection meets it: on a server this suite gets
// a database of its own, so the suites sharing DATABASE_URL never see it. PGlite is in memory.
const server = serverForTests('DATABASE_URL');
const run = randomUUID().slice(0, 8);
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const found = await probe();
      if (found !== undefined) return found;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const metadata = () => ({
  actor: 'test',
  occurredAt: '2020-12-10T18:00:00.000Z',
  recordedAt: new Date().toISOString(),
  correlationId: randomUUID(),
  causationId: null,
  schemaVersion: 1,
});

const made = (commitmentId: string, sessionId: string, speakerName: string | null) => ({
  id: randomUUID(),
  type: 'CommitmentMade',
  data: {
    commitmentId,
    sessionId,
    sessionDate: '2020-12-10',
    speaker: { name: speakerName, role: null },
    ownerTeam: 'Poison team',
    topics: ['Poison'],
    summary: `Commitment ${commitmentId}`,
    quote: 'We will.',
    target: null,
    strength: 'plan',
  },
  metadata: metadata(),
});

describe('a projection that cannot apply an event', () => {
  let api: TestApp;
  let admin: pg.Client | undefined;
  let database: string | undefined;
  let databaseUrl: string | undefined;
  let sql: (text: string, parameters?: unknown[]) => Promise<Record<string, unknown>[]>;

  beforeAll(async () => {
    if (server.url) {
      database = `poison_${run.replaceAll('-', '')}`;
      admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      await admin.query(`create database ${database}`);
      const url = new URL(server.url);
      url.pathname = `/${database}`;
      databaseUrl = url.toString();
      api = await startTestApp({ database: { kind: 'server', url: databaseUrl } });
    } else {
      api = await startTestApp();
    }
    const dataSource = api.app.get(DataSource);
    sql = (text, parameters) => dataSource.query(text, parameters);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    if (admin && database) {
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
    }
  });

  const checkpoint = async (projection: string) =>
    (await sql('select position from projection_checkpoints where projection = $1', [projection]))[0]?.position as
      string | undefined;
  const lastOf = async (streamId: string): Promise<RecordedEvent> => (await api.store.readStream(streamId)).at(-1)!;

  it('stops only itself, says where and why on /health, and resumes by itself once the cause is fixed', async () => {
    const editor = await api.token('poison', 'editor');
    const post = async (path: string, body: object) => {
      const response = await api.http.post(path).set(bearer(editor)).send(body);
      if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body as { position: string };
    };
    const session = (id: string) => ({
      id,
      date: '2020-12-10',
      title: `Office hours ${id}`,
      kind: 'office_hour',
      hosts: [{ name: 'Maggie Dennis', role: 'VP' }],
      sourceUrl: `https://meta.wikimedia.org/wiki/${id}`,
    });
    const sessionId = `poison-session-${run}`;
    await post('/sessions', session(sessionId));

    // One transaction: a good commitment, the poison (a speaker without a name, which the
    // `commitments` table refuses), then another good one: a projector reads them in one batch.
    const before = `before-${run}`;
    const poison = `poison-${run}`;
    const after = `after-${run}`;
    await api.app.get(DataSource).transaction(async (manager) => {
      for (const [id, speaker] of [
        [before, 'Pat'],
        [poison, null],
        [after, 'Pat'],
      ] as const) {
        await manager.query(`select * from event_store.append_events($1, 'no_stream', null, $2::jsonb)`, [
          `commitment-${id}`,
          JSON.stringify([made(id, sessionId, speaker)]),
        ]);
      }
    });
    const beforeEvent = await lastOf(`commitment-${before}`);
    const poisonEvent = await lastOf(`commitment-${poison}`);

    // Later good events, through the api.
    const laterSession = `poison-later-session-${run}`;
    await post('/sessions', session(laterSession));
    const laterCommitment = `poison-later-${run}`;
    const { position: lastPosition } = await post('/commitments', {
      id: laterCommitment,
      sessionId,
      speaker: { name: 'Patrick', role: 'T&S' },
      ownerTeam: 'Poison team',
      topics: ['Poison'],
      summary: 'A later good commitment',
      quote: 'We will.',
      target: { asSaid: 'by 2099', latestDate: '2099-01-31' },
      strength: 'plan',
    });

    // The others keep following: their read models show the later events.
    await eventually('the sessions projection to show the later session', async () =>
      (await sql('select 1 from sessions where session_id = $1', [laterSession])).length === 1 ? true : undefined,
    );
    await eventually('commitment_states to show the later commitment', async () =>
      (await sql('select 1 from commitment_states where commitment_id = $1', [laterCommitment])).length === 1 ? true : undefined,
    );
    await eventually('corrections to reach the last position', async () =>
      (await checkpoint('corrections')) === lastPosition ? true : undefined,
    );

    // `commitments` applied the good event before the poison, in the same batch, and stops right there.
    const stuck = await eventually('/health/ready to report commitments stuck', async () => {
      const response = await api.http.get('/health/ready');
      return response.status === 503 &&
        (response.body as { projections: { status: string }[] }).projections.some((p) => p.status === 'stuck')
        ? response
        : undefined;
    });
    expect(await checkpoint('commitments')).toBe(beforeEvent.position);
    expect(
      (
        await sql('select commitment_id from commitments where commitment_id = any($1)', [
          [before, poison, after, laterCommitment],
        ])
      ).map((row) => row.commitment_id),
    ).toEqual([before]);
    const failing = expect.objectContaining({
      name: 'commitments',
      status: 'stuck',
      position: beforeEvent.position,
      failingEvent: { position: poisonEvent.position, streamId: `commitment-${poison}`, type: 'CommitmentMade' },
      error: expect.stringContaining('speaker_name'),
      failingSince: expect.any(String),
      attempts: expect.any(Number),
    });
    expect(stuck.body).toMatchObject({ status: 'failing', projections: expect.arrayContaining([failing]) });
    const others = (stuck.body as { projections: { name: string; status: string }[] }).projections.filter(
      (projection) => projection.name !== 'commitments',
    );
    expect(others.map((projection) => [projection.name, projection.status])).toEqual([
      ['sessions', 'following'],
      ['commitment_states', 'following'],
      ['corrections', 'following'],
      ['links', 'following'],
    ]);
    const combined = await api.http.get('/health');
    expect(combined.status).toBe(503);
    expect(combined.body).toMatchObject({
      status: 'failing',
      eventStore: { ok: true },
      database: { ok: true },
      projections: expect.arrayContaining([failing]),
    });
    await api.http.get('/health/live').expect(200);
    // A reader waiting for a later write is told at once that the read model is stuck, not kept waiting.
    const list = await api.http.get('/commitments').query({ minPosition: lastPosition }).expect(200);
    expect(list.headers.warning).toMatch(/the commitments read model is stuck on an earlier event/);
    expect(list.headers['x-read-position']).toBe(beforeEvent.position);
    const sessions = await api.http.get('/sessions').query({ minPosition: lastPosition }).expect(200);
    expect(sessions.headers.warning).toBeUndefined();
    if (databaseUrl) {
      // An api whose projector runs in another process reads the same record.
      const apiOnly = await startTestApp({ database: { kind: 'server', url: databaseUrl }, runProjector: false });
      try {
        const elsewhere = await apiOnly.http.get('/health/ready').expect(503);
        expect(elsewhere.body).toMatchObject({ status: 'failing', projections: expect.arrayContaining([failing]) });
      } finally {
        await apiOnly.close();
      }
      // So does `npm run projections -- status`, and it exits 1.
      const cli = startNode(built.projectionsCli, ['status'], { ...process.env, DATABASE_URL: databaseUrl });
      expect(await cli.exited).toEqual({ code: 1, signal: null });
      expect(cli.output()).toContain(`STUCK since`);
      expect(cli.output()).toContain(
        `cannot apply CommitmentMade at ${poisonEvent.position} (stream commitment-${poison}): null value in column "speaker_name"`,
      );
      expect(cli.output()).toMatch(/^sessions\s+at /m);
    }

    // It keeps trying, and never skips the event.
    const { attempts } = (stuck.body as { projections: { name: string; attempts: number }[] }).projections.find(
      (projection) => projection.name === 'commitments',
    )!;
    await eventually('another attempt', async () => {
      const [row] = await sql('select failing_attempts from projection_checkpoints where projection = $1', ['commitments']);
      return Number(row?.failing_attempts) > attempts ? true : undefined;
    });
    expect(await checkpoint('commitments')).toBe(beforeEvent.position);

    // The fix (here a migration that lets a speaker go unnamed): it resumes and catches up.
    await sql('alter table commitments alter column speaker_name drop not null');
    await eventually('commitments to catch up', async () =>
      (await checkpoint('commitments')) === lastPosition ? true : undefined,
    );
    expect(
      (
        await sql('select commitment_id from commitments where commitment_id = any($1)', [
          [before, poison, after, laterCommitment],
        ])
      )
        .map((row) => row.commitment_id)
        .sort(),
    ).toEqual([after, before, laterCommitment, poison].sort());
    const ready = await api.http.get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      projections: expect.arrayContaining([
        expect.objectContaining({ name: 'commitments', status: 'following', position: lastPosition }),
      ]),
    });
    await api.http.get('/health').expect(200);
  }, 90_000);
});
