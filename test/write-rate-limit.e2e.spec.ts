import { randomBytes, randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import request from 'supertest';
import { StaffTokens } from '../apps/api/src/auth/staff-tokens.js';
import { sessionStreamId } from '#governance';
import { commitmentBody, recordOfficeHours } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const run = randomUUID().slice(0, 8);
const LIMIT = 5;
const WRITES = 150;

describe('the write rate limit cannot be side-stepped', () => {
  let api: TestApp;
  let editor: string;
  let sessionId: string;

  // A fresh app (and so fresh limiter counts) for each case.
  beforeEach(async () => {
    api = await startTestApp({ writeRateLimitPerMinute: LIMIT + 1 });
    editor = await api.token('limited', 'editor');
    sessionId = `limited-${randomUUID().slice(0, 8)}-${run}`;
    await recordOfficeHours(api, editor, sessionId);
  }, 60_000);

  afterEach(async () => {
    await api?.close();
  });

  const correction = (index: number) => ({ changes: { title: `Office hours, take ${index}` }, reason: 'wording' });
  const written = async () => (await api.store.readStream(sessionStreamId(sessionId))).length - 1;

  it('looks the token up once per write, for the limit and the role alike', async () => {
    const lookups = jest.spyOn(api.app.get(StaffTokens), 'verify');
    await api.http
      .post(`/sessions/${sessionId}/corrections`)
      .set('Authorization', `Bearer ${editor}`)
      .send(correction(0))
      .expect(200);
    expect(lookups).toHaveBeenCalledTimes(1);
    await api.http
      .post(`/sessions/${sessionId}/corrections`)
      .set('Authorization', `Bearer ${editor}`)
      .send(correction(1))
      .expect(200);
    expect(lookups).toHaveBeenCalledTimes(2);
    lookups.mockRestore();
  });

  it('one token has one budget however the scheme is spelt', async () => {
    const spellings = ['Bearer', 'bearer', 'BEARER', 'bEaReR'];
    const statuses: number[] = [];
    for (let index = 0; index < WRITES; index++) {
      const response = await api.http
        .post(`/sessions/${sessionId}/corrections`)
        .set('Authorization', `${spellings[index % spellings.length]} ${editor}`)
        .send(correction(index));
      statuses.push(response.status);
    }
    // The session itself took one write of the budget.
    expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(200));
    expect(statuses.slice(LIMIT)).toEqual(Array(WRITES - LIMIT).fill(429));
    expect(await written()).toBe(LIMIT);
  }, 60_000);

  it('made-up tokens and no token are counted against the address', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < WRITES; index++) {
      const call = api.http.post(`/sessions/${sessionId}/corrections`).send(correction(index));
      if (index % 3 !== 0)
        call.set('Authorization', `Bearer ctk_${randomBytes(6).toString('hex')}_${randomBytes(32).toString('base64url')}`);
      statuses.push((await call).status);
    }
    expect(statuses.slice(0, LIMIT + 1)).toEqual(Array(LIMIT + 1).fill(401));
    expect(statuses.slice(LIMIT + 1)).toEqual(Array(WRITES - LIMIT - 1).fill(429));
    // The real token's budget is its own.
    await api.http
      .post(`/sessions/${sessionId}/corrections`)
      .set('Authorization', `Bearer ${editor}`)
      .send(correction(-1))
      .expect(200);
  }, 60_000);

  it('a token in the body or query string is not accepted beside another scheme', async () => {
    await api.http
      .post(`/sessions/${sessionId}/corrections`)
      .set('Authorization', 'Basic dXNlcjpwYXNz')
      .send({ ...correction(1), access_token: editor })
      .expect(401);
    await api.http
      .post(`/sessions/${sessionId}/corrections`)
      .query({ access_token: editor })
      .set('Authorization', 'Basic dXNlcjpwYXNz')
      .send(correction(2))
      .expect(401);
    expect(await written()).toBe(0);
  });
  it('anonymous junk from one address does not lock staff out of signing in or of their forms', async () => {
    const HTML = { Accept: 'text/html,application/xhtml+xml' };
    const FORM = 'application/x-www-form-urlencoded';
    const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const junk: number[] = [];
    for (let index = 0; index < 3 * LIMIT; index++) {
      junk.push((await api.http.post('/commitments').send({})).status);
    }
    expect(junk.slice(-LIMIT)).toEqual(Array(LIMIT).fill(429));

    const staff = await api.token(`limited-staff-${run}`, 'staff');
    const browser = request.agent(api.app.getHttpServer());
    const form = await browser.get('/staff/sign-in').set(HTML).expect(200);
    await browser
      .post('/staff/sign-in')
      .type(FORM)
      .send({ _csrf: csrfOf(form.text), token: staff })
      .expect(303);

    const commitmentId = `limited-commitment-${run}`;
    const made = await api.http
      .post('/commitments')
      .set('Authorization', `Bearer ${editor}`)
      .send(commitmentBody(commitmentId, sessionId))
      .expect(201);
    const page = await browser
      .get(`/commitments/${commitmentId}`)
      .query({ minPosition: made.headers['x-log-position'] })
      .set(HTML)
      .expect(200);
    await browser
      .post(`/staff/commitments/${commitmentId}/progress`)
      .type(FORM)
      .send({ _csrf: csrfOf(page.text), note: 'Drafting started' })
      .expect(303);
  }, 60_000);
});
