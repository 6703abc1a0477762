import { readFileSync } from 'node:fs';
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
      ['conversation-hour-2022-08-18', 40, 20],
      ['office-hours-2020-12-10', 55, 0],
    ]);
    const dashboard = await api.http.get('/dashboard').query({ minPosition: lastPosition }).expect(200);
    expect(dashboard.body.totals).toMatchObject({
      all: 95,
      // The notes' progress reports start work; what they say had happened (phase 2 started, the UCoC ratified, a next
      // session held) are delivered no later than 2022-08-18; the two written follow-ups answered after the call, no
      // earlier than that day (issues #12, #13).
      byStatus: { announced: 76, delivered: 5, in_progress: 14, partially_delivered: 0, dropped: 0, superseded: 0, split: 0 },
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

  it('delivers the next session no later than 2022-08-18, and the two written follow-ups answered after the call no earlier than it', async () => {
    for (const [id, precision] of [
      ['written-answers-after-call', 'no_earlier_than'],
      ['ip-masking-written-follow-up', 'no_earlier_than'],
      ['next-office-hour-march-2021', 'no_later_than'],
    ]) {
      const { body } = await api.http.get(`/commitments/${id}`).query({ minPosition: lastPosition }).expect(200);
      expect([id, body.status, body.closedAt, body.closedAtPrecision]).toEqual([
        id,
        'delivered',
        '2022-08-18T00:00:00.000Z',
        precision,
      ]);
    }
    const page = await api.http.get('/commitments/written-answers-after-call').set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('delivered no earlier than <time datetime="2022-08-18T00:00:00.000Z">2022-08-18</time>');
    expect(page.text).toContain('Happened no earlier than <time datetime="2022-08-18T00:00:00.000Z">2022-08-18</time>');
    // Known only by a date, so neither on time nor late.
    const dashboard = await api.http.get('/dashboard').query({ minPosition: lastPosition }).expect(200);
    expect(dashboard.body.delivery.onTime).toMatchObject({ withTarget: 0, onTime: 0 });
  });

  it('keeps the split siblings of one 2020 answer consistent, and no deadline the notes give to another promise', async () => {
    for (const id of ['ucoc-phase-2-admin-abuse-plans', 'ucoc-phase-2-enforcement-pathways', 'ucoc-phase-2-escalation']) {
      const { body } = await api.http.get(`/commitments/${id}`).query({ minPosition: lastPosition }).expect(200);
      expect([id, body.status, body.revisitedIn]).toEqual([id, 'in_progress', ['conversation-hour-2022-08-18']]);
    }
    // The January vote belongs to the Enforcement Guidelines, not to the 2020 promise of pathways.
    const pathways = await api.http.get('/commitments/ucoc-phase-2-enforcement-pathways').expect(200);
    expect(pathways.body).toMatchObject({ target: null, slipCount: 0 });
    const vote = await api.http.get('/commitments/ucoc-eg-second-vote').expect(200);
    expect(vote.body.target).toMatchObject({ asSaid: 'January', latestDate: '2023-01-31' });
  });

  it('records the firm negative and standing commitments a careful reading finds, each with its speaker and exact words', async () => {
    const expected = [
      [
        'eu-hate-speech-code-not-signing',
        'Wikimedia Foundation',
        'Overall, the Foundation still sees too many gaps in the Code of Conduct to sign it.',
        'firm',
      ],
      ['eu-disinfo-code-not-signing', 'Wikimedia Foundation', 'we are not planning to sign in at this stage', 'firm'],
      ['travel-visa-planning-sooner', 'Maggie Dennis', 'We have to start sooner.', 'plan'],
      [
        'conversation-meetings-questions-by-email',
        'Community Resilience & Sustainability (CR&S) team',
        'You can also send us your questions in advance.',
        'firm',
      ],
      ['no-discussing-specific-ts-cases', 'Maggie Dennis', "I can't and won't discuss specific Trust & Safety cases.", 'firm'],
      [
        'ts-feedback-over-email',
        'Patrick',
        'If folks don’t feel comfortable with any of this, our team also takes feedback over email.',
        'firm',
      ],
      ['no-tolerance-for-abuse', 'Maggie Dennis', 'This is not a place where we can tolerate abuse of other people.', 'firm'],
      [
        'no-local-policy-pre-approval',
        'Maggie Dennis',
        'While enforcement pathways for UCoC is part of our phase 2 conversations, that is certainly not our intention.',
        'firm',
      ],
    ];
    for (const [id, speaker, quote, strength] of expected) {
      const { body } = await api.http.get(`/commitments/${id}`).query({ minPosition: lastPosition }).expect(200);
      expect([id, body.speaker.name, body.quote, body.strength]).toEqual([id, speaker, quote, strength]);
    }
  });

  it('serves every quote as words found exactly once in the published notes, with owners the notes support', async () => {
    const notes = {
      'office-hours-2020-12-10': readFileSync('data/notes/2020-12-10-office-hours.txt', 'utf8'),
      'conversation-hour-2022-08-18': readFileSync('data/notes/2022-08-18-conversation-hour.txt', 'utf8'),
    } as Record<string, string>;
    const all = (await api.http.get('/exports/commitments.json').query({ minPosition: lastPosition }).expect(200)).body as {
      id: string;
      quote: string;
      ownerTeam: string;
      speaker: { name: string };
      madeIn: { id: string };
    }[];
    expect(all).toHaveLength(95);
    const notFoundOnce = all.filter((commitment) => notes[commitment.madeIn.id]!.split(commitment.quote).length !== 2);
    expect(notFoundOnce.map((commitment) => commitment.id)).toEqual([]);
    expect(all.filter((commitment) => commitment.ownerTeam === 'Elections Committee support')).toEqual([]);
    // Maggie's own promises are her area's; the Product department owns only what the notes give it.
    expect(
      all
        .filter((commitment) => commitment.ownerTeam === 'Product')
        .map((commitment) => [commitment.id, commitment.speaker.name])
        .sort(),
    ).toEqual([
      ['disinformation-director-hire', 'Maggie Dennis'],
      ['ip-masking-working-group', 'Product Department'],
    ]);
  });

  it('shows a cross-session link from both ends, with its relation named from each', async () => {
    const later = await api.http.get('/commitments/conversation-meetings-questions-by-email').expect(200);
    expect(later.body.links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ relation: 'restates', id: 'office-hours-questions-by-email', status: 'in_progress' }),
        expect.objectContaining({ relation: 'follows_up', id: 'next-office-hour-march-2021', status: 'delivered' }),
      ]),
    );
    const earlier = await api.http.get('/commitments/office-hours-questions-by-email').expect(200);
    expect(earlier.body.links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ relation: 'restated_by', id: 'conversation-meetings-questions-by-email', status: 'announced' }),
      ]),
    );
    const start = await api.http.get('/commitments/ucoc-phase-2-start').expect(200);
    expect(
      start.body.links
        .filter((link: { relation: string }) => link.relation === 'followed_up_by')
        .map((link: { id: string }) => link.id)
        .sort(),
    ).toEqual(['ucoc-eg-consultation-launch', 'ucoc-eg-second-vote']);
  });

  it('has some thirty links from the 2022 session back to 2020', async () => {
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
    expect(crossSession).toBe(33);
  });

  it('imports again without writing anything', async () => {
    const importer = api.app.get(SessionImporter);
    for (const file of ['data/sessions/2020-12-10-office-hours.yaml', 'data/sessions/2022-08-18-conversation-hour.yaml']) {
      expect(await importer.importFile(file, 'import')).toMatchObject({ commands: 0, events: 0 });
    }
  });
});
