import { randomUUID } from 'node:crypto';
import { stringify } from 'yaml';
import { sessionStreamId } from '#governance';
import { commitmentBody, officeHoursBody, postOrFail, recordOfficeHours } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;

// What was said in a session is dated by its day: a new day under its commitments would make the
// record say a promise was made on a day its session was not held.
describe('correcting a session’s date', () => {
  let api: TestApp;
  let editor: string;
  const bearer = () => ({ Authorization: `Bearer ${editor}` });
  const sessionTypes = async (sessionId: string) =>
    (await api.store.readStream(sessionStreamId(sessionId))).map((event) => event.type);
  const correctDate = (sessionId: string, date: string) =>
    api.http
      .post(`/sessions/${sessionId}/corrections`)
      .set(bearer())
      .send({ changes: { date }, reason: 'The notes give another day' });

  beforeAll(async () => {
    api = await startTestApp();
    editor = await api.token('ana', 'editor');
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  it('is allowed while nothing was recorded in the session', async () => {
    const sessionId = id('empty');
    await recordOfficeHours(api, editor, sessionId);
    const corrected = await correctDate(sessionId, '2020-12-09').expect(200);
    expect(await sessionTypes(sessionId)).toEqual(['SessionRecorded', 'SessionCorrected']);
    const session = await api.http.get(`/sessions/${sessionId}`).query({ minPosition: corrected.body.position }).expect(200);
    expect(session.body.date).toBe('2020-12-09');
  });

  it('is refused, naming the field, once a commitment was made there, even one made a moment before; other details still correct', async () => {
    const sessionId = id('with-promise');
    await recordOfficeHours(api, editor, sessionId);
    // No wait for the read models: the refusal must not depend on the projector having caught up.
    await postOrFail(api, editor, '/commitments', commitmentBody(id('promise'), sessionId));
    const refused = await correctDate(sessionId, '2020-12-11').expect(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'changes.date' })]);
    expect(refused.body.message).toMatch(/cannot be corrected: 1 commitment was made or revisited in it and is dated by it/);
    expect(await sessionTypes(sessionId)).toEqual(['SessionRecorded']);

    await api.http
      .post(`/sessions/${sessionId}/corrections`)
      .set(bearer())
      .send({ changes: { title: 'Office hours, as published' }, reason: 'Title as published' })
      .expect(200);
    expect(await sessionTypes(sessionId)).toEqual(['SessionRecorded', 'SessionCorrected']);
  });

  it('is refused for a later session in which an earlier commitment was revisited', async () => {
    const [earlier, later] = [id('earlier'), id('later')];
    await recordOfficeHours(api, editor, earlier);
    await postOrFail(api, editor, '/sessions', { ...officeHoursBody(later), date: '2022-08-18', title: 'Conversation hour' });
    const promise = id('revisited');
    await postOrFail(api, editor, '/commitments', commitmentBody(promise, earlier));
    await postOrFail(api, editor, `/commitments/${promise}/revisits`, { sessionId: later, statement: 'Work goes on.' });
    await correctDate(later, '2022-08-19').expect(422);
    expect(await sessionTypes(later)).toEqual(['SessionRecorded']);
  });

  it('is refused from a session file too, and the file writes nothing', async () => {
    const sessionId = id('file');
    const file = (date: string) =>
      stringify({
        session: { ...officeHoursBody(sessionId), date },
        commitments: [{ ...commitmentBody(id('from-file'), sessionId), sessionId: undefined }],
      });
    const importFile = (date: string) =>
      api.http
        .post('/imports')
        .query({ file: 'session.yaml' })
        .set(bearer())
        .set('Content-Type', 'application/yaml')
        .send(file(date));
    await importFile('2020-12-10').expect(200);
    const refused = await importFile('2020-12-12').expect(422);
    expect(JSON.stringify(refused.body)).toMatch(/cannot be corrected: 1 commitment was made or revisited in it/);
    expect(await sessionTypes(sessionId)).toEqual(['SessionRecorded']);
  });
});
