import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { commitmentStreamId } from '#governance';
import { StaffTokens } from '../apps/api/src/auth/staff-tokens.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { HTML, FORM, csrfOf, revisionOf, fieldError } from './support/staff-forms.js';

const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;

const cookieOf = (response: request.Response, name = 'tracker_staff') => {
  const raw = response.headers['set-cookie'] as unknown as string[] | undefined;
  return (raw ?? []).find((cookie) => cookie.startsWith(`${name}=`)) ?? null;
};

describe('staff pages: sign in with a token, then change a commitment through its page', () => {
  let api: TestApp;
  let staffToken: string;
  const session = id('oh');
  const laterSession = id('ch');
  const commitment = id('promise');

  beforeAll(async () => {
    api = await startTestApp();
    const editor = await api.token('ed', 'editor');
    staffToken = await api.token('sam', 'staff');
    let position = '';
    const post = async (path: string, body: object) => {
      const response = await api.http.post(path).set('Authorization', `Bearer ${editor}`).send(body);
      if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      position = response.body.position as string;
    };
    for (const [sessionId, date] of [
      [session, '2020-12-10'],
      [laterSession, '2022-08-18'],
    ] as const) {
      await post('/sessions', {
        id: sessionId,
        date,
        title: `Office hour ${date}`,
        kind: 'office_hour',
        hosts: [{ name: 'Host' }],
        sourceUrl: 'https://meta.wikimedia.org/wiki/Office_hours',
      });
    }
    await post('/commitments', {
      id: commitment,
      sessionId: session,
      speaker: { name: 'Speaker' },
      ownerTeam: 'Trust & Safety',
      topics: ['Code of Conduct'],
      summary: 'Start phase 2',
      quote: 'We plan to start in January or February.',
      target: { asSaid: 'January or February 2021', latestDate: '2021-02-28' },
      strength: 'plan',
    });
    // The pages read the read models: they take the set-up in first.
    await api.http.get(`/commitments/${commitment}`).query({ minPosition: position }).expect(200);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  const streamTypes = async () => (await api.store.readStream(commitmentStreamId(commitment))).map((event) => event.type);

  /** A browser: keeps its cookie, signs in through the form. */
  async function signedInBrowser(token = staffToken) {
    const browser = request.agent(api.app.getHttpServer());
    const form = await browser.get(`/staff/sign-in?returnTo=/commitments/${commitment}`).set(HTML).expect(200);
    const signIn = await browser
      .post('/staff/sign-in')
      .type(FORM)
      .send({ _csrf: csrfOf(form.text), token, returnTo: `/commitments/${commitment}` });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.location).toBe(`/commitments/${commitment}`);
    return browser;
  }

  const commitmentPage = async (browser: ReturnType<typeof request.agent>) =>
    (await browser.get(`/commitments/${commitment}`).set(HTML).expect(200)).text;

  it('the sign-in form sets an httpOnly, SameSite=Strict form cookie (no session yet) and carries a CSRF token; a post without it is refused', async () => {
    const browser = request.agent(api.app.getHttpServer());
    const form = await browser.get('/staff/sign-in').set(HTML).expect(200);
    expect(form.headers['cache-control']).toBe('no-store');
    expect(cookieOf(form)).toBeNull();
    expect(cookieOf(form, 'tracker_sign_in')).toMatch(/HttpOnly/);
    expect(cookieOf(form, 'tracker_sign_in')).toMatch(/SameSite=Strict/);
    expect(csrfOf(form.text).length).toBeGreaterThan(20);
    expect(form.text).toContain('<label for="token">Staff token</label>');

    const forged = await request(api.app.getHttpServer()).post('/staff/sign-in').type(FORM).send({ token: staffToken });
    expect(forged.status).toBe(403);
    expect(cookieOf(forged)).toBeNull();
    const wrongCsrf = await browser.post('/staff/sign-in').type(FORM).send({ _csrf: 'not-the-token', token: staffToken });
    expect(wrongCsrf.status).toBe(403);
  });

  it('a wrong or empty token is refused with the reason next to the token field, and signs nobody in', async () => {
    const browser = request.agent(api.app.getHttpServer());
    const form = await browser.get('/staff/sign-in').set(HTML).expect(200);
    const empty = await browser
      .post('/staff/sign-in')
      .type(FORM)
      .send({ _csrf: csrfOf(form.text), token: ' ' });
    expect(empty.status).toBe(400);
    expect(fieldError(empty.text, 'token')).toBe('Enter the staff token you were given.');
    expect(empty.text).toMatch(
      /<input id="token" name="token" type="password" value="" required aria-invalid="true" aria-describedby="token-error"/,
    );

    const wrong = await browser
      .post('/staff/sign-in')
      .type(FORM)
      .send({ _csrf: csrfOf(empty.text), token: `${staffToken.slice(0, -2)}xx` });
    expect(wrong.status).toBe(401);
    expect(fieldError(wrong.text, 'token')).toMatch(/not accepted/);
    await browser.get('/staff').expect(303).expect('Location', '/staff/sign-in');
  });

  it('after sign-in the session lives server-side under a hash of the cookie, and the sign-in cannot redirect off-site', async () => {
    const browser = request.agent(api.app.getHttpServer());
    const form = await browser.get('/staff/sign-in').set(HTML).expect(200);
    const signIn = await browser
      .post('/staff/sign-in')
      .type(FORM)
      .send({ _csrf: csrfOf(form.text), token: staffToken, returnTo: '//evil.example/steal' });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.location).toBe('/staff');
    const cookie = cookieOf(signIn)!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    // express-session's cookie: s:<id>.<signature>
    const sessionId = decodeURIComponent(/^tracker_staff=([^;]+)/.exec(cookie)![1]!)
      .slice(2)
      .split('.')[0]!;
    const rows = await api.app
      .get(DataSource)
      .query<{ id_hash: string; data: { staff?: { subject: string } } }[]>('select id_hash, data from staff_sessions');
    expect(rows.some((row) => row.id_hash === sessionId)).toBe(false);
    expect(rows.some((row) => row.data.staff?.subject === 'sam')).toBe(true);

    const home = await browser.get('/staff').set(HTML).expect(200);
    expect(home.text).toContain('Signed in as sam');
    expect(home.text).not.toContain(staffToken);
  });

  it('the public page has no forms; a signed-in page has them, uncached, and reporting progress shows on the next load', async () => {
    const publicHtml = await commitmentPage(request.agent(api.app.getHttpServer()));
    expect(publicHtml).not.toContain('Staff actions');
    expect(publicHtml).not.toContain('name="_csrf"');

    const browser = await signedInBrowser();
    const page = await browser.get(`/commitments/${commitment}`).set(HTML).expect(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    for (const action of ['progress', 'start', 'retarget', 'delivery', 'drop', 'revisit']) {
      expect(page.text).toContain(`action="/staff/commitments/${commitment}/${action}"`);
    }
    expect(page.text).not.toContain(`/staff/commitments/${commitment}/reopen`);

    const before = await streamTypes();
    const saved = await browser
      .post(`/staff/commitments/${commitment}/progress`)
      .type(FORM)
      .send({
        _csrf: csrfOf(page.text),
        _revision: revisionOf(page.text),
        note: 'Drafting committee <b>formed</b>',
        evidence: 'https://example.org/a\r\n\r\nhttps://example.org/b',
        occurredOn: '',
      });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toMatch(new RegExp(`^/commitments/${commitment}\\?minPosition=.+#history$`));

    const events = await api.store.readStream(commitmentStreamId(commitment));
    expect(events.map((event) => event.type)).toEqual([...before, 'ProgressReported']);
    expect(events.at(-1)!.data).toMatchObject({
      note: 'Drafting committee <b>formed</b>',
      evidence: ['https://example.org/a', 'https://example.org/b'],
    });
    expect(events.at(-1)!.metadata.actor).toBe('sam');

    const next = await browser.get(saved.headers.location!.replace(/#.*$/, '')).set(HTML).expect(200);
    expect(next.text).toContain('<p class="notice" role="status">Progress reported.</p>');
    expect(next.text).toContain('Drafting committee &lt;b&gt;formed&lt;/b&gt;');
    expect(next.text).toContain('href="https://example.org/b"');
    // The notice is shown once.
    expect(await commitmentPage(browser)).not.toContain('Progress reported.');
  });

  it('invalid fields are shown next to each field with the values kept, and write nothing', async () => {
    const browser = await signedInBrowser();
    const page = await commitmentPage(browser);
    const before = await streamTypes();
    const refused = await browser
      .post(`/staff/commitments/${commitment}/retarget`)
      .type(FORM)
      .send({
        _csrf: csrfOf(page),
        _revision: revisionOf(page),
        targetAsSaid: '<script>alert("t")</script>',
        targetDate: '2023-02-30',
        reason: '',
        occurredOn: 'yesterday',
      });
    expect(refused.status).toBe(400);
    expect(fieldError(refused.text, 'retarget-targetDate')).toBe('must be a date written YYYY-MM-DD');
    expect(fieldError(refused.text, 'retarget-reason')).toBe('should not be empty');
    expect(fieldError(refused.text, 'retarget-occurredOn')).toBe('must be a date written YYYY-MM-DD');
    expect(refused.text).toContain('<details class="action" id="action-retarget" open>');
    expect(refused.text).toContain('value="&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;"');
    expect(refused.text).not.toContain('<script>alert');
    expect(await streamTypes()).toEqual(before);

    const badLink = await browser
      .post(`/staff/commitments/${commitment}/progress`)
      .type(FORM)
      .send({ _csrf: csrfOf(page), note: 'x', evidence: 'javascript:alert(1)' });
    expect(badLink.status).toBe(400);
    expect(fieldError(badLink.text, 'progress-evidence')).toBe('each link must be an http(s) URL');
    expect(await streamTypes()).toEqual(before);
  });

  it('a day that is not in the calendar is refused next to its field, not rolled over into the next month', async () => {
    const browser = await signedInBrowser();
    const page = await commitmentPage(browser);
    const before = await streamTypes();
    const refused = await browser
      .post(`/staff/commitments/${commitment}/progress`)
      .type(FORM)
      .send({ _csrf: csrfOf(page), note: 'Consultation opened', occurredOn: '2023-02-30' });
    expect(refused.status).toBe(400);
    expect(fieldError(refused.text, 'progress-occurredOn')).toBe('must be a date written YYYY-MM-DD');
    expect(await streamTypes()).toEqual(before);
  });

  it('a rule of the domain is shown next to its field; a stale page and a closed commitment are explained; nothing is written', async () => {
    const browser = await signedInBrowser();
    const page = await commitmentPage(browser);
    const before = await streamTypes();
    const sameTarget = await browser
      .post(`/staff/commitments/${commitment}/retarget`)
      .type(FORM)
      .send({
        _csrf: csrfOf(page),
        _revision: revisionOf(page),
        targetAsSaid: 'January or February 2021',
        targetDate: '2021-02-28',
        reason: 'No change really',
      });
    expect(sameTarget.status).toBe(422);
    expect(fieldError(sameTarget.text, 'retarget-targetAsSaid')).toMatch(/same as the current one/);

    const stale = await browser
      .post(`/staff/commitments/${commitment}/progress`)
      .type(FORM)
      .send({ _csrf: csrfOf(page), _revision: String(Number(revisionOf(page)) - 1), note: 'From an old tab' });
    expect(stale.status).toBe(409);
    expect(stale.text).toMatch(/<p class="form-error" role="alert"><strong>Not saved:<\/strong> Someone changed this commitment/);
    expect(await streamTypes()).toEqual(before);
  });

  it.each(['1e3', '-1', ' 1', 'abc', ''])(
    'a form whose revision is %p is refused, not written without the stale-tab check',
    async (_revision) => {
      const browser = await signedInBrowser();
      const page = await commitmentPage(browser);
      const before = await streamTypes();
      const tampered = await browser
        .post(`/staff/commitments/${commitment}/progress`)
        .type(FORM)
        .send({ _csrf: csrfOf(page), _revision, note: 'With a tampered revision' });
      expect(tampered.status).toBe(400);
      expect(tampered.text).toMatch(/<p class="form-error" role="alert"><strong>Not saved:<\/strong> This form/);
      expect(await streamTypes()).toEqual(before);
    },
  );

  it('re-target, revisit in a later session, then deliver: each is in the history; a closed commitment offers reopen', async () => {
    const browser = await signedInBrowser();
    const submit = async (action: string, fields: Record<string, string>) => {
      const page = await commitmentPage(browser);
      const response = await browser
        .post(`/staff/commitments/${commitment}/${action}`)
        .type(FORM)
        .send({ _csrf: csrfOf(page), _revision: revisionOf(page), ...fields });
      expect(response.status).toBe(303);
      await browser.get(response.headers.location!.replace(/#.*$/, '')).set(HTML).expect(200);
    };
    await submit('retarget', { targetAsSaid: 'by September 2022', targetDate: '2022-09-30', reason: 'Translations took longer' });
    await submit('revisit', {
      sessionId: laterSession,
      statement: 'Consultation starts September 7th',
      quote: '',
      targetAsSaid: '',
      targetDate: '',
    });
    await submit('delivery', { completeness: 'full', note: 'Guidelines published', evidence: 'https://example.org/published' });
    const types = await streamTypes();
    expect(types.slice(-3)).toEqual(['CommitmentRetargeted', 'CommitmentRevisited', 'CommitmentDelivered']);

    const closed = await commitmentPage(browser);
    expect(closed).toContain(`action="/staff/commitments/${commitment}/reopen"`);
    expect(closed).not.toContain(`action="/staff/commitments/${commitment}/delivery"`);
    expect(closed).toContain('Guidelines published');
  });

  it('a forged form post (no CSRF token) and a post after the token is revoked write nothing', async () => {
    const revocable = await api.app.get(StaffTokens).issue('temp', 'staff');
    const browser = await signedInBrowser(revocable.token);
    const page = await commitmentPage(browser);
    const before = await streamTypes();

    const forged = await browser.post(`/staff/commitments/${commitment}/progress`).set(HTML).type(FORM).send({ note: 'forged' });
    expect(forged.status).toBe(403);
    // A browser is told what happened on a page, not in JSON.
    expect(forged.headers['content-type']).toMatch(/text\/html/);
    expect(forged.text).toContain('This form has expired or did not come from this site');

    await api.app.get(StaffTokens).revoke(revocable.id);
    const afterRevoke = await browser
      .post(`/staff/commitments/${commitment}/progress`)
      .type(FORM)
      .send({ _csrf: csrfOf(page), note: 'after revoke' });
    expect(afterRevoke.status).toBe(303);
    expect(afterRevoke.headers.location).toBe(`/staff/sign-in?returnTo=${encodeURIComponent(`/commitments/${commitment}`)}`);
    expect(await commitmentPage(browser)).not.toContain('Staff actions');
    expect(await streamTypes()).toEqual(before);
  });

  it('a browser asking for a commitment that does not exist gets a 404 page; an API client gets JSON', async () => {
    const missing = await api.http.get(`/commitments/${id('nothing')}`).set(HTML);
    expect(missing.status).toBe(404);
    expect(missing.text).toMatch(/<h1>Not Found<\/h1>\s*<p>Commitment nothing-[0-9a-f]+ was not found.<\/p>/);
    const json = await api.http.get(`/commitments/${id('nothing')}`).expect(404);
    expect(json.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('signing out ends the server-side session', async () => {
    const browser = await signedInBrowser();
    const home = await browser.get('/staff').set(HTML).expect(200);
    await browser
      .post('/staff/sign-out')
      .type(FORM)
      .send({ _csrf: csrfOf(home.text) })
      .expect(303)
      .expect('Location', '/');
    await browser.get('/staff').expect(303).expect('Location', '/staff/sign-in');
    expect(await commitmentPage(browser)).not.toContain('Staff actions');
  });

  it('the revisit form carries a status report: refused next to its field when incomplete, else both events in one step', async () => {
    const reported = id('reported');
    const editor = await api.token('ed2', 'editor');
    const made = await api.http
      .post('/commitments')
      .set('Authorization', `Bearer ${editor}`)
      .send({
        id: reported,
        sessionId: session,
        speaker: { name: 'Speaker' },
        ownerTeam: 'Trust & Safety',
        topics: ['Code of Conduct'],
        summary: 'Enforcement pathways',
        quote: 'We are working on enforcement pathways.',
        strength: 'hope',
      })
      .expect(201);
    const browser = await signedInBrowser();
    const pageOf = async () =>
      (await browser.get(`/commitments/${reported}`).query({ minPosition: made.body.position }).set(HTML).expect(200)).text;
    const page = await pageOf();
    expect(page).toContain('id="revisit-reportKind"');
    expect(page).toContain('<dt>How firm</dt><dd>hope</dd>');
    const streamOf = async () => (await api.store.readStream(commitmentStreamId(reported))).map((event) => event.type);
    const fields = {
      _csrf: csrfOf(page),
      _revision: revisionOf(page),
      sessionId: laterSession,
      statement: 'It has been ratified',
    };

    const refused = await browser
      .post(`/staff/commitments/${reported}/revisit`)
      .type(FORM)
      .send({ ...fields, reportKind: 'delivered', reportNote: '' });
    expect(refused.status).toBe(400);
    expect(fieldError(refused.text, 'revisit-reportNote')).toBe('should not be empty');
    expect(await streamOf()).toEqual(['CommitmentMade']);

    const saved = await browser
      .post(`/staff/commitments/${reported}/revisit`)
      .type(FORM)
      .send({
        ...fields,
        reportKind: 'delivered',
        reportNote: 'Ratified before this session',
        reportEvidence: 'https://example.org/ratified',
        reportDatePrecision: 'no_later_than',
      });
    expect(saved.status).toBe(303);
    expect(await streamOf()).toEqual(['CommitmentMade', 'CommitmentRevisited', 'CommitmentDelivered']);
    const delivered = (await api.store.readStream(commitmentStreamId(reported))).at(-1)!;
    expect(delivered.data).toEqual({
      completeness: 'full',
      note: 'Ratified before this session',
      evidence: ['https://example.org/ratified'],
      datePrecision: 'no_later_than',
    });
    const after = await browser.get(saved.headers.location!.replace(/#.*$/, '')).set(HTML).expect(200);
    expect(after.text).toContain('delivered no later than');
  });

  it('the re-target form takes a window: a first day after the last is refused next to its field, a right one is recorded', async () => {
    const windowed = id('windowed');
    const editor = await api.token('ed-window', 'editor');
    const made = await api.http
      .post('/commitments')
      .set('Authorization', `Bearer ${editor}`)
      .send({
        id: windowed,
        sessionId: session,
        speaker: { name: 'Speaker' },
        ownerTeam: 'Trust & Safety',
        topics: ['Code of Conduct'],
        summary: 'Publish a timeline',
        quote: 'As soon as we can.',
        target: null,
        strength: 'follow_up',
      })
      .expect(201);
    const browser = await signedInBrowser();
    // Read your writes: wait for the projection to hold the new commitment.
    const position: string = made.body.position;
    const pageOf = async () =>
      (await browser.get(`/commitments/${windowed}`).query({ minPosition: position }).set(HTML).expect(200)).text;
    const before = await pageOf();
    expect(before).toContain('id="retarget-targetEarliestDate" name="targetEarliestDate" type="date"');
    const post = async (fields: Record<string, string>) => {
      const page = await pageOf();
      return browser
        .post(`/staff/commitments/${windowed}/retarget`)
        .type(FORM)
        .send({ _csrf: csrfOf(page), _revision: revisionOf(page), reason: 'Said in the next session', ...fields });
    };
    const refused = await post({
      targetAsSaid: 'March or April 2021',
      targetEarliestDate: '2021-05-01',
      targetDate: '2021-04-30',
    });
    expect(refused.status).toBe(422);
    expect(fieldError(refused.text, 'retarget-targetEarliestDate')).toBe(
      'newTarget.earliestDate: must not be after the latestDate 2021-04-30',
    );
    expect((await api.store.readStream(commitmentStreamId(windowed))).map((event) => event.type)).toEqual(['CommitmentMade']);
    expect(
      (await post({ targetAsSaid: 'March or April 2021', targetEarliestDate: '2021-03-01', targetDate: '2021-04-30' })).status,
    ).toBe(303);
    const events = await api.store.readStream(commitmentStreamId(windowed));
    expect(events.at(-1)!.data).toMatchObject({
      newTarget: { asSaid: 'March or April 2021', earliestDate: '2021-03-01', latestDate: '2021-04-30' },
    });
  });
});
