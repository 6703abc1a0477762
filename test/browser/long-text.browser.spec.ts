import { randomUUID } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import ICAL from 'ical.js';
import { BROWSER_TIMEOUT_MS, describeInBrowser, PHONE, startBrowserApp, type BrowserApp } from './support/browser.js';

const run = randomUUID().slice(0, 8);
const session = `long-session-${run}`;
const commitment = `long-promise-${run}`;

/** As long as the API allows, with no space to break at and markup in the middle. */
const longest = (length: number, tag: string) => {
  const middle = `<script>${tag}</script>"'&`;
  const side = 'W'.repeat(Math.floor((length - middle.length - run.length) / 2));
  return `${run}${side}${middle}${side}`.padEnd(length, 'W');
};
const text = {
  title: longest(200, 'title'),
  host: longest(200, 'host'),
  speaker: longest(200, 'speaker'),
  team: longest(200, 'team'),
  topic: longest(100, 'topic'),
  summary: longest(500, 'summary'),
  quote: longest(500, 'quote'),
  target: longest(200, 'target'),
  note: longest(4000, 'note'),
  progress: longest(4000, 'progress'),
};
const LONG_URL = `https://example.org/${'a'.repeat(1900)}?q=1&r=2`;

// Very long strings, at each field's limit and unbreakable, in every field a reader sees: pages
// stay inside a phone's width, and the feeds stay well-formed and keep every character.
describeInBrowser('the longest text the API accepts stays readable and well-formed everywhere', () => {
  let app: BrowserApp;

  beforeAll(async () => {
    app = await startBrowserApp('long-text');
    const editor = await app.staffToken('lena-editor', 'editor');
    let position = '';
    const post = async (path: string, body: object) => {
      const response = await app.api.http.post(path).set('Authorization', `Bearer ${editor}`).send(body);
      if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      position = response.body.position;
    };
    await post('/sessions', {
      id: session,
      date: '2020-12-10',
      title: text.title,
      kind: 'office_hour',
      hosts: [{ name: text.host, role: text.host }],
      sourceUrl: LONG_URL,
    });
    await post('/commitments', {
      id: commitment,
      sessionId: session,
      speaker: { name: text.speaker, role: text.speaker },
      ownerTeam: text.team,
      topics: [text.topic],
      summary: text.summary,
      quote: text.quote,
      note: text.note,
      target: { asSaid: text.target, latestDate: '2031-02-28' },
      strength: 'plan',
    });
    await post(`/commitments/${commitment}/progress`, { note: text.progress, evidence: [LONG_URL] });
    await app.waitForProjections(position);
  }, 3 * BROWSER_TIMEOUT_MS);

  afterAll(async () => {
    await app?.close();
  }, BROWSER_TIMEOUT_MS);

  it.each([
    [
      'commitment',
      (): string => `/commitments/${commitment}`,
      ['summary', 'quote', 'note', 'progress', 'speaker', 'team', 'target'],
    ],
    ['session', (): string => `/sessions/${session}`, ['title', 'summary', 'team']],
    ['list', (): string => `/commitments?owner=${encodeURIComponent(text.team)}`, ['summary', 'team']],
    ['sessions', (): string => '/sessions', ['title']],
  ] as const)(
    'the %s page fits a 375px phone and shows each long value whole, as text',
    async (step, path, fields) => {
      const page = await app.openPage(path(), { step, viewport: PHONE });
      const overflow = await page.evaluate('document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      const shown = await page.locator('main').innerText();
      for (const field of fields) expect({ field, whole: shown.includes(text[field]) }).toEqual({ field, whole: true });
      await expect(page.evaluate('document.querySelectorAll("main script").length')).resolves.toBe(0);
    },
    2 * BROWSER_TIMEOUT_MS,
  );

  it('the Atom and iCalendar feeds of it parse and carry the long text whole', async () => {
    const atom = await app.api.http.get('/feeds/changes.atom').query({ commitment }).expect(200);
    expect(XMLValidator.validate(atom.text)).toBe(true);
    const feed = new XMLParser({ ignoreAttributes: false }).parse(atom.text).feed;
    expect(JSON.stringify(feed)).toContain(JSON.stringify(text.progress).slice(1, -1));

    const ics = await app.api.http.get('/feeds/targets.ics').query({ commitment }).expect(200);
    const calendar = new ICAL.Component(ICAL.parse(ics.text));
    const events = calendar.getAllSubcomponents('vevent');
    expect(events).toHaveLength(1);
    expect(String(events[0]!.getFirstPropertyValue('summary'))).toContain(text.summary);
  });
});
