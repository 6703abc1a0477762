import { randomUUID } from 'node:crypto';
import { commitmentStreamId, sessionStreamId } from '#governance';
import type { RecordedEvent } from '#event-store';
import { startTestApp, type TestApp } from './support/test-app.js';
import { phaseTwoBody } from './support/fixtures.js';

const run = randomUUID().slice(0, 8);
const tooLong = 'x'.repeat(4001);
const id = (name: string) => `${name}-${run}`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

const session2020 = (sessionId = id('oh-2020')) => ({
  id: sessionId,
  date: '2020-12-10',
  title: 'Office hours 2020-12-10',
  kind: 'office_hour',
  hosts: [{ name: 'Maggie Dennis', role: 'Vice President of Community Resilience and Sustainability' }],
  sourceUrl: 'https://meta.wikimedia.org/wiki/IRC_office_hours/Office_hours_2020-12-10',
});

const phaseTwo = phaseTwoBody;

describe('write API', () => {
  let api: TestApp;
  let editor: string;
  let staff: string;
  let admin: string;
  const sessionId = id('oh-2020');
  const laterSessionId = id('ch-2022');

  const types = (events: readonly RecordedEvent[]) => events.map((event) => event.type);
  const streamOf = (commitmentId: string) => api.store.readStream(commitmentStreamId(commitmentId));

  beforeAll(async () => {
    api = await startTestApp();
    [editor, staff, admin] = await Promise.all([
      api.token('ana', 'editor'),
      api.token('sam', 'staff'),
      api.token('root', 'admin'),
    ]);
    await api.http.post('/sessions').set(bearer(editor)).send(session2020(sessionId)).expect(201);
    await api.http
      .post('/sessions')
      .set(bearer(editor))
      .send({
        ...session2020(laterSessionId),
        date: '2022-08-18',
        title: 'Conversation hour 2022-08-18',
        kind: 'conversation_hour',
      })
      .expect(201);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  it('takes a commitment through every command, recording actor, dates and correlation in each event', async () => {
    const main = id('ucoc-phase-2');
    const vote = id('ucoc-vote');
    const made = await api.http
      .post('/commitments')
      .set(bearer(editor))
      .set('X-Correlation-Id', 'journey-1')
      .send(phaseTwo(main, sessionId))
      .expect(201);
    expect(made.headers.location).toBe(`/commitments/${main}`);
    expect(made.headers.etag).toBe('"0"');
    expect(made.body).toEqual({ id: main, revision: 0, position: expect.any(String), events: ['CommitmentMade'] });
    expect(made.headers['x-log-position']).toBe(made.body.position);

    await api.http
      .post('/commitments')
      .set(bearer(editor))
      .send({
        ...phaseTwo(vote, laterSessionId),
        summary: 'Hold another vote on the enforcement guidelines',
        target: { asSaid: 'January', latestDate: '2023-01-31' },
      })
      .expect(201);

    // Work is started first: a progress report now starts it too, after which start is refused (issue #12).
    const steps: [string, object, string][] = [
      ['start', { occurredAt: '2021-01-15T00:00:00Z' }, 'WorkStarted'],
      [
        'revisits',
        {
          sessionId: laterSessionId,
          statement: 'Consultations to launch on September 7th',
          newTarget: { asSaid: 'September 7th 2022', latestDate: '2022-09-07' },
        },
        'CommitmentRevisited',
      ],
      [
        'progress',
        {
          note: 'Enforcement guidelines in translation',
          evidence: ['https://meta.wikimedia.org/wiki/UCoC'],
          occurredAt: '2022-08-01T00:00:00Z',
        },
        'ProgressReported',
      ],
      [
        'retarget',
        { newTarget: { asSaid: 'autumn 2022', latestDate: '2022-11-30' }, reason: 'Translations took longer' },
        'CommitmentRetargeted',
      ],
      ['delivery', { completeness: 'partial', note: 'Guidelines published, vote pending' }, 'CommitmentDelivered'],
      ['reopen', { reason: 'The vote is part of it' }, 'CommitmentReopened'],
      ['drop', { reason: 'replaced', explanation: 'Folded into the vote' }, 'CommitmentDropped'],
      ['reopen', { reason: 'Dropped by mistake' }, 'CommitmentReopened'],
      ['supersede', { supersededBy: vote, note: 'Restated as the January vote' }, 'CommitmentSuperseded'],
      ['links', { linkedTo: vote, relation: 'restates' }, 'CommitmentLinked'],
      [
        'corrections',
        {
          changes: { speaker: { name: 'Patrick Early', role: 'Lead Trust and Safety Policy Manager' } },
          reason: 'Full name as in 2022 notes',
        },
        'CommitmentCorrected',
      ],
    ];
    let revision = 0;
    for (const [action, body, event] of steps) {
      const token = action === 'links' || action === 'corrections' ? editor : staff;
      const response = await api.http
        .post(`/commitments/${main}/${action}`)
        .set(bearer(token))
        .set('If-Match', `"${revision}"`)
        .send(body);
      expect({ action, status: response.status, body: response.body }).toEqual({
        action,
        status: 200,
        body: expect.objectContaining({ events: [event] }),
      });
      revision += 1;
      expect(response.headers.etag).toBe(`"${revision}"`);
    }
    await api.http
      .post(`/commitments/${vote}/delivery`)
      .set(bearer(staff))
      .send({ completeness: 'full', note: 'Vote held' })
      .expect(200);
    await api.http
      .post(`/sessions/${sessionId}/corrections`)
      .set(bearer(editor))
      .send({ changes: { title: 'IRC office hours 2020-12-10' }, reason: 'As published' })
      .expect(200);

    const history = await streamOf(main);
    expect(types(history)).toEqual(['CommitmentMade', ...steps.map(([, , event]) => event)]);
    expect(history[0]!.metadata).toMatchObject({
      actor: 'ana',
      occurredAt: '2020-12-10T00:00:00.000Z',
      correlationId: 'journey-1',
      schemaVersion: 1,
    });
    expect(history[3]!.metadata).toMatchObject({ actor: 'sam', occurredAt: '2022-08-01T00:00:00.000Z' });
    expect(Date.parse(history[3]!.metadata.recordedAt)).toBeGreaterThan(Date.parse('2026-01-01'));
    expect(history[2]!.data).toMatchObject({
      previousTarget: { latestDate: '2021-02-28' },
      newTarget: { latestDate: '2022-09-07' },
    });
    expect(history.at(-1)!.data).toEqual({
      changes: { speaker: { name: 'Patrick Early', role: 'Lead Trust and Safety Policy Manager' } },
      reason: 'Full name as in 2022 notes',
    });
    expect(types(await api.store.readStream(sessionStreamId(sessionId)))).toEqual(['SessionRecorded', 'SessionCorrected']);
  });

  describe('refusals write nothing', () => {
    const commitmentId = id('refused');
    let before: readonly RecordedEvent[];

    beforeAll(async () => {
      await api.http.post('/commitments').set(bearer(editor)).send(phaseTwo(commitmentId, sessionId)).expect(201);
    });
    beforeEach(async () => {
      before = await streamOf(commitmentId);
    });
    afterEach(async () => {
      expect(await streamOf(commitmentId)).toEqual(before);
    });

    it('401 without a token, with a bad token, and with a revoked one', async () => {
      const body = { note: 'x' };
      const missing = await api.http.post(`/commitments/${commitmentId}/progress`).send(body).expect(401);
      expect(missing.headers['www-authenticate']).toMatch(/^Bearer /);
      await api.http.post(`/commitments/${commitmentId}/progress`).set(bearer('ctk_nope_nope')).send(body).expect(401);
      const revoked = await api.http
        .post('/admin/tokens')
        .set(bearer(admin))
        .send({ subject: 'leaver', role: 'staff' })
        .expect(201);
      await api.http.delete(`/admin/tokens/${revoked.body.id}`).set(bearer(admin)).expect(204);
      await api.http.post(`/commitments/${commitmentId}/progress`).set(bearer(revoked.body.token)).send(body).expect(401);
    });

    it('403 with a role too weak for the command', async () => {
      const response = await api.http
        .post(`/commitments/${commitmentId}/corrections`)
        .set(bearer(staff))
        .send({ changes: { summary: 'x' }, reason: 'x' })
        .expect(403);
      expect(response.body.message).toBe('This action needs the editor role; your token has the staff role.');
      const newSession = id('forbidden');
      await api.http.post('/sessions').set(bearer(staff)).send(session2020(newSession)).expect(403);
      expect(await api.store.readStream(sessionStreamId(newSession))).toEqual([]);
    });

    it.each([
      [{ completeness: 'full', note: 'x', colour: 'red' }, 'colour', 'should not exist'],
      [{ completeness: 'mostly', note: 'x' }, 'completeness', 'must be one of the following values: full, partial'],
      [{ completeness: 'full' }, 'note', 'should not be empty'],
      [{ completeness: 'full', note: tooLong }, 'note', 'must be shorter than or equal to 4000 characters'],
      [{ completeness: 'full', note: 'x', evidence: ['javascript:alert(1)'] }, 'evidence', 'each must be an http(s) URL'],
      [{ completeness: 'full', note: 'x', occurredAt: '18/08/2022' }, 'occurredAt', 'must be an ISO 8601 timestamp'],
    ])('400 naming the field and the reason, case %#', async (body, field, reason) => {
      const response = await api.http.post(`/commitments/${commitmentId}/delivery`).set(bearer(staff)).send(body).expect(400);
      expect(response.body.errors).toContainEqual({ field, reason: expect.stringContaining(reason) });
      expect(response.body.message).toContain(field);
    });

    it('400 naming a nested field, and for a malformed id', async () => {
      const response = await api.http
        .post(`/commitments/${commitmentId}/retarget`)
        .set(bearer(staff))
        .send({ newTarget: { asSaid: 'February', latestDate: '2021-02-30' }, reason: 'x' })
        .expect(400);
      expect(response.body.errors).toEqual([{ field: 'newTarget.latestDate', reason: 'must be a date written YYYY-MM-DD' }]);
      await api.http.post('/commitments/Not_An_Id/start').set(bearer(staff)).send({}).expect(400);
    });

    it('422 when a rule is broken, with a sentence', async () => {
      const response = await api.http
        .post(`/commitments/${commitmentId}/retarget`)
        .set(bearer(staff))
        .send({ newTarget: { asSaid: 'last year', latestDate: '2019-12-31' }, reason: 'x' })
        .expect(422);
      expect(response.body.message).toBe('The target date 2019-12-31 is before the session of 2020-12-10.');
      await api.http
        .post(`/commitments/${commitmentId}/revisits`)
        .set(bearer(staff))
        .send({ sessionId, statement: 'Same day' })
        .expect(422);
      await api.http
        .post(`/commitments/${commitmentId}/progress`)
        .set(bearer(staff))
        .send({ note: 'x', occurredAt: '2999-01-01T00:00:00Z' })
        .expect(422);
      await api.http
        .post(`/commitments/${commitmentId}/supersede`)
        .set(bearer(staff))
        .send({ supersededBy: id('nothing'), note: 'x' })
        .expect(422);
    });

    it('409 when the command does not fit the state', async () => {
      const closed = id('closed');
      await api.http.post('/commitments').set(bearer(editor)).send(phaseTwo(closed, sessionId)).expect(201);
      await api.http
        .post(`/commitments/${closed}/drop`)
        .set(bearer(staff))
        .send({ reason: 'other', explanation: 'x' })
        .expect(200);
      const closedBefore = await streamOf(closed);
      const response = await api.http
        .post(`/commitments/${closed}/delivery`)
        .set(bearer(staff))
        .send({ completeness: 'full', note: 'x' })
        .expect(409);
      expect(response.body.message).toMatch(/^Cannot deliver this commitment: it is dropped\./);
      await api.http.post('/commitments').set(bearer(editor)).send(phaseTwo(closed, sessionId)).expect(409);
      expect(await streamOf(closed)).toEqual(closedBefore);
    });

    it('404 for an unknown commitment or session, and writes no stream', async () => {
      const unknown = id('unknown');
      await api.http.post(`/commitments/${unknown}/start`).set(bearer(staff)).send({}).expect(404);
      await api.http
        .post(`/sessions/${unknown}/corrections`)
        .set(bearer(editor))
        .send({ changes: { title: 'x' }, reason: 'x' })
        .expect(404);
      expect(await streamOf(unknown)).toEqual([]);
    });

    it('412 for a stale If-Match', async () => {
      const moved = id('moved-on');
      await api.http.post('/commitments').set(bearer(editor)).send(phaseTwo(moved, sessionId)).expect(201);
      await api.http
        .post(`/commitments/${moved}/progress`)
        .set(bearer(staff))
        .set('If-Match', '"0"')
        .send({ note: 'First' })
        .expect(200);
      const current = await streamOf(moved);
      const response = await api.http
        .post(`/commitments/${moved}/start`)
        .set(bearer(staff))
        .set('If-Match', '"0"')
        .send({})
        .expect(412);
      expect(response.body.message).toBe(
        `Commitment ${moved} has changed since revision 0: it is at revision 1. Reload it and try again.`,
      );
      expect(await streamOf(moved)).toEqual(current);
    });

    it('413 for a body over the limit', async () => {
      await api.http
        .post(`/commitments/${commitmentId}/progress`)
        .set(bearer(staff))
        .send({ note: 'x'.repeat(200_000) })
        .expect(413);
    });
  });

  describe('Idempotency-Key', () => {
    it('a retried request writes once and gets the first response', async () => {
      const commitmentId = id('idempotent');
      const first = await api.http
        .post('/commitments')
        .set(bearer(editor))
        .set('Idempotency-Key', `make-${run}`)
        .send(phaseTwo(commitmentId, sessionId))
        .expect(201);
      const retry = await api.http
        .post('/commitments')
        .set(bearer(editor))
        .set('Idempotency-Key', `make-${run}`)
        .send(phaseTwo(commitmentId, sessionId))
        .expect(201);
      expect(retry.text).toBe(first.text);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(types(await streamOf(commitmentId))).toEqual(['CommitmentMade']);
    });

    it('concurrent retries of one action write it once', async () => {
      const commitmentId = id('racing');
      await api.http.post('/commitments').set(bearer(editor)).send(phaseTwo(commitmentId, sessionId)).expect(201);
      const responses = await Promise.all(
        Array.from({ length: 5 }, () =>
          api.http
            .post(`/commitments/${commitmentId}/progress`)
            .set(bearer(staff))
            .set('Idempotency-Key', `progress-${run}`)
            .send({ note: 'Once' }),
        ),
      );
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
      expect(new Set(responses.map((response) => response.body.position)).size).toBe(1);
      expect(types(await streamOf(commitmentId))).toEqual(['CommitmentMade', 'ProgressReported']);
    });

    it('a key reused for a different request is refused and writes nothing', async () => {
      const commitmentId = id('reused');
      await api.http.post('/commitments').set(bearer(editor)).send(phaseTwo(commitmentId, sessionId)).expect(201);
      await api.http
        .post(`/commitments/${commitmentId}/progress`)
        .set(bearer(staff))
        .set('Idempotency-Key', `reuse-${run}`)
        .send({ note: 'First' })
        .expect(200);
      const response = await api.http
        .post(`/commitments/${commitmentId}/progress`)
        .set(bearer(staff))
        .set('Idempotency-Key', `reuse-${run}`)
        .send({ note: 'Second' })
        .expect(422);
      expect(response.body.message).toMatch(/already used for a different request/);
      expect(types(await streamOf(commitmentId))).toEqual(['CommitmentMade', 'ProgressReported']);
    });
  });

  it('reads need no token, and responses carry security headers', async () => {
    const response = await api.http.get('/health').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('serves an OpenAPI document listing every endpoint with request and response schemas', async () => {
    const { body: document } = await api.http.get('/api/openapi.json').expect(200);
    const writes = [
      ['post', '/sessions'],
      ['post', '/sessions/{sessionId}/corrections'],
      ['post', '/commitments'],
      ...['revisits', 'progress', 'start', 'retarget', 'delivery', 'drop', 'supersede', 'reopen', 'corrections', 'links'].map(
        (action) => ['post', `/commitments/{commitmentId}/${action}`],
      ),
      ['post', '/admin/tokens'],
    ];
    for (const [method, path] of writes) {
      const operation = document.paths[path!]?.[method!];
      expect({ path, documented: Boolean(operation) }).toEqual({ path, documented: true });
      expect(operation.requestBody?.content['application/json'].schema.$ref).toMatch(/^#\/components\/schemas\/\w+Dto$/);
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['400', '401', '403']));
      expect(operation.security).toEqual([{ bearer: [] }]);
      expect(operation.responses['401'].content['application/json'].schema.$ref).toBe('#/components/schemas/ErrorResponseDto');
    }
    expect(document.paths['/health'].get).toBeDefined();
    expect(document.components.schemas.MakeCommitmentDto.properties.quote.example).toBe(
      'We are planning to start in January or February.',
    );
  });
});

describe('write rate limit', () => {
  it('429 once a token has made its writes for the minute', async () => {
    const api = await startTestApp({ writeRateLimitPerMinute: 2 });
    try {
      const editor = await api.token('busy', 'editor');
      const sessionId = id('limited');
      await api.http.post('/sessions').set(bearer(editor)).send(session2020(sessionId)).expect(201);
      await api.http
        .post(`/sessions/${sessionId}/corrections`)
        .set(bearer(editor))
        .send({ changes: { title: 'A' }, reason: 'x' })
        .expect(200);
      await api.http
        .post(`/sessions/${sessionId}/corrections`)
        .set(bearer(editor))
        .send({ changes: { title: 'B' }, reason: 'x' })
        .expect(429);
      await api.http.get('/health').expect(200);
      expect(types(await api.store.readStream(sessionStreamId(sessionId)))).toEqual(['SessionRecorded', 'SessionCorrected']);
    } finally {
      await api.close();
    }
  }, 60_000);
});

function types(events: readonly RecordedEvent[]): string[] {
  return events.map((event) => event.type);
}
