import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './support/test-app.js';

const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('read API', () => {
  let api: TestApp;
  let editor: string;
  const sessionId = id('oh-2020');
  const laterSessionId = id('ch-2022');
  const phaseTwo = id('phase-2');
  const vote = id('vote');
  const lateOne = id('late');
  let lastPosition: string;

  beforeAll(async () => {
    api = await startTestApp();
    editor = await api.token('ana', 'editor');
    const post = async (path: string, body: object) => {
      const response = await api.http.post(path).set(bearer(editor)).send(body);
      expect({ path, status: response.status }).toEqual({ path, status: expect.any(Number) });
      if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      lastPosition = response.body.position;
      return response.body;
    };
    const session = (sid: string, date: string, title: string, kind: string) => ({
      id: sid,
      date,
      title,
      kind,
      hosts: [{ name: 'Maggie Dennis', role: 'VP' }],
      sourceUrl: `https://meta.wikimedia.org/wiki/${title.replaceAll(' ', '_')}`,
    });
    await post('/sessions', session(sessionId, '2020-12-10', 'Office hours 2020-12-10', 'office_hour'));
    await post('/sessions', session(laterSessionId, '2022-08-18', 'Conversation hour 2022-08-18', 'conversation_hour'));
    const commitment = (cid: string, sid: string, summary: string, latestDate: string | null, topic: string) => ({
      id: cid,
      sessionId: sid,
      speaker: { name: 'Patrick', role: 'T&S' },
      ownerTeam: `Trust & Safety ${run}`,
      topics: [topic],
      summary,
      quote: 'We are planning to start in January or February.',
      target: latestDate ? { asSaid: 'as said', latestDate } : null,
      strength: 'plan',
    });
    await post('/commitments', commitment(phaseTwo, sessionId, `Start phase two ${run}`, '2021-02-28', `UCoC ${run}`));
    await post('/commitments', commitment(vote, laterSessionId, `Hold another vote ${run}`, '2099-01-31', `UCoC ${run}`));
    await post('/commitments', {
      ...commitment(lateOne, sessionId, `Publish the timeline ${run}`, '2021-02-28', `Meta ${run}`),
      ownerTeam: `CRS ${run}`,
    });
    await post(`/commitments/${lateOne}/delivery`, {
      completeness: 'full',
      note: 'Timeline on Meta',
      occurredAt: '2021-06-01T00:00:00Z',
    });
    await post(`/commitments/${phaseTwo}/progress`, { note: 'Consultation opened', occurredAt: '2021-01-19T00:00:00Z' });
    await post(`/commitments/${phaseTwo}/revisits`, {
      sessionId: laterSessionId,
      statement: 'Consultations launch September 7th',
      newTarget: { asSaid: 'September 7th', latestDate: '2022-09-07' },
    });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  it('a staff change is visible on the next read that asks for its position', async () => {
    const response = await api.http.get(`/commitments/${phaseTwo}`).query({ minPosition: lastPosition }).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toMatchObject({
      id: phaseTwo,
      // A progress report means work has started (issue #12).
      status: 'in_progress',
      overdue: true,
      slipped: true,
      slipCount: 1,
      updateCount: 2,
      target: { asSaid: 'September 7th', latestDate: '2022-09-07' },
      firstTargetLatestDate: '2021-02-28',
      madeIn: { id: sessionId, date: '2020-12-10' },
      revisitedIn: [laterSessionId],
    });
    expect(response.body.timeline.map((entry: { type: string }) => entry.type)).toEqual([
      'CommitmentMade',
      'ProgressReported',
      'CommitmentRevisited',
    ]);
    expect(response.body.timeline[1]).toMatchObject({
      occurredAt: '2021-01-19T00:00:00.000Z',
      actor: 'ana',
      text: 'Progress: Consultation opened',
    });
  });

  it('lists with filters, search, sort and pages', async () => {
    const list = (query: object) =>
      api.http
        .get('/commitments')
        .query({ minPosition: lastPosition, ...query })
        .expect(200);
    const ids = (response: { body: { items: { id: string }[] } }) => response.body.items.map((item) => item.id);
    expect(ids(await list({ owner: `Trust & Safety ${run}`, sort: 'deadline' }))).toEqual([phaseTwo, vote]);
    expect(ids(await list({ owner: `Trust & Safety ${run}`, overdue: 'true' }))).toEqual([phaseTwo]);
    expect(ids(await list({ owner: `Trust & Safety ${run}`, overdue: 'false' }))).toEqual([vote]);
    // Made in or revisited in: phase 2, made earlier, was revisited there.
    expect(ids(await list({ session: laterSessionId })).sort()).toEqual([phaseTwo, vote].sort());
    expect(ids(await list({ q: `another vote ${run}` }))).toEqual([vote]);
    expect(ids(await list({ topic: `UCoC ${run}`, sort: 'made' }))).toEqual([vote, phaseTwo]);
    const paged = await list({ topic: `UCoC ${run}`, sort: 'deadline', pageSize: 1, page: 2 });
    expect(paged.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(ids(paged)).toEqual([vote]);
    await api.http.get('/commitments').query({ pageSize: 1000 }).expect(400);
    await api.http.get('/commitments').query({ colour: 'red' }).expect(400);
  });

  it('shows a commitment as of a past date by recorded or occurred time', async () => {
    const byOccurred = await api.http
      .get(`/commitments/${phaseTwo}`)
      .query({ asOf: '2021-06-30', clock: 'occurred' })
      .expect(200);
    expect(byOccurred.body.timeline.map((entry: { type: string }) => entry.type)).toEqual(['CommitmentMade', 'ProgressReported']);
    expect(byOccurred.body).toMatchObject({
      overdue: true,
      slipped: false,
      target: { latestDate: '2021-02-28' },
      asOf: { date: '2021-06-30', clock: 'occurred' },
    });
    // Recorded in 2026: in 2021 the tracker knew nothing of it yet.
    await api.http.get(`/commitments/${phaseTwo}`).query({ asOf: '2021-06-30', clock: 'recorded' }).expect(404);
  });

  it('shows a session\u2019s record: what was promised there, what it revisited, and what became of each', async () => {
    const record = await api.http.get(`/sessions/${sessionId}`).query({ minPosition: lastPosition }).expect(200);
    expect(record.body).toMatchObject({
      id: sessionId,
      date: '2020-12-10',
      kind: 'office_hour',
      madeCount: 2,
      revisitedCount: 0,
    });
    expect(
      record.body.made.map((entry: { commitment: { id: string }; outcome: string }) => [entry.commitment.id, entry.outcome]),
    ).toEqual(
      [
        [lateOne, 'delivered_late'],
        [phaseTwo, 'overdue'],
      ].sort(([a], [b]) => a!.localeCompare(b!)),
    );
    expect(record.body.outcomes).toMatchObject({ delivered_late: 1, overdue: 1, delivered: 0, open: 0 });

    const later = await api.http.get(`/sessions/${laterSessionId}`).expect(200);
    expect(
      later.body.made.map((entry: { commitment: { id: string }; outcome: string }) => [entry.commitment.id, entry.outcome]),
    ).toEqual([[vote, 'open']]);
    expect(later.body.revisited).toEqual([
      expect.objectContaining({
        commitment: expect.objectContaining({ id: phaseTwo }),
        outcome: 'overdue',
        said: expect.stringContaining('September 7th'),
      }),
    ]);
    const sessions = await api.http.get('/sessions').expect(200);
    expect(sessions.body.find((session: { id: string }) => session.id === laterSessionId)).toMatchObject({
      madeCount: 1,
      revisitedCount: 1,
    });
    await api.http.get(`/sessions/${id('nothing')}`).expect(404);
  });

  it('public answers carry an ETag and a short Cache-Control, and answer a matching If-None-Match with 304', async () => {
    const first = await api.http.get(`/commitments/${phaseTwo}`).query({ minPosition: lastPosition }).expect(200);
    const again = await api.http.get(`/commitments/${phaseTwo}`).expect(200);
    expect(again.headers['cache-control']).toBe('public, max-age=5, stale-while-revalidate=30');
    expect(again.headers.etag).toMatch(/^W\/"/);
    expect(again.headers.etag).toBe(first.headers.etag);
    await api.http.get(`/commitments/${phaseTwo}`).set('If-None-Match', again.headers.etag!).expect(304);
  });

  it('404 for an unknown commitment', async () => {
    await api.http.get(`/commitments/${id('nothing')}`).expect(404);
  });
});
