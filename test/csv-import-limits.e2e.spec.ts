import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { commitmentStreamId } from '#governance';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * An edited CSV export is held to the same limits as the API and session files: a 10,001-character
 * summary, 500 topics or a topic of 3,000 characters were written as corrections, and a column
 * named twice let its last cell silently overwrite the first.
 */
const run = randomUUID().slice(0, 8);

describe('CSV round trip: the limits of every other entry, and one column per name', () => {
  let api: TestApp;
  let editor: string;
  const sessionId = `csvl-session-${run}`;
  const commitmentId = `csvl-commitment-${run}`;

  const row = async (): Promise<Record<string, string>> => {
    const csv = (await api.http.get('/exports/commitments.csv').query({ minPosition: lastPosition }).expect(200)).text;
    return (parse(csv, { columns: true }) as Record<string, string>[]).find((each) => each.id === commitmentId)!;
  };
  const send = (text: string) =>
    api.http
      .post('/imports/commitments-csv')
      .query({ file: 'edited.csv' })
      .set('Authorization', `Bearer ${editor}`)
      .set('Content-Type', 'text/csv')
      .send(text);
  let lastPosition = '';

  beforeAll(async () => {
    api = await startTestApp();
    editor = await api.token(`csvl-editor-${run}`, 'editor');
    const auth = { Authorization: `Bearer ${editor}` };
    await api.http
      .post('/sessions')
      .set(auth)
      .send({
        id: sessionId,
        date: '2020-12-10',
        title: 'Office hours',
        kind: 'office_hour',
        hosts: [{ name: 'Ana' }],
        sourceUrl: 'https://example.org/oh',
      })
      .expect(201);
    const made = await api.http
      .post('/commitments')
      .set(auth)
      .send({
        id: commitmentId,
        sessionId,
        speaker: { name: 'Ana', role: null },
        ownerTeam: 'Trust & Safety',
        topics: ['UCoC'],
        summary: 'Start phase 2',
        quote: 'We will start.',
        strength: 'plan',
      })
      .expect(201);
    lastPosition = made.body.position;
  });
  afterAll(() => api.close());

  it.each([
    ['summary', 'x'.repeat(501)],
    ['quote', 'x'.repeat(501)],
    ['speaker', 'x'.repeat(201)],
    ['owner_team', 'x'.repeat(201)],
    ['topics', Array.from({ length: 11 }, (_, index) => `topic ${index}`).join('; ')],
    ['topics', 'y'.repeat(101)],
    ['topics', ';;;'],
    ['note', 'x'.repeat(4001)],
  ])('an edited %s over the limit is a 422 naming it, and nothing is written', async (column, value) => {
    const edited = { ...(await row()), [column]: value };
    const refused = await send(stringify([edited], { header: true })).expect(422);
    expect(refused.body.errors).toContainEqual(expect.objectContaining({ field: column }));
    expect(await api.store.readStream(commitmentStreamId(commitmentId))).toHaveLength(1);
  });

  it('a column named twice is a 422 naming it, and nothing is written', async () => {
    const exported = await row();
    const header = [...Object.keys(exported), 'summary'];
    const text = stringify([header, [...Object.values(exported), 'Overwritten']]);
    const refused = await send(text).expect(422);
    expect(refused.body.errors).toContainEqual(expect.objectContaining({ entry: 'header', field: 'summary' }));
    expect(await api.store.readStream(commitmentStreamId(commitmentId))).toHaveLength(1);
  });

  it('an unchanged export still imports as no change', async () => {
    const unchanged = await send(stringify([await row()], { header: true })).expect(200);
    expect(unchanged.body.commands).toBe(0);
  });
});
