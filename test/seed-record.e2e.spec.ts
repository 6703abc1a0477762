import { SessionImporter } from '../apps/api/src/session-files/session-importer.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// The product's first real data: the two published sessions, as the product ships them.
describe('the seed record', () => {
  let api: TestApp;
  let lastPosition: string;

  beforeAll(async () => {
    // Its own in-memory database, so the counts are the seed record's alone.
    api = await startTestApp({ database: { kind: 'embedded', dataDir: 'memory://' }, seedDirectory: 'data/sessions' });
    lastPosition = ((await api.store.readAll({ after: 'start', maxCount: 100_000 })).next as string) ?? '';
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it('loads on first start: both sessions with their commitments, revisits and outcomes', async () => {
    const sessions = await api.http.get('/sessions').query({ minPosition: lastPosition }).expect(200);
    expect(
      sessions.body.map((session: { id: string; madeCount: number; revisitedCount: number }) => [
        session.id,
        session.madeCount,
        session.revisitedCount,
      ]),
    ).toEqual([
      ['conversation-hour-2022-08-18', 28, 16],
      ['office-hours-2020-12-10', 43, 0],
    ]);
    const dashboard = await api.http.get('/dashboard').query({ minPosition: lastPosition }).expect(200);
    expect(dashboard.body.totals).toMatchObject({
      all: 71,
      // The notes' progress reports start work, and two things they say had happened are delivered no later than 2022-08-18 (issue #12).
      byStatus: { announced: 57, delivered: 2, in_progress: 12, partially_delivered: 0, dropped: 0, superseded: 0 },
    });

    const later = await api.http.get('/sessions/conversation-hour-2022-08-18').query({ minPosition: lastPosition }).expect(200);
    const revisited = later.body.revisited.map(
      (entry: { commitment: { id: string; madeIn: { id: string } } }) => entry.commitment,
    );
    expect(revisited.every((commitment: { madeIn: { id: string } }) => commitment.madeIn.id === 'office-hours-2020-12-10')).toBe(
      true,
    );

    const phaseTwo = await api.http.get('/commitments/ucoc-phase-2-start').expect(200);
    expect(phaseTwo.body).toMatchObject({
      speaker: { name: 'Patrick', role: 'Manager of T&S Ops' },
      quote: 'We are planning to start in January or February.',
      madeIn: { id: 'office-hours-2020-12-10', date: '2020-12-10' },
    });
    expect(phaseTwo.body.timeline[0].actor).toBe('import');
  });

  it('records what the 2022 notes say had happened as no later than that session, never as on that day', async () => {
    for (const id of ['ucoc-board-ratification', 'ucoc-phase-2-start']) {
      const { body } = await api.http.get(`/commitments/${id}`).query({ minPosition: lastPosition }).expect(200);
      expect(body).toMatchObject({
        status: 'delivered',
        closedAt: '2022-08-18T00:00:00.000Z',
        closedAtPrecision: 'no_later_than',
      });
      // The last news; link bookkeeping recorded at import is listed after it, as it happened later.
      const news = body.timeline.filter((entry: { news: boolean }) => entry.news);
      expect(news.map((entry: { type: string }) => entry.type).slice(-2)).toEqual(['CommitmentRevisited', 'CommitmentDelivered']);
    }
    const page = await api.http
      .get('/commitments/ucoc-board-ratification')
      .set('Accept', 'text/html')
      .query({ minPosition: lastPosition })
      .expect(200);
    expect(page.text).toContain('delivered no later than <time datetime="2022-08-18T00:00:00.000Z">2022-08-18</time>');
    const enforcement = await api.http.get('/commitments/ucoc-phase-2-enforcement-pathways').expect(200);
    expect(enforcement.body).toMatchObject({ status: 'in_progress' });
  });

  it('has about a dozen links from the 2022 session back to 2020', async () => {
    const all = (await api.http.get('/exports/commitments.json').expect(200)).body as { id: string; madeIn: { id: string } }[];
    const madeIn = new Map(all.map((commitment) => [commitment.id, commitment.madeIn.id]));
    let crossSession = 0;
    for (const commitment of all.filter((candidate) => candidate.madeIn.id === 'conversation-hour-2022-08-18')) {
      const { body } = await api.http.get(`/commitments/${commitment.id}`).expect(200);
      const links = body.timeline.filter((entry: { type: string }) => entry.type === 'CommitmentLinked');
      crossSession += links.filter(
        (entry: { text: string }) =>
          /to ([a-z0-9-]+)/.exec(entry.text) && madeIn.get(/to ([a-z0-9-]+)/.exec(entry.text)![1]!) === 'office-hours-2020-12-10',
      ).length;
    }
    expect(crossSession).toBeGreaterThanOrEqual(10);
  });

  it('imports again without writing anything', async () => {
    const importer = api.app.get(SessionImporter);
    for (const file of ['data/sessions/2020-12-10-office-hours.yaml', 'data/sessions/2022-08-18-conversation-hour.yaml']) {
      expect(await importer.importFile(file, 'import')).toMatchObject({ commands: 0, events: 0 });
    }
  });
});
