import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { sessionStreamId } from '#governance';
import { createLogger } from '../apps/api/src/operations/logging.js';
import { MetricsService } from '../apps/api/src/operations/metrics.js';
import { ownDatabase } from './support/own-database.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const run = randomUUID().slice(0, 8);
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const session = (id: string) => ({
  id,
  date: '2020-12-10',
  title: 'Office hours 2020-12-10',
  kind: 'office_hour',
  hosts: [{ name: 'Maggie Dennis', role: null }],
  sourceUrl: 'https://meta.wikimedia.org/wiki/IRC_office_hours/Office_hours_2020-12-10',
});

/** Log lines as the api writes them: one JSON object per line. */
function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

const metricValue = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('what operators read', () => {
  let api: TestApp;
  let editor: string;
  const log = capturedLog();

  beforeAll(async () => {
    api = await startTestApp({ operations: { logLevel: 'info', maxProjectionLagSeconds: 5 } }, { logger: log.logger });
    editor = await api.token('ops-editor', 'editor');
  }, 60_000);
  afterAll(async () => api?.close());

  /** The request's line is written once its response has finished, a moment after the client has it. */
  const logged = async (match: (entry: Record<string, unknown>) => boolean) => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const found = log.lines.find(match);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return undefined;
  };

  describe('GET /metrics', () => {
    it('has request latency by route pattern, event-store append latency and projection lag, in Prometheus text', async () => {
      const first = `ops-a-${run}`;
      await api.http.post('/sessions').set(bearer(editor)).send(session(first)).expect(201);
      await api.http.get(`/sessions/nothing-here-${run}`).expect(404);
      await api.http.get(`/sessions/nothing-there-${run}`).expect(404);
      await api.http.get('/no/such/route').expect(404);

      const response = await api.http.get('/metrics').expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = response.text;
      expect(
        metricValue(text, 'http_request_duration_seconds_count{method="GET",route="/sessions/:sessionId",status_code="404"}'),
      ).toBe(2);
      expect(metricValue(text, 'http_request_duration_seconds_count{method="POST",route="/sessions",status_code="201"}')).toBe(1);
      expect(metricValue(text, 'http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"}')).toBe(1);
      expect(text).not.toContain(`nothing-here-${run}`);
      expect(text).toContain('# TYPE http_request_duration_seconds histogram');
      expect(
        metricValue(text, 'event_store_append_duration_seconds_count{operation="append",outcome="ok"}'),
      ).toBeGreaterThanOrEqual(1);
      for (const projection of ['commitments', 'sessions', 'commitment_states', 'corrections', 'links']) {
        expect(metricValue(text, `projection_lag_events{projection="${projection}"}`)).toEqual(expect.any(Number));
        expect(metricValue(text, `projection_lag_seconds{projection="${projection}"}`)).toEqual(expect.any(Number));
      }
    });

    it('exposes the named gauges other parts of the api set', async () => {
      const metrics = api.app.get(MetricsService);
      metrics.gauge('cacheHitRatio').set({ cache: 'public-reads' }, 0.75);
      metrics.gauge('notificationQueueDepth').set({ channel: 'email' }, 3);
      const text = (await api.http.get('/metrics').expect(200)).text;
      expect(metricValue(text, 'read_cache_hit_ratio{cache="public-reads"}')).toBe(0.75);
      expect(metricValue(text, 'notification_queue_depth{channel="email"}')).toBe(3);
    });
  });

  describe('structured logs', () => {
    it('logs each request as JSON with its request id, and the events it wrote carry it as correlation id', async () => {
      const requestId = `req-${randomUUID()}`;
      const id = `ops-log-${run}`;
      const response = await api.http
        .post('/sessions')
        .set(bearer(editor))
        .set('X-Request-Id', requestId)
        .send(session(id))
        .expect(201);
      expect(response.headers['x-request-id']).toBe(requestId);
      const line = await logged((entry) => entry.requestId === requestId);
      expect(line).toMatchObject({ level: 30, requestId, req: { method: 'POST', url: '/sessions' }, res: { statusCode: 201 } });
      expect(JSON.stringify(line)).not.toContain(editor);
      const [event] = await api.store.readStream(sessionStreamId(id));
      expect(event!.metadata.correlationId).toBe(requestId);
    });

    it('without a request id it makes one, sends it back, logs it and records it in the events', async () => {
      const id = `ops-log2-${run}`;
      const response = await api.http.post('/sessions').set(bearer(editor)).send(session(id)).expect(201);
      const requestId = response.headers['x-request-id'] as string;
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(await logged((entry) => entry.requestId === requestId)).toBeDefined();
      const [event] = await api.store.readStream(sessionStreamId(id));
      expect(event!.metadata.correlationId).toBe(requestId);
    });

    it('an X-Correlation-Id names both, so the log and the events agree', async () => {
      const correlationId = `corr-${randomUUID()}`;
      const id = `ops-log3-${run}`;
      const response = await api.http
        .post('/sessions')
        .set(bearer(editor))
        .set('X-Correlation-Id', correlationId)
        .send(session(id))
        .expect(201);
      expect(response.headers['x-request-id']).toBe(correlationId);
      expect(await logged((entry) => entry.requestId === correlationId)).toBeDefined();
      expect((await api.store.readStream(sessionStreamId(id)))[0]!.metadata.correlationId).toBe(correlationId);
    });
  });

  describe('health', () => {});
});

// Apps of their own, one at a time: two apps open at once in one process share TypeORM's driver
// registry, and closing one disconnects the other.
describe('a projector that is behind', () => {
  let database: Awaited<ReturnType<typeof ownDatabase>>;
  beforeEach(async () => {
    database = await ownDatabase();
  });
  afterEach(async () => database.drop());

  it('shows projection lag while the projector is behind', async () => {
    const behind = await startTestApp({ runProjector: false, ...database.config });
    try {
      const editorBehind = await behind.token('behind-editor', 'editor');
      await behind.http
        .post('/sessions')
        .set(bearer(editorBehind))
        .send(session(`ops-lag-${run}`))
        .expect(201);
      const text = (await behind.http.get('/metrics').expect(200)).text;
      expect(metricValue(text, 'projection_lag_events{projection="sessions"}')).toBe(1);
      expect(metricValue(text, 'projection_lag_seconds{projection="sessions"}')).toBeGreaterThanOrEqual(0);
    } finally {
      await behind.close();
    }
  });

  it('a projection lagging beyond the bound fails readiness with the reason; liveness and /health stay 200', async () => {
    const lagging = await startTestApp({
      runProjector: false,
      ...database.config,
      operations: { logLevel: 'silent', maxProjectionLagSeconds: 1 },
    });
    try {
      await lagging.http.get('/health/ready').expect(200);
      const editorLagging = await lagging.token('lag-editor', 'editor');
      await lagging.http
        .post('/sessions')
        .set(bearer(editorLagging))
        .send(session(`ops-ready-${run}`))
        .expect(201);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const ready = await lagging.http.get('/health/ready').expect(503);
      expect(ready.body).toMatchObject({ status: 'failing', maxLagSeconds: 1 });
      expect((ready.body as { reasons: string[] }).reasons).toContainEqual(
        expect.stringMatching(/^Projection sessions is 1 events and \d+ s behind the log \(the bound is 1 s\)$/),
      );
      expect((ready.body as { lag: { name: string; events: number }[] }).lag).toContainEqual(
        expect.objectContaining({ name: 'sessions', events: 1 }),
      );
      await lagging.http.get('/health/live').expect(200);
      await lagging.http.get('/health').expect(200);
    } finally {
      await lagging.close();
    }
  }, 60_000);

  it('a stuck projection fails readiness and says which event and why; liveness stays 200', async () => {
    const stuck = await startTestApp({ runProjector: false, ...database.config });
    try {
      await stuck.http.get('/health/ready').expect(200);
      // As the projector records an event it cannot apply (libs/read-models checkpoints.ts).
      await stuck.app.get(DataSource).query(
        `insert into projection_checkpoints (projection, position, updated_at, failing_position, failing_stream_id,
           failing_event_type, failing_error, failing_since, failing_attempts, failing_last_attempt_at)
         values ('links', 'start', now(), '00000000000000000001/0000000000000000001', 'commitment-x', 'CommitmentLinked',
           'test: cannot apply', now(), 1, now())`,
      );
      const ready = await stuck.http.get('/health/ready').expect(503);
      expect((ready.body as { reasons: string[] }).reasons).toEqual([
        'Projection links is stuck: it cannot apply CommitmentLinked at 00000000000000000001/0000000000000000001: test: cannot apply',
      ]);
      await stuck.http.get('/health/live').expect(200);
    } finally {
      await stuck.close();
    }
  }, 60_000);
});
