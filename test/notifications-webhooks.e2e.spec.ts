import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openMailbox, type Mailbox } from '../apps/api/src/notifications/testing/mailbox.js';
import { commitmentBody, postOrFail, recordOfficeHours } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface Call {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly raw: string;
  readonly status: number;
}

/** The receiver's side of the README: the signature over `<timestamp>.<raw body>`, compared in constant time. */
function verified(secret: string, headers: IncomingHttpHeaders, raw: string): boolean {
  const timestamp = String(headers['x-tracker-timestamp']);
  const given = Buffer.from(String(headers['x-tracker-signature']).replace(/^sha256=/, ''), 'hex');
  const expected = createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest();
  return (
    given.length === expected.length && timingSafeEqual(given, expected) && Math.abs(Date.now() / 1000 - Number(timestamp)) < 300
  );
}

describe('following by webhook', () => {
  let receiver: Server;
  let base: string;
  const calls: Call[] = [];
  /** What each path answers next; once a list runs out, its last answer stays. */
  const answers = new Map<string, number[]>();
  let mailbox: Mailbox;
  let api: TestApp;
  let editor: string;
  let admin: string;
  let staff: string;
  const SECRET = 'a-webhook-secret-of-at-least-32-chars';

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let raw = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (raw += chunk));
      request.on('end', () => {
        const queue = answers.get(request.url!) ?? [204];
        const status = queue.length > 1 ? queue.shift()! : queue[0]!;
        calls.push({ path: request.url!, headers: request.headers, raw, status });
        response.statusCode = status;
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    mailbox = await openMailbox();
    api = await startTestApp({
      publicBaseUrl: 'http://tracker.test',
      notifications: {
        run: true,
        smtpUrl: mailbox.url,
        mailDirectory: '/nonexistent',
        mailFrom: 'Tracker <tracker@tracker.test>',
        webhookAllowPrivateTargets: true,
        maxAttempts: 3,
        retryFirstMs: 20,
        leaseSeconds: 10,
        digestHourUtc: 7,
        signupsPerHour: 10,
      },
    });
    editor = await api.token('editor.hooks', 'editor');
    admin = await api.token('admin.hooks', 'admin');
    staff = await api.token('staff.hooks', 'staff');
    await recordOfficeHours(api, editor, 'oh-hooks');
    await postOrFail(api, editor, '/commitments', commitmentBody('hooked', 'oh-hooks'));
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await mailbox?.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const register = (token: string, body: object) => api.http.post('/webhooks').set(bearer(token)).send(body);
  const callsTo = (path: string) => calls.filter((call) => call.path === path);
  const until = async <T>(what: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await what();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const deliveries = async (id: string) =>
    (await api.http.get(`/webhooks/${id}/deliveries`).set(bearer(editor)).expect(200)).body as {
      id: string;
      status: string;
      attempts: number;
      lastError: string | null;
      event: { id: string; type: string };
    }[];

  it('refuses what it must not call and who may not register, naming the field', async () => {
    const scheme = await register(editor, { url: 'ftp://bots.example.org/', kind: 'all' }).expect(400);
    expect(scheme.body.errors).toEqual([{ field: 'url', reason: 'must use http:// or https://' }]);
    await register(editor, { url: `${base}/x`, kind: 'team' }).expect(400);
    await register(editor, { url: `${base}/x`, kind: 'all', secret: 'short' }).expect(400);
    // Absent makes one; null is not a secret (the fuzz suite found it accepted).
    const unset = await register(editor, { url: `${base}/x`, kind: 'all', secret: null }).expect(400);
    expect(unset.body.errors).toContainEqual({ field: 'secret', reason: 'cannot be null' });
    await register(editor, { url: `${base}/x`, kind: 'all', extra: 1 }).expect(400);
    await register(staff, { url: `${base}/x`, kind: 'all' }).expect(403);
    await api.http
      .post('/webhooks')
      .send({ url: `${base}/x`, kind: 'all' })
      .expect(401);
  });

  it('POSTs each piece of news it follows as signed JSON, and no corrections', async () => {
    const hook = (
      await register(editor, { url: `${base}/ok`, kind: 'team', value: 'Trust & Safety', secret: SECRET }).expect(201)
    ).body as { id: string; secret: string };
    expect(hook.secret).toBe(SECRET);
    expect(JSON.stringify((await api.http.get('/webhooks').set(bearer(editor)).expect(200)).body)).not.toContain(SECRET);

    const position = await postOrFail(api, editor, '/commitments/hooked/progress', { note: 'Signed <b>news</b>' });
    const [call] = await until(() => (callsTo('/ok').length >= 1 ? callsTo('/ok') : undefined));
    expect(verified(SECRET, call!.headers, call!.raw)).toBe(true);
    expect(verified('another-secret-of-at-least-32-characters', call!.headers, call!.raw)).toBe(false);
    expect(verified(SECRET, call!.headers, call!.raw.replace('Signed', 'Forged'))).toBe(false);
    const body = JSON.parse(call!.raw) as {
      delivery: string;
      event: Record<string, unknown>;
      commitment: Record<string, unknown>;
    };
    expect(call!.headers['content-type']).toBe('application/json');
    expect(call!.headers['x-tracker-event']).toBe('ProgressReported');
    expect(call!.headers['x-tracker-delivery']).toBe(body.delivery);
    expect(body.event).toEqual(
      expect.objectContaining({ type: 'ProgressReported', position, text: 'Progress: Signed <b>news</b>' }),
    );
    expect(body.commitment).toEqual(
      expect.objectContaining({ id: 'hooked', ownerTeam: 'Trust & Safety', url: 'http://tracker.test/commitments/hooked' }),
    );

    await postOrFail(api, editor, '/commitments/hooked/corrections', { changes: { quote: 'Corrected quote.' }, reason: 'Typo' });
    await postOrFail(api, editor, '/commitments/hooked/progress', { note: 'After the correction' });
    await until(() => (callsTo('/ok').length >= 2 ? true : undefined));
    expect(callsTo('/ok').map((c) => JSON.parse(c.raw).event.type)).toEqual(['ProgressReported', 'ProgressReported']);
    expect((await deliveries(hook.id)).map((d) => [d.status, d.attempts])).toEqual([
      ['sent', 0],
      ['sent', 0],
    ]);
  });

  it('retries a failing receiver with backoff, the same delivery each time, and parks it after the last attempt', async () => {
    answers.set('/flaky', [500, 502, 204]);
    answers.set('/down', [503]);
    const flaky = (await register(editor, { url: `${base}/flaky`, kind: 'commitment', value: 'hooked' }).expect(201)).body as {
      id: string;
    };
    const down = (await register(editor, { url: `${base}/down`, kind: 'all' }).expect(201)).body as { id: string };
    await postOrFail(api, editor, '/commitments/hooked/progress', { note: 'Try, try again' });

    const [sent] = await until(async () => {
      const rows = await deliveries(flaky.id);
      return rows[0]?.status === 'sent' ? rows : undefined;
    });
    expect(sent).toEqual(expect.objectContaining({ status: 'sent', attempts: 2 }));
    expect(callsTo('/flaky').map((call) => call.status)).toEqual([500, 502, 204]);
    expect(new Set(callsTo('/flaky').map((call) => call.headers['x-tracker-delivery']))).toEqual(new Set([sent!.id]));

    const [parked] = await until(async () => {
      const rows = await deliveries(down.id);
      return rows[0]?.status === 'parked' ? rows : undefined;
    });
    expect(parked!.attempts).toBe(3);
    expect(parked!.lastError).toBe('parked after 3 failed attempts; last: answered HTTP 503');
    expect(callsTo('/down')).toHaveLength(3);

    // Parked stays parked, until an admin sends it again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(callsTo('/down')).toHaveLength(3);
    await api.http.post(`/webhooks/deliveries/${parked!.id}/redeliver`).set(bearer(editor)).expect(403);
    answers.set('/down', [204]);
    await api.http.post(`/webhooks/deliveries/${parked!.id}/redeliver`).set(bearer(admin)).expect(202);
    const [again] = await until(async () => {
      const rows = await deliveries(down.id);
      return rows[0]?.status === 'sent' ? rows : undefined;
    });
    expect(again!.id).toBe(parked!.id);
    expect(callsTo('/down').map((call) => call.status)).toEqual([503, 503, 503, 204]);
    await api.http.post('/webhooks/deliveries/00000000-0000-4000-8000-000000000000/redeliver').set(bearer(admin)).expect(404);
  });
});
