import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from './support/test-app.js';
import { HTML, FORM, csrfOf } from './support/staff-forms.js';

const subject = `signer-${randomUUID().slice(0, 8)}`;

describe('staff sessions: none for visitors who do not sign in', () => {
  let api: TestApp;
  let database: DataSource;
  let staffToken: string;

  beforeAll(async () => {
    api = await startTestApp();
    database = api.app.get(DataSource);
    staffToken = await api.token(subject, 'staff');
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  // Other suites share the database and sign in meanwhile: count the rows of nobody (no one
  // signed in), which only an anonymous visit could have made, and this suite's own sign-ins.
  const count = async (where: string, parameters: unknown[] = []) =>
    (await database.query<{ n: number }[]>(`select count(*)::int as n from staff_sessions where ${where}`, parameters))[0]!.n;
  const anonymousRows = () => count("data->'staff' is null");
  const signedIn = () => count("data->'staff'->>'subject' = $1", [subject]);

  it('50 anonymous visits of the sign-in page store no session', async () => {
    const before = await anonymousRows();
    for (let visit = 0; visit < 50; visit++) {
      const form = await request(api.app.getHttpServer()).get('/staff/sign-in').set(HTML).expect(200);
      expect(csrfOf(form.text).length).toBeGreaterThan(20);
      // A wrong token through the form stores nothing either.
      const browser = request.agent(api.app.getHttpServer());
      const shown = await browser.get('/staff/sign-in').set(HTML).expect(200);
      if (visit % 10 === 0) {
        await browser
          .post('/staff/sign-in')
          .type(FORM)
          .send({ _csrf: csrfOf(shown.text), token: 'ctk_000000000000_' + 'A'.repeat(43) })
          .expect(401);
      }
    }
    expect(await anonymousRows()).toBe(before);
  });

  it('signing in stores one session and still works; a form token from another browser is refused', async () => {
    const before = await signedIn();
    const browser = request.agent(api.app.getHttpServer());
    const form = await browser.get('/staff/sign-in').set(HTML).expect(200);
    const other = request.agent(api.app.getHttpServer());
    await other.get('/staff/sign-in').set(HTML).expect(200);
    await other
      .post('/staff/sign-in')
      .type(FORM)
      .send({ _csrf: csrfOf(form.text), token: staffToken })
      .expect(403);
    await browser
      .post('/staff/sign-in')
      .type(FORM)
      .send({ _csrf: csrfOf(form.text), token: staffToken })
      .expect(303)
      .expect('Location', '/staff');
    expect(await browser.get('/staff').set(HTML).expect(200)).toHaveProperty(
      'text',
      expect.stringContaining(`Signed in as ${subject}`),
    );
    expect(await signedIn()).toBe(before + 1);
  });

  it('expired sessions are pruned when a session is saved', async () => {
    await database.query(
      "insert into staff_sessions (id_hash, data, expires_at) values ('expired-' || md5(random()::text), '{}', now() - interval '1 hour')",
    );
    expect(
      (await database.query<{ n: number }[]>('select count(*)::int as n from staff_sessions where expires_at <= now()'))[0]!.n,
    ).toBeGreaterThan(0);
    const browser = request.agent(api.app.getHttpServer());
    const form = await browser.get('/staff/sign-in').set(HTML).expect(200);
    await browser
      .post('/staff/sign-in')
      .type(FORM)
      .send({ _csrf: csrfOf(form.text), token: staffToken })
      .expect(303);
    expect(
      (await database.query<{ n: number }[]>('select count(*)::int as n from staff_sessions where expires_at <= now()'))[0]!.n,
    ).toBe(0);
  });
});
