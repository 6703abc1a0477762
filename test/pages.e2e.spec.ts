import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './support/test-app.js';

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
      const response = await api.http.post(path).set('Authorization', `Bearer ${editor}`).send(body);
      if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      position = response.body.position;
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
    expect(html).toContain('<time datetime="2021-02-28">2021-02-28</time>');
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
});
