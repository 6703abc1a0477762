import { randomUUID } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { startTestApp, type TestApp } from './support/test-app.js';
import { postOrFail } from './support/fixtures.js';

// The database may be shared between test files: figures are checked for this run's own records.
const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;
// With the run in it, so that other test files' searches for their own hostile text never find it.
const hostile = (field: string) =>
  `<script>alert("${field} ${run}")</script> "quoted" 'single' <img src=x onerror=alert(1)> & done`;
const escaped = (field: string) => `&lt;script&gt;alert(&quot;${field} ${run}&quot;)&lt;/script&gt;`;
const HTML = { Accept: 'text/html,application/xhtml+xml' };

interface CorrectionBody {
  subject: { kind: string; id: string; title: string; url: string };
  changes: { field: string; from: unknown; to: unknown }[];
  reason: string;
  actor: string;
  recordedAt: string;
}

describe('dashboard charts, recent changes and the corrections log', () => {
  let api: TestApp;
  let position: string;
  const session = id('fix-oh');
  const slipped = id('fix-slipped');
  const delivered = id('fix-delivered');
  const team = `Corrections team ${run}`;

  beforeAll(async () => {
    api = await startTestApp();
    const editor = await api.token('cora', 'editor');
    const post = async (path: string, body: object) => {
      position = await postOrFail(api, editor, path, body);
    };
    await post('/sessions', {
      id: session,
      date: '2020-12-10',
      title: `Office hour ${run}`,
      kind: 'office_hour',
      hosts: [{ name: 'Maggie Dennis', role: 'VP' }],
      sourceUrl: 'https://meta.wikimedia.org/wiki/Office_hours',
    });
    const commitment = (cid: string, summary: string, latestDate: string) => ({
      id: cid,
      sessionId: session,
      speaker: { name: 'Patrick', role: 'T&S' },
      ownerTeam: team,
      topics: ['corrections'],
      summary,
      quote: 'We will.',
      target: { asSaid: `by ${latestDate}`, latestDate },
      strength: 'plan',
    });
    await post('/commitments', commitment(slipped, hostile('summary'), '2021-02-28'));
    await post('/commitments', commitment(delivered, `Delivered ${run}`, '2021-06-30'));
    // A slip of 92 days, then a fix of the record: the correction must show the re-targeted date as what it replaced.
    await post(`/commitments/${slipped}/retarget`, {
      newTarget: { asSaid: 'by the end of May', latestDate: '2021-05-31' },
      reason: 'Translations took longer',
      occurredAt: '2021-02-20T12:00:00Z',
    });
    await post(`/commitments/${delivered}/delivery`, {
      completeness: 'full',
      note: 'Shipped',
      occurredAt: '2021-06-01T12:00:00Z',
    });
    await post(`/sessions/${session}/corrections`, { changes: { title: `Office hours ${run}` }, reason: 'Typo in the title' });
    await post(`/commitments/${slipped}/corrections`, {
      changes: {
        ownerTeam: hostile('team'),
        target: { asSaid: 'in June', earliestDate: '2021-06-01', latestDate: '2021-06-30' },
      },
      reason: hostile('reason'),
    });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  // Read-your-writes waits up to 3 s, then answers with a Warning; on a busy machine, ask again.
  const read = async (path: string, query: object, headers: Record<string, string>) => {
    for (let attempt = 1; ; attempt++) {
      const response = await api.http
        .get(path)
        .query({ minPosition: position, ...query })
        .set(headers)
        .expect(200);
      if (!response.headers.warning || attempt === 5) return response;
    }
  };
  const json = async (path: string, query: object = {}) => (await read(path, query, {})).body;
  const html = async (path: string, query: object = {}) => {
    const response = await read(path, query, HTML);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    return response.text;
  };

  it('lists a commitment correction with each field before and after, who and why', async () => {
    const body = (await json('/corrections', { commitment: slipped })) as { total: number; items: CorrectionBody[] };
    expect(body.total).toBe(1);
    const [correction] = body.items;
    expect(correction!.subject).toEqual({
      kind: 'commitment',
      id: slipped,
      title: hostile('summary'),
      url: `/commitments/${slipped}`,
    });
    expect(correction!.changes).toEqual([
      {
        field: 'target',
        from: { asSaid: 'by the end of May', latestDate: '2021-05-31' },
        to: { asSaid: 'in June', earliestDate: '2021-06-01', latestDate: '2021-06-30' },
      },
      { field: 'ownerTeam', from: team, to: hostile('team') },
    ]);
    expect(correction!.reason).toBe(hostile('reason'));
    expect(correction!.actor).toBe('cora');
  });

  it('lists a session correction, and the whole log includes both', async () => {
    const bySession = (await json('/corrections', { session })) as { total: number; items: CorrectionBody[] };
    expect(bySession.items.map((item) => item.changes)).toEqual([
      [{ field: 'title', from: `Office hour ${run}`, to: `Office hours ${run}` }],
    ]);
    expect(bySession.items[0]!.subject.url).toBe(`/sessions/${session}`);
    const all = (await json('/corrections')) as { items: CorrectionBody[] };
    const ours = all.items.filter((item) => [slipped, session].includes(item.subject.id));
    // Newest first.
    expect(ours.map((item) => item.subject.id)).toEqual([slipped, session]);
  });

  it('the corrections page shows was and now, escaped, linked to the commitment, and is in the navigation', async () => {
    const page = await html('/corrections', { commitment: slipped });
    expect(page).not.toMatch(/<script>alert/);
    expect(page).not.toMatch(/<img src=x/);
    for (const field of ['summary', 'team', 'reason']) expect(page).toContain(escaped(field));
    expect(page).toContain(`<a href="/commitments/${slipped}">${escaped('summary')}`);
    // In the words of the commitment's page, a window with its first day.
    expect(page).toContain('<del>by the end of May (by 31 May 2021)</del>');
    expect(page).toContain('<ins>in June (1 Jun – 30 Jun 2021)</ins>');
    expect(page).toContain(`<del>${team}</del>`);
    expect(page).toContain('<a href="/corrections">Corrections</a>');
    expect(page).toContain('href="/corrections.atom"');
    expect(await html(`/commitments/${slipped}`)).toContain(`<a href="/corrections?commitment=${slipped}">`);
  });

  it('refuses a bad page or subject, naming the field', async () => {
    const bad = await api.http.get('/corrections').query({ page: 0 }).expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/page/);
    const badId = await api.http.get('/corrections').query({ commitment: 'Not An Id!' }).expect(400);
    expect(JSON.stringify(badId.body)).toMatch(/commitment/);
  });

  it('an Atom feed of corrections parses, with hostile text as text', async () => {
    const response = await api.http
      .get('/corrections.atom')
      .expect(200)
      .expect('Content-Type', /application\/atom\+xml/);
    expect(XMLValidator.validate(response.text)).toBe(true);
    const feed = new XMLParser().parse(response.text) as { feed: { entry: { title: string; summary: string }[] | object } };
    const entries = ([] as { title: string; summary: string }[]).concat(feed.feed.entry as never);
    const ours = entries.find((entry) => String(entry.title).includes(hostile('summary')));
    expect(ours?.title).toBe(`Corrected target, owner team of ${hostile('summary')}`);
    expect(String(ours?.summary)).toContain('target: “by the end of May (by 31 May 2021)” → “in June (1 Jun – 30 Jun 2021)”');
  });

  it('the dashboard JSON has the slip sizes and the latest changes, each with what changed', async () => {
    const body = (await json('/dashboard')) as {
      slips: { slipped: number; bySize: { fromDays: number; toDays: number | null; count: number }[] };
      recentlyChanged: { id: string; eventType: string; change: string; summary: string }[];
      overTime: { month: string; open: number; closed: number }[];
    };
    expect(body.slips.bySize.map(({ fromDays, toDays }) => [fromDays, toDays])).toEqual([
      [0, 0],
      [1, 30],
      [31, 90],
      [91, 180],
      [181, 365],
      [366, null],
    ]);
    expect(body.slips.bySize.reduce((sum, size) => sum + size.count, 0)).toBe(body.slips.slipped);
    expect(body.slips.bySize.find((size) => size.fromDays === 91)!.count).toBeGreaterThanOrEqual(1);
    const mine = body.recentlyChanged.find((change) => change.id === slipped);
    // Recently changed shows news only: the correction recorded after it is bookkeeping, so the re-target shows.
    expect(mine).toMatchObject({ eventType: 'CommitmentRetargeted', summary: hostile('summary') });
    expect(mine!.change).toMatch(/^Re-targeted from .* to by the end of May \(by 2021-05-31\): Translations took longer$/);
    expect(body.overTime.find((month) => month.month === '2021-06')!.closed).toBeGreaterThanOrEqual(1);
  });

  it('a reader who asks for a position never gets an older answer, even when one is at hand for others', async () => {
    // Without a position: answered from whatever is at hand, and that answer is kept for others.
    const before = (await api.http.get('/dashboard').expect(200)).body as { totals: { all: number } };
    const editor = await api.token('cora', 'editor');
    const made = await api.http
      .post('/commitments')
      .set('Authorization', `Bearer ${editor}`)
      .send({
        id: id('fix-later'),
        sessionId: session,
        speaker: { name: 'Patrick', role: null },
        ownerTeam: team,
        topics: ['corrections'],
        summary: `Later ${run}`,
        quote: 'We will.',
        target: null,
        strength: 'hope',
      })
      .expect(201);
    const after = (await api.http.get('/dashboard').query({ minPosition: made.body.position }).expect(200)).body as {
      totals: { all: number };
      recentlyChanged: { id: string }[];
    };
    expect(after.totals.all).toBeGreaterThan(before.totals.all);
    expect(after.recentlyChanged.map((change) => change.id)).toContain(id('fix-later'));
  });

  it('the dashboard page draws open vs closed over time and the slips, each with a text alternative, all escaped', async () => {
    const page = await html('/dashboard');
    expect(page).not.toMatch(/<script>alert/);
    expect(page).not.toMatch(/<img src=x/);
    expect(page).toMatch(/<svg role="img" aria-labelledby="over-time-title over-time-desc" viewBox="0 0 600 230"/);
    expect(page).toMatch(/<desc id="over-time-desc">Open and closed commitments at the end of each month from \d{4}-\d{2} to /);
    expect(page).toMatch(/<polyline points="[\d., ]+"/);
    expect(page).toContain('<summary>The figures month by month</summary>');
    expect(page).toMatch(/<tr><td>2021-06<\/td><td>\d+<\/td><td>[1-9]\d*<\/td><\/tr>/);
    expect(page).toMatch(/<svg role="img" aria-labelledby="slips-title slips-desc"/);
    expect(page).toMatch(/<desc id="slips-desc">to no date: \d+, 1–30 days: \d+, 31–90 days: \d+, 91–180 days: [1-9]\d*, /);
    // The recent change, linked and escaped.
    expect(page).toContain(`<a href="/commitments/${slipped}">${escaped('summary')}`);
    expect(page).toMatch(/Re-targeted from .* to by the end of May \(by 2021-05-31\): Translations took longer/);
    expect(page).not.toContain(`Corrected target, ownerTeam: ${escaped('reason')}`);
  });
});
