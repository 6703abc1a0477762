import { randomUUID } from 'node:crypto';
import { officeHoursBody } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;

describe('the stale period is configured (STALE_AFTER_MONTHS)', () => {
  let api: TestApp;
  let now = '2021-09-01T12:00:00.000Z';
  const commitment = id('waiting');
  let position = '';

  beforeAll(async () => {
    api = await startTestApp({ staleAfterMonths: 9 }, { clock: { now: () => new Date(now) } });
    const editor = await api.token('ana', 'editor');
    const post = async (path: string, body: object) =>
      (position = (await api.http.post(path).set('Authorization', `Bearer ${editor}`).send(body).expect(201)).body.position);
    await post('/sessions', officeHoursBody(id('oh')));
    await post('/commitments', {
      id: commitment,
      sessionId: id('oh'),
      speaker: { name: 'Maggie Dennis' },
      ownerTeam: `Patient ${run}`,
      topics: ['UCoC'],
      summary: 'Made on 2020-12-10 and never heard of again',
      quote: 'Soon.',
      target: null,
      strength: 'hope',
    });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  const read = async () => (await api.http.get(`/commitments/${commitment}`).query({ minPosition: position }).expect(200)).body;

  it('nine months after its last news it is not stale yet; a day past nine months and a few it is', async () => {
    // Nine months before 2021-09-01 is 2020-12-01: news of 2020-12-10 still counts.
    expect(await read()).toMatchObject({ stale: false, lastNewsOn: '2020-12-10' });
    now = '2021-09-10T12:00:00.000Z';
    expect(await read()).toMatchObject({ stale: false });
    now = '2021-09-11T12:00:00.000Z';
    expect(await read()).toMatchObject({ stale: true });
    const list = await api.http
      .get('/commitments')
      .query({ owner: `Patient ${run}`, stale: 'true' })
      .expect(200);
    expect(list.body).toMatchObject({ total: 1, staleSince: '2020-12-11' });
  });
});
