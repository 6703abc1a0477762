import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { compareLogPositions, type LogCursor } from '#event-store';
import { sessionStreamId } from '#governance';
import type { Clock } from '../apps/api/src/command-handling/clock.js';
import { openMailbox, type Mailbox, type ReceivedMail } from '../apps/api/src/notifications/testing/mailbox.js';
import { ownDatabase } from './support/own-database.js';
import { commitmentBody, postOrFail, recordOfficeHours } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const BASE = 'http://tracker.test';
const SECRET = 'a-webhook-secret-of-at-least-32-chars';

/**
 * The system's time, moved on to bring the digest hour (the next whole hour) within the test. It
 * starts at the system's time: a webhook counts from its registration, stamped by the database's clock.
 */
function movableClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => void (offset += ms) };
}
const DIGEST_HOUR = (new Date().getUTCHours() + 1) % 24;

interface Call {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly raw: string;
}

const header = (mail: ReceivedMail, name: string) => {
  const line = mail.mail.headerLines.find((entry) => entry.key === name.toLowerCase());
  return line
    ? line.line
        .slice(line.line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim()
    : undefined;
};

function verified(headers: IncomingHttpHeaders, raw: string): boolean {
  const given = Buffer.from(String(headers['x-tracker-signature']).replace(/^sha256=/, ''), 'hex');
  const expected = createHmac('sha256', SECRET)
    .update(`${String(headers['x-tracker-timestamp'])}.${raw}`)
    .digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('following an announced session by email and webhook', () => {
  let database: Awaited<ReturnType<typeof ownDatabase>>;
  let mailbox: Mailbox;
  let receiver: Server;
  let hooks: string;
  const calls: Call[] = [];
  let api: TestApp;
  let db: DataSource;
  let editor: string;
  const clock = movableClock();

  const team = 'Trust & <Safety>';
  const title = 'Office <b>hours</b> & "Q&A"';
  const moveReason = 'The host is away: <script>alert("x")</script>\nback a week later';
  const cancelReason = 'Called off & "sorry"';
  const session = 'oh-2030-12-10';
  const other = 'board-2030-12-11';

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let raw = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (raw += chunk));
      request.on('end', () => {
        calls.push({ path: request.url!, headers: request.headers, raw });
        response.statusCode = 204;
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hooks = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    mailbox = await openMailbox();
    // A log of its own: every delivery counted here is this spec's.
    database = await ownDatabase();
    api = await startTestApp(
      {
        ...database.config,
        publicBaseUrl: BASE,
        notifications: {
          run: true,
          smtpUrl: mailbox.url,
          mailDirectory: '/nonexistent',
          mailFrom: 'Tracker <tracker@tracker.test>',
          webhookAllowPrivateTargets: true,
          maxAttempts: 3,
          retryFirstMs: 50,
          leaseSeconds: 10,
          digestHourUtc: DIGEST_HOUR,
          signupsPerHour: 20,
        },
      },
      { clock },
    );
    db = api.app.get(DataSource);
    editor = await api.token('editor.sessions', 'editor');
    await recordOfficeHours(api, editor, 'oh-2020');
    await postOrFail(api, editor, '/commitments', commitmentBody('c-ucoc', 'oh-2020', { ownerTeam: team, topics: ['UCoC'] }));
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await mailbox?.close();
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
    await database?.drop();
  });

  const settled = async () => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const head = (await api.store.readAll({ after: 'start', maxCount: 1_000_000 })).next;
      const [{ position, pending }] = (await db.query(
        `select (select position from notification_checkpoints where processor = 'notifier') as position,
                (select count(*)::int from notification_messages where status = 'pending') +
                (select count(*)::int from notification_deliveries d join notification_subscriptions s using (subscription_id)
                  where d.message_id is null and s.cadence = 'immediate') as pending`,
      )) as { position: string | null; pending: number }[];
      // The log as a reader sees it may trail a write while another transaction runs on the
      // server: settled is also past the last write this spec made.
      const pastLastWrite = position !== null && compareLogPositions(position as LogCursor, lastWrite as LogCursor) >= 0;
      if (pastLastWrite && position === head && pending === 0) return;
      if (Date.now() > deadline) throw new Error(`not settled: checkpoint ${position}, head ${head}, ${pending} pending`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const follow = async (email: string, kind: string, value: string, cadence = 'immediate') => {
    await api.http.post('/follow').type('form').send({ email, kind, value, cadence }).expect(202);
    const [confirmation] = await mailbox.waitFor(email);
    const path = /http:\/\/tracker\.test(\/follow\/confirm\/[A-Za-z0-9_-]{43})/.exec(confirmation!.mail.text ?? '')![1]!;
    await api.http.post(path).expect(200);
  };
  const register = async (path: string, kind: string, value?: string) => {
    const body = { url: `${hooks}${path}`, kind, secret: SECRET, ...(value === undefined ? {} : { value }) };
    await api.http.post('/webhooks').set('Authorization', `Bearer ${editor}`).send(body).expect(201);
  };
  let lastWrite = 'start';
  const write = async (path: string, body: object) => (lastWrite = await postOrFail(api, editor, path, body));
  /** The id of the latest event of a session: its stream is read as written. */
  const latestOf = async (sessionId: string) => (await api.store.readStream(sessionStreamId(sessionId))).at(-1)!.id;
  const news = (email: string) => mailbox.to(email).slice(1);
  const callsTo = (path: string) => calls.filter((call) => call.path === path);

  const events: { announced?: string; moved?: string; cancelled?: string; otherAnnounced?: string } = {};

  it('tells each follower of a team the session names, and webhooks, of its announcement, move and cancellation, once each', async () => {
    await follow('ana@example.org', 'team', team);
    await follow('dee@example.org', 'team', team, 'daily');
    await follow('ben@example.org', 'topic', 'UCoC');
    await follow('eve@example.org', 'team', 'Legal');
    await register('/all', 'all');
    await register('/team', 'team', team);
    await register('/session', 'session', session);
    await register('/topic', 'topic', 'UCoC');

    const plan = { id: session, date: '2030-12-10', title, hosts: [{ name: 'Maggie Dennis', role: 'VP' }], teams: [team] };
    const announcedAt = await write('/sessions/upcoming', plan);
    events.announced = await latestOf(session);
    await api.http.get('/upcoming-sessions').query({ minPosition: announcedAt }).expect(200);
    // Following the announced session itself, from its brief: from its confirmation on, its changes.
    const brief = await api.http
      .get('/brief')
      .query({ session, minPosition: announcedAt })
      .set('Accept', 'text/html')
      .expect(200);
    expect(brief.text).toContain(`href="/follow?kind=session&amp;value=${session}">Follow this session by email</a>`);
    const form = await api.http.get('/follow').query({ kind: 'session', value: session }).expect(200);
    expect(form.text).toContain('If the session is announced and still to come: when it moves to another day or is cancelled.');
    await api.http.get('/follow').query({ kind: 'session', value: 'never-announced' }).expect(404);
    const teamForm = await api.http.get('/follow').query({ kind: 'team', value: team }).expect(200);
    expect(teamForm.text).toContain('Also when a session that names the team is announced, moved to another day or cancelled.');
    await follow('cai@example.org', 'session', session);

    // Other hosts on the same day: bookkeeping of the plan, not news.
    await write(`/sessions/${session}/rescheduling`, {
      changes: { hosts: [{ name: 'Maggie Dennis' }, { name: 'Selena Deckelmann' }] },
      reason: 'A second host',
    });
    await write(`/sessions/${session}/rescheduling`, { changes: { date: '2030-12-17' }, reason: moveReason });
    events.moved = await latestOf(session);
    await write(`/sessions/${session}/cancellation`, { reason: cancelReason });
    events.cancelled = await latestOf(session);
    // A session naming no team: only the webhook that follows everything hears of it.
    await write('/sessions/upcoming', { id: other, date: '2030-12-11', title: 'Board', hosts: [{ name: 'X' }] });
    events.otherAnnounced = await latestOf(other);
    await settled();

    // Email, immediate: the team's follower hears all three, the session's follower the two after it confirmed.
    // Each change is a message of its own; messages queued together may leave in any order.
    const mailFor = (email: string, eventId: string) => news(email).find((mail) => header(mail, 'X-Tracker-Changes') === eventId);
    expect(news('ana@example.org')).toHaveLength(3);
    const [announcedMail, movedMail, cancelledMail] = [events.announced, events.moved, events.cancelled].map((eventId) =>
      mailFor('ana@example.org', eventId!),
    );
    expect(announcedMail!.mail.subject).toBe(`${title}: Announced for 10 Dec 2030.`);
    expect(announcedMail!.mail.text).toContain(`${title} (session; hosts: Maggie Dennis; teams to brief: ${team})`);
    expect(announcedMail!.mail.text).toContain(`${BASE}/brief?session=${session}`);
    expect(announcedMail!.mail.html).toContain(
      `<a href="${BASE}/brief?session=${session}">Office &lt;b&gt;hours&lt;/b&gt; &amp; &quot;Q&amp;A&quot;</a>`,
    );
    expect(announcedMail!.mail.html).toContain('teams to brief: Trust &amp; &lt;Safety&gt;');
    expect(announcedMail!.mail.html).not.toContain('<b>hours</b>');
    expect(header(announcedMail!, 'X-Tracker-Changes')).toBe(events.announced);
    expect(header(announcedMail!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

    expect(movedMail!.mail.text).toContain(`Moved from 10 Dec 2030 to 17 Dec 2030: ${moveReason}`);
    expect(movedMail!.mail.text).toContain('Now planned for 17 Dec 2030.');
    expect(movedMail!.mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(movedMail!.mail.html).not.toContain('<script>');
    expect(header(movedMail!, 'X-Tracker-Changes')).toBe(events.moved);
    expect(cancelledMail!.mail.text).toContain(`Cancelled (it was planned for 17 Dec 2030): ${cancelReason}`);
    expect(cancelledMail!.mail.text).toContain('It is cancelled.');
    expect(cancelledMail!.mail.html).toContain('Called off &amp; &quot;sorry&quot;');
    expect(header(cancelledMail!, 'X-Tracker-Changes')).toBe(events.cancelled);

    expect(
      news('cai@example.org')
        .map((mail) => header(mail, 'X-Tracker-Changes'))
        .sort(),
    ).toEqual([events.moved, events.cancelled].sort());
    expect(news('ben@example.org')).toEqual([]);
    expect(news('eve@example.org')).toEqual([]);
    expect(news('dee@example.org')).toEqual([]);

    // Webhooks: signed JSON, the session's words exactly as given once parsed.
    const bodies = (path: string) =>
      callsTo(path).map((call) => {
        expect(verified(call.headers, call.raw)).toBe(true);
        return JSON.parse(call.raw) as { event: { id: string; type: string; text: string }; session: Record<string, unknown> };
      });
    const ids = (path: string) =>
      bodies(path)
        .map((body) => body.event.id)
        .sort();
    const three = [events.announced, events.moved, events.cancelled];
    expect(ids('/all')).toEqual([...three, events.otherAnnounced].sort());
    expect(ids('/team')).toEqual([...three].sort());
    expect(ids('/session')).toEqual([...three].sort());
    expect(callsTo('/topic')).toEqual([]);
    const moved = bodies('/team').find((body) => body.event.id === events.moved);
    expect(moved!.event).toMatchObject({
      type: 'SessionRescheduled',
      text: `Moved from 10 Dec 2030 to 17 Dec 2030: ${moveReason}`,
    });
    expect(moved!.session).toEqual({
      id: session,
      title,
      date: '2030-12-17',
      previousDate: '2030-12-10',
      status: 'scheduled',
      reason: moveReason,
      hosts: [
        { name: 'Maggie Dennis', role: null },
        { name: 'Selena Deckelmann', role: null },
      ],
      teams: [team],
      url: `${BASE}/brief?session=${session}`,
    });
    expect(
      callsTo('/team')
        .map((call) => call.headers['x-tracker-event'])
        .sort(),
    ).toEqual(['SessionCancelled', 'SessionRescheduled', 'SessionScheduled']);
    expect(bodies('/team').find((body) => body.event.id === events.cancelled)!.session).toMatchObject({
      status: 'cancelled',
      reason: cancelReason,
    });
  });

  it('gathers them into a daily follower’s digest at the digest hour', async () => {
    clock.advance(2 * 3_600_000);
    const [, digest] = await mailbox.waitFor('dee@example.org', 2);
    expect(digest!.mail.subject).toBe(`3 changes to the team ${team}: its commitments and the sessions it is to brief`);
    expect(header(digest!, 'X-Tracker-Changes')).toBe([events.announced, events.moved, events.cancelled].join(' '));
    expect(digest!.mail.text).toContain(
      `- ${title} (session; hosts: Maggie Dennis; teams to brief: ${team}): Announced for 10 Dec 2030.`,
    );
    expect(digest!.mail.text).toContain(`(cancelled, `);
    expect(digest!.mail.html).toContain('Office &lt;b&gt;hours&lt;/b&gt;');
    expect(digest!.mail.html).not.toContain('<script>');
  });

  it('records one delivery per follower and change, each in one message, and sends nothing more', async () => {
    await settled();
    const rows = (await db.query(
      `select coalesce(s.email, w.url) as follower, n.event_id, count(*)::int as deliveries, count(distinct d.message_id)::int as messages
         from notification_deliveries d join notification_news n using (event_id)
         left join notification_subscriptions s using (subscription_id) left join webhooks w using (webhook_id)
        where n.session_id is not null
        group by 1, 2`,
    )) as { follower: string; event_id: string; deliveries: number; messages: number }[];
    const count = (follower: string) => rows.filter((row) => row.follower === follower).length;
    expect(rows.every((row) => row.deliveries === 1 && row.messages === 1)).toBe(true);
    expect([count('ana@example.org'), count('dee@example.org'), count('cai@example.org')]).toEqual([3, 3, 2]);
    expect([count(`${hooks}/all`), count(`${hooks}/team`), count(`${hooks}/session`), count(`${hooks}/topic`)]).toEqual([
      4, 3, 3, 0,
    ]);
    expect(count('ben@example.org') + count('eve@example.org')).toBe(0);
    // Bookkeeping was never stored as news.
    expect(
      (await db.query(`select event_type from notification_news where session_id = $1 order by position`, [session])).map(
        (row: { event_type: string }) => row.event_type,
      ),
    ).toEqual(['SessionScheduled', 'SessionRescheduled', 'SessionCancelled']);
    const before = { mails: mailbox.received.length, calls: calls.length };
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect({ mails: mailbox.received.length, calls: calls.length }).toEqual(before);
    const ids = mailbox.received.map((mail) => mail.mail.messageId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
