import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { commitmentStreamId } from '#governance';
import { JANUARY_OR_FEBRUARY_2021, commitmentBody, recordOfficeHours } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;
const ROUNDS = 8;

describe('Idempotency-Key under concurrency', () => {
  let api: TestApp;
  let editor: string;
  let staff: string;
  const sessionId = id('idem-oh');

  beforeAll(async () => {
    api = await startTestApp();
    editor = await api.token('idem-editor', 'editor');
    staff = await api.token('idem-staff', 'staff');
    await recordOfficeHours(api, editor, sessionId);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  const makeCommitment = async (commitmentId: string) =>
    api.http
      .post('/commitments')
      .set('Authorization', `Bearer ${editor}`)
      .send(commitmentBody(commitmentId, sessionId, { target: JANUARY_OR_FEBRUARY_2021 }))
      .expect(201);
  const progress = (commitmentId: string, key: string, note: string) =>
    api.http
      .post(`/commitments/${commitmentId}/progress`)
      .set('Authorization', `Bearer ${staff}`)
      .set('Idempotency-Key', key)
      .send({ note });
  const progressEvents = async (commitmentId: string) =>
    (await api.store.readStream(commitmentStreamId(commitmentId))).filter((event) => event.type === 'ProgressReported');

  it('two different requests with one key at once: one runs, the other is refused, one event', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const commitmentId = id(`idem-race-${round}`);
      await makeCommitment(commitmentId);
      const key = `race-${round}-${run}`;
      const responses = await Promise.all([progress(commitmentId, key, 'First'), progress(commitmentId, key, 'Second')]);
      const statuses = responses.map((response) => response.status).sort();
      expect({ round, statuses }).toEqual({ round, statuses: [200, expect.any(Number)] });
      expect([409, 422]).toContain(statuses[1]);
      const events = await progressEvents(commitmentId);
      expect({ round, events: events.length }).toEqual({ round, events: 1 });
      const winner = responses.find((response) => response.status === 200)!;
      expect(winner.body.position).toBe(events[0]!.position);
    }
  }, 60_000);

  it('the same request twice at once: both answered with the same body, one event', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const commitmentId = id(`idem-twice-${round}`);
      await makeCommitment(commitmentId);
      const key = `twice-${round}-${run}`;
      const responses = await Promise.all([progress(commitmentId, key, 'Once'), progress(commitmentId, key, 'Once')]);
      expect({ round, statuses: responses.map((response) => response.status) }).toEqual({ round, statuses: [200, 200] });
      expect(responses[0]!.text).toBe(responses[1]!.text);
      expect((await progressEvents(commitmentId)).length).toBe(1);
    }
  }, 60_000);

  it('a failed first request gives its key up, so the retry runs', async () => {
    const commitmentId = id('idem-later');
    const key = `later-${run}`;
    await progress(commitmentId, key, 'Too early').expect(404);
    await makeCommitment(commitmentId);
    await progress(commitmentId, key, 'Too early').expect(200);
    expect((await progressEvents(commitmentId)).length).toBe(1);
  });

  it('a key still held by a running request: the same request is told 409 after a while, another 422', async () => {
    const commitmentId = id('idem-held');
    await makeCommitment(commitmentId);
    const key = `held-${run}`;
    const body = { note: 'Held' };
    const fingerprint = createHash('sha256')
      .update(`POST /commitments/${commitmentId}/progress\n${JSON.stringify(body)}`)
      .digest('hex');
    const database = api.app.get(DataSource);
    await database.query('insert into idempotency_records (actor, key, request_fingerprint) values ($1, $2, $3)', [
      'idem-staff',
      key,
      fingerprint,
    ]);
    const started = Date.now();
    const waited = await progress(commitmentId, key, 'Held').expect(409);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_000);
    expect(waited.body.message).toMatch(/still in progress/);
    await progress(commitmentId, key, 'Other').expect(422);
    expect(await progressEvents(commitmentId)).toHaveLength(0);
    // A claim left behind by a process that died is taken over after a minute.
    await database.query(
      "update idempotency_records set created_at = now() - interval '2 minutes' where actor = $1 and key = $2",
      ['idem-staff', key],
    );
    await progress(commitmentId, key, 'Held').expect(200);
    expect(await progressEvents(commitmentId)).toHaveLength(1);
  }, 30_000);
});
