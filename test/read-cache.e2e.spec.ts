import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '#event-store';
import { ReadModelChanges } from '#projector';
import { ProjectionRunner, projections } from '#read-models';
import { PublicAnswers } from '../apps/api/src/read-cache/public-answers.js';
import { commitmentBody, postOrFail, recordOfficeHours } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;
const HTML = { Accept: 'text/html' };

// The projector does not run inside this api: the spec applies the log itself, when it chooses,
// announcing each batch as the in-process projector does, so every SQL statement counted is the
// request's own.
describe('public reads from memory', () => {
  let api: TestApp;
  let editor: string;
  let statements = 0;
  const day = { today: '2026-12-01' };
  const session = id('oh');

  /** Applies the whole log to every read model; `announce` false plays a projector in another process. */
  const project = async (announce = true) => {
    const changes = api.app.get(ReadModelChanges);
    for (const projection of projections)
      await new ProjectionRunner(api.app.get(DataSource), api.app.get<EventStore>(EVENT_STORE), projection, {
        ...(announce ? { onApplied: (change) => changes.publish(change) } : {}),
      }).catchUp();
  };
  /** How many SQL statements a request ran. */
  const counted = async <T>(request: () => Promise<T>): Promise<{ result: T; statements: number }> => {
    const before = statements;
    const result = await request();
    return { result, statements: statements - before };
  };

  beforeAll(async () => {
    api = await startTestApp({ runProjector: false }, { clock: { now: () => new Date(`${day.today}T12:00:00.000Z`) } });
    editor = await api.token('ana', 'editor');
    const dataSource = api.app.get(DataSource);
    const query = dataSource.query.bind(dataSource);
    const runner = dataSource.createQueryRunner.bind(dataSource);
    dataSource.query = ((...args: Parameters<DataSource['query']>) => {
      statements++;
      return query(...args);
    }) as DataSource['query'];
    dataSource.createQueryRunner = ((...args: Parameters<DataSource['createQueryRunner']>) => {
      statements++;
      return runner(...args);
    }) as DataSource['createQueryRunner'];
    await recordOfficeHours(api, editor, session);
    for (const name of ['first', 'second', 'third'])
      await postOrFail(api, editor, '/commitments', commitmentBody(id(name), session));
    await project();
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  it('a repeated public read runs no SQL and sends the same bytes; If-None-Match is answered 304', async () => {
    const first = await api.http.get('/dashboard').expect(200);
    const again = await counted(() => api.http.get('/dashboard').expect(200));
    expect(again.statements).toBe(0);
    expect(again.result.text).toBe(first.text);
    expect(again.result.headers.etag).toBe(first.headers.etag);
    expect(again.result.headers['cache-control']).toMatch(/public/);
    expect(again.result.headers.vary).toMatch(/Accept/);
    // The security headers come with it.
    expect(again.result.headers['content-security-policy']).toBe(first.headers['content-security-policy']);

    const conditional = await counted(() => api.http.get('/dashboard').set('If-None-Match', first.headers.etag!).expect(304));
    expect(conditional.statements).toBe(0);
    expect(conditional.result.text).toBe('');
    expect(conditional.result.headers.etag).toBe(first.headers.etag);

    // HTML and JSON are kept apart.
    const page = await api.http.get('/dashboard').set(HTML).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect((await counted(() => api.http.get('/dashboard').set(HTML).expect(200))).statements).toBe(0);
    expect(api.app.get(PublicAnswers).stats().hits).toBeGreaterThan(0);
  });

  it('a revalidation that finds nothing kept is answered 304 all the same, and keeps the answer for the next reader', async () => {
    const first = await api.http.get('/dashboard').expect(200);
    api.app.get(PublicAnswers).forgetAll();
    const revalidated = await counted(() => api.http.get('/dashboard').set('If-None-Match', first.headers.etag!).expect(304));
    expect(revalidated.statements).toBeGreaterThan(0);
    expect(revalidated.result.text).toBe('');
    expect(revalidated.result.headers.etag).toBe(first.headers.etag);
    const next = await counted(() => api.http.get('/dashboard').expect(200));
    expect(next.statements).toBe(0);
    expect(next.result.text).toBe(first.text);
    // A tag that does not match gets the whole answer.
    const other = await counted(() => api.http.get('/dashboard').set('If-None-Match', '"something-else"').expect(200));
    expect(other.result.text).toBe(first.text);
  });

  it('an answer drawn from every row is dropped by any change the projections apply, and drawn again', async () => {
    const before = (await api.http.get('/dashboard').expect(200)).body.totals.all as number;
    await postOrFail(api, editor, '/commitments', commitmentBody(id('fourth'), session));
    // Not yet applied: the kept answer is still what the read models say.
    expect((await counted(() => api.http.get('/dashboard').expect(200))).statements).toBe(0);
    await project();
    const after = await counted(() => api.http.get('/dashboard').expect(200));
    expect(after.statements).toBeGreaterThan(0);
    expect(after.result.body.totals.all).toBe(before + 1);
  });

  it('a commitment’s answer is dropped by changes to it and to what it links to, and only by those', async () => {
    const [shown, other, linked] = [id('first'), id('second'), id('third')];
    for (const accept of [{}, HTML]) await api.http.get(`/commitments/${shown}`).set(accept).expect(200);

    await postOrFail(api, editor, `/commitments/${other}/progress`, { note: 'Work started elsewhere' });
    await project();
    for (const accept of [{}, HTML])
      expect((await counted(() => api.http.get(`/commitments/${shown}`).set(accept).expect(200))).statements).toBe(0);

    // A link recorded on the other commitment's stream shows at this end too.
    await postOrFail(api, editor, `/commitments/${linked}/links`, { linkedTo: shown, relation: 'restates' });
    await project();
    const relinked = await counted(() => api.http.get(`/commitments/${shown}`).expect(200));
    expect(relinked.statements).toBeGreaterThan(0);
    expect(relinked.result.body.links).toEqual([expect.objectContaining({ id: linked, relation: 'restated_by' })]);

    // Now it shows the linked one's status, so a change there drops it.
    await postOrFail(api, editor, `/commitments/${linked}/progress`, { note: 'Started' });
    await project();
    const followed = await counted(() => api.http.get(`/commitments/${shown}`).expect(200));
    expect(followed.statements).toBeGreaterThan(0);
    expect(followed.result.body.links[0].status).toBe('in_progress');
  });

  it('a token, a cookie or minPosition takes the full path', async () => {
    await api.http.get('/dashboard').expect(200);
    const staff = await api.token('sam', 'staff');
    for (const request of [
      () => api.http.get('/dashboard').set('Authorization', `Bearer ${staff}`),
      () => api.http.get('/dashboard').set('Cookie', 'tracker_staff=whatever'),
      () => api.http.get('/dashboard').query({ minPosition: '00000000000000000001/0000000000000000001' }),
    ])
      expect((await counted(() => request().expect(200))).statements).toBeGreaterThan(0);
  });

  it('a new day draws every answer again: overdue, due and stale follow the day', async () => {
    await api.http.get('/dashboard').expect(200);
    expect((await counted(() => api.http.get('/dashboard').expect(200))).statements).toBe(0);
    day.today = '2026-12-02';
    expect((await counted(() => api.http.get('/dashboard').expect(200))).statements).toBeGreaterThan(0);
  });

  (process.env.DATABASE_URL ? it : it.skip)(
    'on a PostgreSQL server, a change another process applies arrives by LISTEN/NOTIFY and drops the answer',
    async () => {
      const before = (await api.http.get('/dashboard').expect(200)).body.totals.all as number;
      await postOrFail(api, editor, '/commitments', commitmentBody(id('from-elsewhere'), session));
      await project(false);
      const deadline = Date.now() + 5000;
      let all = before;
      while (all === before && Date.now() < deadline) {
        all = (await api.http.get('/dashboard').expect(200)).body.totals.all as number;
        if (all === before) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(all).toBe(before + 1);
    },
  );
});
