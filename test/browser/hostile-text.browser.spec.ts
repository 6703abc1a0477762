import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { BROWSER_TIMEOUT_MS, describeInBrowser, startBrowserApp, type BrowserApp } from './support/browser.js';

const run = randomUUID().slice(0, 8);
const session = `hostile-session-${run}`;
const commitment = `hostile-promise-${run}`;

// Each payload sets its own number, so a failure says which one ran, and marks every element it
// would create with data-pwned, so markup that became elements is found even when it runs nothing.
// `run` keeps the texts unique to this test when the database is shared.
const text = {
  summary: `Fix it ${run} </title><script data-pwned>window.__pwned=1</script>`,
  speaker: `"><img data-pwned src=x onerror="window.__pwned=2">`,
  role: `'><svg data-pwned onload=window.__pwned=3>`,
  team: `Team ${run} "><img data-pwned src=x onerror="window.__pwned=4">`,
  topic: `<iframe data-pwned srcdoc="<script>parent.__pwned=5</script>"></iframe>`,
  quote: `<a data-pwned href="javascript:window.__pwned=6">click me</a> & <b data-pwned>bold</b>`,
  note: `<style data-pwned>body{display:none}</style><%= it %> {{7*7}}`,
  target: `</dd><script data-pwned>window.__pwned=7</script>`,
  progress: `<details data-pwned open ontoggle="window.__pwned=8">x</details>`,
  title: `Session ${run} <script data-pwned>window.__pwned=9</script>`,
  host: `"><body data-pwned onload="window.__pwned=10">`,
  hostRole: `<math><mtext><table><mglyph><style><img data-pwned src=x onerror="window.__pwned=11">`,
};

// Valid http(s) URLs (the API checks) that try to break out of the href attribute they are shown in.
const NOTES_URL = 'https://example.org/notes?a=1&b="onmouseover="window.__pwned=12';
const EVIDENCE_URL = 'https://example.org/report?x=1&y="autofocus="onfocus="window.__pwned=13';

/** What the browser made of the page: did anything run, did any markup from the data become elements. */
const INJECTED = `({
  pwned: typeof window.__pwned === 'undefined' ? null : window.__pwned,
  elements: document.querySelectorAll('script, [data-pwned]').length,
  handlers: [...document.querySelectorAll('*')].flatMap((element) => element.getAttributeNames().filter((name) => name.startsWith('on'))),
})`;

describeInBrowser('hostile text shows as text in a browser and never runs', () => {
  let app: BrowserApp;
  let position: string;

  beforeAll(async () => {
    app = await startBrowserApp('hostile-text');
    const editor = await app.staffToken('mallory-editor', 'editor');
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
      hosts: [{ name: text.host, role: text.hostRole }],
      sourceUrl: NOTES_URL,
    });
    await post('/commitments', {
      id: commitment,
      sessionId: session,
      speaker: { name: text.speaker, role: text.role },
      ownerTeam: text.team,
      topics: [text.topic],
      summary: text.summary,
      quote: text.quote,
      note: text.note,
      target: { asSaid: text.target, latestDate: '2021-02-28' },
      strength: 'plan',
    });
    await post(`/commitments/${commitment}/progress`, {
      note: text.progress,
      evidence: [EVIDENCE_URL],
    });
    await app.waitForProjections(position);
  }, 3 * BROWSER_TIMEOUT_MS);

  afterAll(async () => {
    await app?.close();
  }, BROWSER_TIMEOUT_MS);

  const expectInert = async (page: Page) => {
    // goto waited for `load`, after every image has loaded or failed: an injected onerror would have run.
    expect(await page.evaluate(INJECTED)).toEqual({ pwned: null, elements: 0, handlers: [] });
  };
  const mainText = (page: Page) => page.locator('main').innerText();

  it(
    'the commitment page shows every field as the text it is',
    async () => {
      const page = await app.openPage(`/commitments/${commitment}`, { step: 'commitment' });
      await expectInert(page);
      await expect(page.title()).resolves.toBe(`${text.summary} · Commitment tracker`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(text.summary);
      const shown = await mainText(page);
      for (const field of [
        'summary',
        'speaker',
        'role',
        'team',
        'topic',
        'quote',
        'note',
        'target',
        'progress',
        'title',
      ] as const) {
        expect({ field, shown: shown.includes(text[field]) }).toEqual({ field, shown: true });
      }
      const evidence = page.getByRole('link', { name: /^https:\/\/example\.org\/report/ });
      await expect(evidence.getAttribute('href')).resolves.toBe(EVIDENCE_URL);
    },
    2 * BROWSER_TIMEOUT_MS,
  );

  it(
    'the session page, the sessions list and a search of the commitments show it as text too',
    async () => {
      const sessionPage = await app.openPage(`/sessions/${session}`, { step: 'session' });
      await expectInert(sessionPage);
      await expect(sessionPage.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(text.title);
      const shown = await mainText(sessionPage);
      for (const field of ['title', 'host', 'hostRole', 'summary', 'team', 'target'] as const) {
        expect({ field, shown: shown.includes(text[field]) }).toEqual({ field, shown: true });
      }
      await expect(sessionPage.getByRole('link', { name: 'published notes' }).getAttribute('href')).resolves.toBe(NOTES_URL);

      const list = await app.openPage('/sessions', { step: 'sessions' });
      await expectInert(list);
      await expect(list.getByRole('link', { name: text.title, exact: true }).count()).resolves.toBe(1);

      const search = await app.openPage(`/commitments?q=${run}&owner=${encodeURIComponent(text.team)}`, { step: 'search' });
      await expectInert(search);
      await expect(search.getByRole('link', { name: text.summary, exact: true }).count()).resolves.toBe(1);
      await expect(search.getByLabel('Owner team').inputValue()).resolves.toBe(text.team);
    },
    2 * BROWSER_TIMEOUT_MS,
  );

  it(
    'signed in, the staff forms show it as text too, and a refused form gives hostile input back as text',
    async () => {
      const page = await app.signIn(await app.staffToken('mallory-staff', 'staff'), `/commitments/${commitment}`, 'staff-page');
      await expectInert(page);
      await expect(page.getByRole('heading', { name: 'Staff actions' }).count()).resolves.toBe(1);

      // The evidence is refused, so the page comes back with what was typed, in the fields.
      await page.locator('summary', { hasText: 'Report progress' }).click();
      // Inside a textarea only its own end tag is markup.
      const typed = `${text.progress}</textarea><img data-pwned src=x onerror="window.__pwned=15">`;
      await page.locator('#progress-note').fill(typed);
      await page.locator('#progress-evidence').fill('javascript:window.__pwned=14');
      await app.follow(page, () => page.getByRole('button', { name: 'Report progress' }).click(), 'staff-form-refused');
      await expectInert(page);
      await expect(page.locator('#progress-evidence-error').count()).resolves.toBe(1);
      await expect(page.locator('#progress-note').inputValue()).resolves.toBe(typed);
      await expect(page.locator('#progress-evidence').inputValue()).resolves.toBe('javascript:window.__pwned=14');
    },
    2 * BROWSER_TIMEOUT_MS,
  );

  it(
    'the dashboard and the commitment’s Atom feed run nothing either',
    async () => {
      await expectInert(await app.openPage('/dashboard', { step: 'dashboard' }));
      await expectInert(await app.openPage(`/feeds/changes.atom?commitment=${commitment}`, { step: 'feed' }));
    },
    2 * BROWSER_TIMEOUT_MS,
  );
});
