import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Year 0000 is a day to JavaScript (1 BC) but PostgreSQL's date and timestamptz refuse it: a
 * session dated 0000-01-01 was appended, then stopped the sessions projection for good, and
 * `?asOf=0000-01-01` answered 500.
 */
const run = randomUUID().slice(0, 8);

describe('year 0000 is refused at the door, not by the database', () => {
  let api: TestApp;
  let editor: string;

  beforeAll(async () => {
    api = await startTestApp();
    editor = await api.token(`y0-editor-${run}`, 'editor');
  });
  afterAll(() => api.close());

  it('a session dated 0000-01-01 is a 400 naming date, and nothing is recorded', async () => {
    const sessionId = `y0-session-${run}`;
    const response = await api.http
      .post('/sessions')
      .set('Authorization', `Bearer ${editor}`)
      .send({
        id: sessionId,
        date: '0000-01-01',
        title: 'Year zero',
        kind: 'office_hour',
        hosts: [{ name: 'Ana' }],
        sourceUrl: 'https://example.org/year-zero',
      });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'date' })]);
    expect((await api.store.readStream(`session-${sessionId}`)).length).toBe(0);
  });

  it.each(['/dashboard?asOf=0000-01-01', '/commitments/any-commitment?asOf=0000-02-29'])('%s is a 400', async (path) => {
    const response = await api.http.get(path);
    expect(response.status).toBe(400);
  });

  it('a timestamp whose offset carries it back into year 0 is a 400 naming occurredAt', async () => {
    const response = await api.http
      .post('/commitments/any-commitment/progress')
      .set('Authorization', `Bearer ${editor}`)
      .send({ note: 'n', occurredAt: '0001-01-01T00:00:00+01:00' });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'occurredAt' })]);
  });
});
