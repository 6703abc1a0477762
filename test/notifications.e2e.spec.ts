import type { NotificationSettings } from '#config';
import { DataSource } from 'typeorm';
import type { Clock } from '../apps/api/src/command-handling/clock.js';
import { Subscriptions } from '../apps/api/src/notifications/subscriptions.js';
import { openMailbox, type Mailbox, type ReceivedMail } from '../apps/api/src/notifications/testing/mailbox.js';
import { commitmentBody, postOrFail, recordOfficeHours } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const BASE = 'http://tracker.test';
const SIGNUPS_PER_HOUR = 14;

/** A clock that runs from 05:00 UTC and can be moved on, so a digest's hour can come within the test. */
function movableClock(): Clock & { advance(ms: number): void } {
  const start = Date.now();
  let offset = Date.parse('2026-12-01T05:00:00.000Z') - start;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => void (offset += ms) };
}

const linkIn = (mail: ReceivedMail, path: string): string => {
  const found = new RegExp(`${BASE.replaceAll('.', '\\.')}${path}/[A-Za-z0-9_-]{43}`).exec(mail.mail.text ?? '');
  if (!found) throw new Error(`no ${path} link in: ${mail.mail.text}`);
  return found[0].slice(BASE.length);
};
const header = (mail: ReceivedMail, name: string) => {
  const line = mail.mail.headerLines.find((entry) => entry.key === name.toLowerCase());
  return line
    ? line.line
        .slice(line.line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim()
    : undefined;
};

describe('following by email, against a real SMTP server', () => {
  let mailbox: Mailbox;
  let api: TestApp;
  let db: DataSource;
  let editor: string;
  const clock = movableClock();

  const settings = (smtpUrl: string): NotificationSettings => ({
    run: true,
    smtpUrl,
    mailDirectory: '/nonexistent',
    mailFrom: 'Tracker <tracker@tracker.test>',
    webhookAllowPrivateTargets: true,
    maxAttempts: 3,
    retryFirstMs: 50,
    leaseSeconds: 10,
    digestHourUtc: 7,
    signupsPerHour: SIGNUPS_PER_HOUR,
  });

  beforeAll(async () => {
    mailbox = await openMailbox();
    api = await startTestApp({ publicBaseUrl: BASE, notifications: settings(mailbox.url) }, { clock });
    db = api.app.get(DataSource);
    editor = await api.token('editor.one', 'editor');
    await recordOfficeHours(api, editor, 'oh-2020');
    await postOrFail(api, editor, '/commitments', commitmentBody('phase-two', 'oh-2020'));
    const made = await postOrFail(
      api,
      editor,
      '/commitments',
      commitmentBody('grants-report', 'oh-2020', {
        ownerTeam: 'Research',
        topics: ['Grants'],
        summary: 'Publish the grants report',
      }),
    );
    // Following checks what is followed exists in the read models: they take the set-up in first.
    await api.http.get('/commitments/grants-report').query({ minPosition: made }).expect(200);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await mailbox?.close();
  });

  /** Until the notifier has met every event and the sender has nothing due: only then may a test say "nothing was sent". */
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
      if (position === head && pending === 0) return;
      if (Date.now() > deadline) throw new Error(`not settled: checkpoint ${position}, head ${head}, ${pending} pending`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const follow = (email: string, kind: string, value: string, cadence = 'immediate') =>
    api.http.post('/follow').type('form').send({ email, kind, value, cadence });
  const confirm = async (email: string, nth = 1) => {
    const [mail] = (await mailbox.waitFor(email, nth)).slice(nth - 1);
    expect(mail!.mail.subject).toBe('Confirm that you want to follow commitments');
    const path = linkIn(mail!, '/follow/confirm');
    const page = await api.http.get(path).expect(200);
    expect(page.text).toContain('<form method="post"');
    await api.http.post(path).expect(200);
  };
  const progress = (commitment: string, note: string) => postOrFail(api, editor, `/commitments/${commitment}/progress`, { note });

  it('sends nothing but the confirmation before it is confirmed, then each change, escaped, with one-click unsubscribe', async () => {
    const signUp = await follow('ana@example.org', 'commitment', 'phase-two').expect(202);
    expect(signUp.text).toContain('Check your inbox');
    const [confirmation] = await mailbox.waitFor('ana@example.org');
    expect(confirmation!.mail.text).toContain('Nothing is sent until you confirm');
    expect(confirmation!.mail.html).toContain(`${BASE}/follow/confirm/`);

    await progress('phase-two', 'Drafting has begun.');
    await settled();
    expect(mailbox.to('ana@example.org')).toHaveLength(1);

    await confirm('ana@example.org');
    const hostile = 'Met the <script>alert("x")</script> & committee';
    const position = await progress('phase-two', hostile);
    const [, news] = await mailbox.waitFor('ana@example.org', 2);
    const [event] = (await api.store.readAll({ after: 'start', maxCount: 1_000_000 })).events.filter(
      (e) => e.position === position,
    );

    expect(news!.mail.subject).toBe(`Start phase 2: Progress: ${hostile}`);
    expect(news!.mail.text).toContain(`Progress: ${hostile}`);
    expect(news!.mail.text).toContain(`${BASE}/commitments/phase-two`);
    expect(news!.mail.html).toContain('Progress: Met the &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; committee');
    expect(news!.mail.html).not.toContain('<script>');
    expect(news!.mail.messageId).toMatch(/^<[0-9a-f-]{36}@tracker\.test>$/);
    expect(header(news!, 'X-Tracker-Changes')).toBe(event!.id);
    expect(header(news!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const unsubscribe = /<(http[^>]+)>/.exec(header(news!, 'List-Unsubscribe') ?? '')?.[1];
    expect(unsubscribe).toMatch(new RegExp(`^${BASE.replaceAll('.', '\\.')}/follow/unsubscribe/[A-Za-z0-9_-]{43}$`));
    expect(news!.mail.text).toContain(unsubscribe);
    expect(news!.mail.text).toMatch(/See or delete everything kept about you: http:\/\/tracker\.test\/follow\/manage\//);

    // A correction is bookkeeping, not news.
    await postOrFail(api, editor, '/commitments/phase-two/corrections', {
      changes: { quote: 'We plan to start soon.' },
      reason: 'Typo',
    });
    await settled();
    expect(mailbox.to('ana@example.org')).toHaveLength(2);

    // RFC 8058: the mail client POSTs the body below to the List-Unsubscribe URL, with no cookie and no further step.
    const oneClick = await api.http
      .post(unsubscribe!.slice(BASE.length))
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(200);
    expect(oneClick.text).toContain('Unsubscribed');
    expect(await db.query(`select count(*)::int as n from notification_subscriptions where email = 'ana@example.org'`)).toEqual([
      { n: 0 },
    ]);
    await progress('phase-two', 'After ana left.');
    await settled();
    expect(mailbox.to('ana@example.org')).toHaveLength(2);
    await api.http.post(unsubscribe!.slice(BASE.length)).type('form').send('List-Unsubscribe=One-Click').expect(404);
  });

  it('gathers a daily follower’s changes into one digest at the digest hour', async () => {
    await follow('bob@example.org', 'team', 'Research', 'daily').expect(202);
    await confirm('bob@example.org');
    const first = await progress('grants-report', 'Data collected.');
    const second = await progress('grants-report', 'First draft written.');
    await progress('phase-two', 'Not Research: not in the digest.');
    await settled();
    expect(mailbox.to('bob@example.org')).toHaveLength(1);

    clock.advance(2.5 * 3_600_000);
    const [, digest] = await mailbox.waitFor('bob@example.org', 2);
    const events = (await api.store.readAll({ after: 'start', maxCount: 1_000_000 })).events;
    const ids = [first, second].map((position) => events.find((event) => event.position === position)!.id);
    expect(digest!.mail.subject).toBe('2 changes to the team Research: its commitments and the sessions it is to brief');
    expect(header(digest!, 'X-Tracker-Changes')).toBe(ids.join(' '));
    expect(digest!.mail.text).toContain('Progress: Data collected.');
    expect(digest!.mail.text).toContain('Progress: First draft written.');
    expect(digest!.mail.text).not.toContain('Not Research');
    expect(digest!.mail.html).toContain('Progress: First draft written.');
    expect(header(digest!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    await settled();
    expect(mailbox.to('bob@example.org')).toHaveLength(2);
  });

  it('shows a follower everything kept about them, and deletes it all', async () => {
    await follow('carol@example.org', 'topic', 'UCoC').expect(202);
    await confirm('carol@example.org', 1);
    await follow('carol@example.org', 'session', 'oh-2020', 'daily').expect(202);
    await confirm('carol@example.org', 2);
    await progress('phase-two', 'Carol hears of this.');
    const [, , news] = await mailbox.waitFor('carol@example.org', 3);
    const manage = linkIn(news!, '/follow/manage');
    // The message is marked sent once the SMTP server has taken it: the page counts what is marked.
    await settled();

    const page = await api.http.get(manage).expect(200);
    expect(page.text).toContain('carol@example.org');
    expect(page.text).toContain('the commitments on the topic UCoC');
    expect(page.text).toContain('session oh-2020 and its commitments');
    expect(page.text).toContain('1 sent');

    await api.http.post(`${manage}/delete`).expect(200);
    const [kept] = (await db.query(
      `select (select count(*) from notification_subscriptions where email like 'carol%')::int as subscriptions,
              (select count(*) from notification_tokens t where t.email like 'carol%' or (t.subscription_id is not null
                 and not exists (select 1 from notification_subscriptions s where s.subscription_id = t.subscription_id)))::int as tokens,
              (select count(*) from notification_deliveries d where d.subscription_id is not null and not exists
                 (select 1 from notification_subscriptions s where s.subscription_id = d.subscription_id))::int as deliveries`,
    )) as { subscriptions: number; tokens: number; deliveries: number }[];
    expect(kept).toEqual({ subscriptions: 0, tokens: 0, deliveries: 0 });
    await api.http.get(manage).expect(404);
    await progress('phase-two', 'Carol has gone.');
    await settled();
    expect(mailbox.to('carol@example.org')).toHaveLength(3);
  });

  it('answers a sign-up the same whether or not the address follows already, and names a bad field', async () => {
    await follow('dan@example.org', 'team', 'Trust & Safety').expect(202);
    await confirm('dan@example.org');
    const again = await follow('dan@example.org', 'team', 'Trust & Safety').expect(202);
    const fresh = await follow('erin@example.org', 'team', 'Trust & Safety').expect(202);
    expect(again.text).toBe(fresh.text);
    expect(again.headers['content-type']).toBe(fresh.headers['content-type']);

    const bad = await api.http
      .post('/follow')
      .send({ email: 'not an address', kind: 'team', value: 'x', cadence: 'daily' })
      .expect(400);
    expect(bad.body.message).toMatch(/^email/);
    await api.http.post('/follow').send({ email: 'a@example.org', kind: 'planet', value: 'x', cadence: 'daily' }).expect(400);
    await api.http
      .post('/follow')
      .send({ email: 'a@example.org', kind: 'commitment', value: 'no-such', cadence: 'daily' })
      .expect(404);
    await api.http.get('/follow/manage/not-a-token').expect(404);

    // A sign-up never confirmed is forgotten once its link has expired; a confirmed one stays.
    const pending = `select email from notification_subscriptions where email in ('dan@example.org', 'erin@example.org') order by email`;
    expect(await db.query(pending)).toEqual([{ email: 'dan@example.org' }, { email: 'erin@example.org' }]);
    await api.app.get(Subscriptions).forgetUnconfirmed(new Date(clock.now().getTime() + 8 * 86_400_000));
    expect(await db.query(pending)).toEqual([{ email: 'dan@example.org' }]);
  });

  it('limits sign-ups per address, the same for every email address', async () => {
    let status = 202;
    let made = 0;
    while (status !== 429 && made <= SIGNUPS_PER_HOUR) {
      status = (await follow(`flood${made}@example.org`, 'topic', 'Grants')).status;
      made++;
    }
    expect(status).toBe(429);
    expect(made).toBeLessThanOrEqual(SIGNUPS_PER_HOUR + 1);
  });
});
