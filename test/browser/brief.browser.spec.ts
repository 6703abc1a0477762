import { commitmentStreamId } from '#governance';
import { BROWSER_TIMEOUT_MS, describeInBrowser, PHONE, runAxe, startBrowserApp, type BrowserApp } from './support/browser.js';

const HAS_HORIZONTAL_OVERFLOW =
  '(() => { const root = document.scrollingElement; return root.scrollWidth > root.clientWidth ? root.scrollWidth : 0; })()';

// The seed record: Maggie Dennis hosted both sessions; her commitments belong to Trust & Safety and Human Rights.
const HOST = 'Maggie Dennis';

// Someone preparing the next session reads its brief on a desktop and on a phone, prints it, and a
// member of staff records the session from it, then records what it said, the brief's commitments first.
describeInBrowser('the pre-session brief: read, print, record the session, record what it said', () => {
  let app: BrowserApp;
  let token: string;
  const today = new Date().toISOString().slice(0, 10);
  const brief = `/brief?${new URLSearchParams({ date: today, host: HOST })}`;

  beforeAll(async () => {
    app = await startBrowserApp('brief', { seed: true });
    token = await app.staffToken('ed', 'editor');
  }, 3 * BROWSER_TIMEOUT_MS);

  afterAll(async () => {
    await app?.close();
  }, BROWSER_TIMEOUT_MS);

  it(
    'finds the brief from the main navigation, chooses the session, reads it per team; axe finds nothing',
    async () => {
      const page = await app.openPage('/dashboard', { step: 'start' });
      await app.follow(page, () => page.getByRole('link', { name: 'Next session brief' }).click(), 'form');
      await expect(page.getByLabel('Day of the session').inputValue()).resolves.toBe(today);
      await expect(runAxe(page)).resolves.toEqual([]);
      await page.getByLabel(/^Host /).fill(HOST);
      await app.follow(page, () => page.getByRole('button', { name: 'Show the brief' }).click(), 'desktop');
      // The form sends its empty second host too: an empty host is none.
      expect(new URL(page.url()).searchParams.getAll('host')).toEqual([HOST, '']);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/^Pre-session brief: /);
      await expect(page.getByRole('heading', { level: 2, name: 'Trust & Safety' }).count()).resolves.toBe(1);
      await expect(page.getByRole('heading', { level: 2, name: 'Human Rights' }).count()).resolves.toBe(1);
      // The seed's open commitments are long past their 2021 targets.
      await expect(page.getByRole('heading', { level: 3, name: /^Overdue \(\d+\)$/ }).count()).resolves.toBeGreaterThan(0);
      const items = page.locator('.brief-item');
      expect(await items.count()).toBeGreaterThan(2);
      for (const item of await items.all()) {
        await expect(item.locator('.brief-ask').textContent()).resolves.toMatch(/^Ask about: .+\?$/);
        await expect(item.locator('.brief-news').textContent()).resolves.toMatch(/^Last news: /);
      }
      await expect(runAxe(page)).resolves.toEqual([]);
    },
    2 * BROWSER_TIMEOUT_MS,
  );

  it(
    'fits a 375px-wide phone without sideways scrolling, every status word on the screen; axe finds nothing',
    async () => {
      const page = await app.openPage(brief, { step: 'phone', viewport: PHONE });
      expect(await page.evaluate(HAS_HORIZONTAL_OVERFLOW)).toBe(0);
      const badges = await page.evaluate(`[...document.querySelectorAll('.brief-item .status')].map((badge) => {
        const box = badge.getBoundingClientRect();
        return box.width > 0 && box.left >= 0 && box.right <= ${PHONE.width};
      })`);
      expect((badges as boolean[]).length).toBeGreaterThan(0);
      expect(badges).toEqual((badges as boolean[]).map(() => true));
      await expect(runAxe(page)).resolves.toEqual([]);
    },
    2 * BROWSER_TIMEOUT_MS,
  );

  it(
    'opens the printable view from the brief; on paper only the brief is left',
    async () => {
      const page = await app.openPage(brief, { step: 'before-print' });
      await app.follow(page, () => page.getByRole('link', { name: 'Printable view' }).click(), 'print-view');
      expect(new URL(page.url()).pathname).toBe('/brief/print');
      await expect(page.getByRole('link', { name: 'Wikitext to paste on Meta' }).isVisible()).resolves.toBe(false);
      await page.emulateMedia({ media: 'print' });
      await app.screenshot(page, 'print-media');
      await expect(page.getByRole('navigation', { name: 'Main' }).isVisible()).resolves.toBe(false);
      await expect(page.locator('.brief-item').first().isVisible()).resolves.toBe(true);
      await page.emulateMedia({ media: 'screen' });
      await expect(runAxe(page)).resolves.toEqual([]);
    },
    2 * BROWSER_TIMEOUT_MS,
  );

  it(
    'records the session from the brief, then what it said: the brief\u2019s commitments offered first',
    async () => {
      const page = await app.signIn(token, `/staff${brief}`, 'staff-brief');
      await expect(page.getByRole('heading', { level: 2, name: 'Staff' }).count()).resolves.toBe(1);
      await page.locator('summary', { hasText: 'Record a session' }).click();
      await expect(page.getByLabel('Day it was held').inputValue()).resolves.toBe(today);
      await expect(page.getByLabel('Hosts').inputValue()).resolves.toBe(HOST);
      await expect(runAxe(page)).resolves.toEqual([]);
      await page.getByLabel('Kind').selectOption('office_hour');
      await page.getByLabel('Link to the published notes').fill('https://meta.wikimedia.org/wiki/Office_hours');
      await app.follow(page, () => page.getByRole('button', { name: 'Record a session' }).click(), 'session-recorded');
      expect(new URL(page.url()).pathname).toBe(`/sessions/session-${today}`);

      const signedIn = page;
      await app.follow(page, () => page.goto(`/staff${brief}`).then(() => undefined), 'staff-brief-again');
      await app.follow(
        signedIn,
        () => signedIn.getByRole('link', { name: /record what it said, the brief’s commitments first/ }).click(),
        'revisits',
      );
      await expect(signedIn.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/^Record what the session on /);
      const first = signedIn.locator('ol.brief-revisits > li').first();
      const commitment = (await first.getAttribute('id'))!.replace(/^revisit-/, '');
      await expect(runAxe(signedIn)).resolves.toEqual([]);

      await first.locator('summary', { hasText: 'Record what a later session said' }).click();
      await expect(first.getByLabel('Session', { exact: true }).inputValue()).resolves.toBe(`session-${today}`);
      await first
        .getByLabel('What was said about it', { exact: true })
        .fill('Asked at the session: the team will publish a date next month.');
      await app.follow(
        signedIn,
        () => first.getByRole('button', { name: 'Record what a later session said' }).click(),
        'revisit-saved',
      );
      expect(new URL(signedIn.url()).pathname).toBe(`/commitments/${commitment}`);
      const events = await app.api.store.readStream(commitmentStreamId(commitment));
      expect(events.at(-1)).toMatchObject({ type: 'CommitmentRevisited', data: { sessionId: `session-${today}` } });
    },
    4 * BROWSER_TIMEOUT_MS,
  );
});
