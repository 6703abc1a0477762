import { randomUUID } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import ICAL from 'ical.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { postOrFail } from './support/fixtures.js';

const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;
// Hostile text in every field a page shows: markup, quotes, an attribute break-out, control characters.
const hostile = (field: string) =>
  `<script>alert("${field}")</script> "quoted" 'single' \u0007 <img src=x onerror=alert(1)> & done`;
const HTML = { Accept: 'text/html,application/xhtml+xml' };

describe('pages', () => {
  let api: TestApp;
  let position: string;
  const session = id('oh');
  const commitment = id('promise');

  beforeAll(async () => {
    api = await startTestApp();
    const editor = await api.token('ana', 'editor');
    const post = async (path: string, body: object) => {
      position = await postOrFail(api, editor, path, body);
    };
    await post('/sessions', {
      id: session,
      date: '2020-12-10',
      title: hostile('title'),
      kind: 'office_hour',
      hosts: [{ name: hostile('host'), role: hostile('host role') }],
      sourceUrl: 'https://meta.wikimedia.org/wiki/Office_hours?a=1&b="2"',
    });
    await post('/commitments', {
      id: commitment,
      sessionId: session,
      speaker: { name: hostile('speaker'), role: hostile('role') },
      ownerTeam: hostile('team'),
      topics: [hostile('topic')],
      summary: hostile('summary'),
      quote: hostile('quote'),
      note: hostile('note'),
      target: { asSaid: hostile('target'), latestDate: '2021-02-28' },
      strength: 'plan',
    });
    await post(`/commitments/${commitment}/progress`, {
      note: hostile('progress'),
      evidence: ['https://example.org/report?x=1&y="2"'],
    });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  const page = async (path: string, query: object = {}) => {
    const response = await api.http
      .get(path)
      .query({ minPosition: position, ...query })
      .set(HTML)
      .expect(200)
      .expect('Content-Type', /text\/html/);
    return response.text;
  };

  const expectEscaped = (html: string, fields: readonly string[]) => {
    expect(html).not.toMatch(/<script>alert/);
    expect(html).not.toMatch(/<img src=x/);
    for (const field of fields) expect(html).toContain(`&lt;script&gt;alert(&quot;${field}&quot;)&lt;/script&gt;`);
  };

  it('a commitment page shows its status in a word, target, owner, speaker, quote with the notes link, and its history, all escaped', async () => {
    const html = await page(`/commitments/${commitment}`);
    expectEscaped(html, ['summary', 'quote', 'speaker', 'role', 'team', 'topic', 'target', 'note', 'progress', 'title']);
    expect(html).toMatch(/<span class="status status-overdue">Overdue<\/span>/);
    expect(html).toContain('(by <time datetime="2021-02-28">28 Feb 2021</time>)');
    expect(html).toContain('href="https://meta.wikimedia.org/wiki/Office_hours?a=1&amp;b=&quot;2&quot;"');
    expect(html).toContain('href="https://example.org/report?x=1&amp;y=&quot;2&quot;"');
    expect(html).toMatch(/<form method="get" action="\/commitments\/[^"]+">/);
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
  });

  it('a commitment page shows the past with asOf, and the same URL still answers JSON to API clients', async () => {
    const html = await page(`/commitments/${commitment}`, { asOf: '2026-01-01', clock: 'occurred' });
    expect(html).toContain('As it stood at the end of 2026-01-01');
    const json = await api.http
      .get(`/commitments/${commitment}`)
      .expect(200)
      .expect('Content-Type', /application\/json/);
    expect(json.body.id).toBe(commitment);
  });

  it('a session page lists what was promised there and what became of each, escaped', async () => {
    const html = await page(`/sessions/${session}`);
    expectEscaped(html, ['title', 'host', 'host role', 'summary', 'team', 'target']);
    expect(html).toMatch(/<span class="status status-overdue">Overdue<\/span>/);
    expectEscaped(await page('/sessions'), ['title']);
  });

  it('the dashboard page has an SVG chart with a text alternative, and the home page leads to it', async () => {
    const html = await page('/dashboard');
    expect(html).toMatch(/<svg role="img" aria-labelledby="status-title status-desc"/);
    expect(html).toMatch(/<desc id="status-desc">Announced: \d+/);
    expect(html).not.toMatch(/<script>alert/);
    await api.http.get('/').expect(302).expect('Location', '/dashboard');
  });

  it('Atom feeds of changes (all, one commitment, a team, a session) parse back, with hostile text as text', async () => {
    for (const query of [{}, { commitment }, { team: hostile('team') }, { session }]) {
      const response = await api.http
        .get('/feeds/changes.atom')
        .query(query)
        .expect(200)
        .expect('Content-Type', /application\/atom\+xml/);
      expect(XMLValidator.validate(response.text)).toBe(true);
      const feed = new XMLParser({ ignoreAttributes: false }).parse(response.text).feed;
      const entries = ([] as { title: string | { '#text': string }; link: { '@_href': string } }[]).concat(feed.entry ?? []);
      expect(entries.length).toBeGreaterThan(0);
      // The unfiltered feed holds the latest changes of everyone; other suites write meanwhile.
      if (Object.keys(query).length === 0) continue;
      const ours = entries.filter((entry) => entry.link['@_href'].endsWith(`/commitments/${commitment}`));
      expect({ query, entries: ours.length }).toEqual({ query, entries: 2 });
      const title = (entry: (typeof ours)[number]) => (typeof entry.title === 'string' ? entry.title : entry.title['#text']);
      expect(ours.map(title)[0]).toContain('<script>alert("summary")</script>');
      expect(response.text).not.toContain('\u0007');
    }
  });

  it('an iCalendar feed of target dates parses back with ical.js', async () => {
    const response = await api.http
      .get('/feeds/targets.ics')
      .query({ commitment })
      .expect(200)
      .expect('Content-Type', /text\/calendar/);
    const calendar = new ICAL.Component(ICAL.parse(response.text));
    const events = calendar.getAllSubcomponents('vevent').map((event) => new ICAL.Event(event));
    expect(events).toHaveLength(1);
    // Its target (2021-02-28) has passed: the calendar marks it overdue.
    expect(events[0]!.summary).toBe(`Overdue: ${hostile('summary').replace('\u0007', '')}`);
    expect(events[0]!.startDate.toString()).toBe('2021-02-28');
    expect(events[0]!.uid).toBe(`${commitment}@commitment-tracker`);
  });

  it('pages link to the feeds', async () => {
    const html = await page(`/commitments/${commitment}`);
    expect(html).toContain(`href="/feeds/changes.atom?commitment=${commitment}"`);
    expect(html).toContain('href="/feeds/targets.ics"');
  });

  it('the commitments page filters and searches with a form whose address can be shared, keeping filters across pages', async () => {
    // Exactly what the form submits: every field, the empty ones too.
    const html = await page('/commitments', {
      q: 'alert',
      status: '',
      owner: hostile('team'),
      topic: '',
      sort: 'deadline',
      pageSize: 1,
    });
    expectEscaped(html, ['summary', 'team', 'target']);
    expect(html).toMatch(/<form method="get" action="\/commitments" role="search">/);
    expect(html).toContain('1 found.');
    expect(html).toMatch(/<span class="status status-overdue">Overdue<\/span>/);
    expect(html).toContain('<option value="deadline" selected>deadline</option>');
    const json = await api.http
      .get('/commitments')
      .query({ status: '', owner: hostile('team') })
      .expect(200);
    expect(json.body.total).toBe(1);
  });
});
