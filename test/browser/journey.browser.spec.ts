import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { BROWSER_TIMEOUT_MS, describeInBrowser, startBrowserApp, type BrowserApp } from './support/browser.js';

// A reader's path through the seed record, by clicking the links the pages show.
describeInBrowser('a reader follows a commitment from the dashboard to its feed', () => {
  let app: BrowserApp;

  beforeAll(async () => {
    app = await startBrowserApp('journey', { seed: true });
  }, 3 * BROWSER_TIMEOUT_MS);

  afterAll(async () => {
    await app?.close();
  }, BROWSER_TIMEOUT_MS);

  it(
    'dashboard → the most overdue commitment → the session it was made in → back to it → its Atom feed',
    async () => {
      const page = await app.openPage('/dashboard', { step: 'dashboard' });
      await expect(page.title()).resolves.toBe('Dashboard · Commitment tracker');
      const overdue = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Days overdue' }) });
      const firstRow = overdue.getByRole('row').nth(1);
      const link = firstRow.getByRole('link');
      const summary = (await link.textContent())!.trim();
      const owner = (await firstRow.getByRole('cell').nth(1).textContent())!.trim();
      expect(summary.length).toBeGreaterThan(0);

      await app.follow(page, () => link.click(), 'commitment');
      const commitmentPath = new URL(page.url()).pathname;
      expect(commitmentPath).toMatch(/^\/commitments\/[a-z0-9-]+$/);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(summary);
      // Its status word first, then the flags: overdue among them.
      await expect(page.locator('.status').first().textContent()).resolves.toMatch(/^(Announced|In progress)$/);
      await expect(page.locator('.status-overdue').textContent()).resolves.toBe('Overdue');
      await expect(page.locator('dt:text-is("Owner") + dd').textContent()).resolves.toBe(owner);
      const madeIn = page.locator('dt:text-is("Made in") + dd').getByRole('link');
      const sessionTitle = (await madeIn.textContent())!.trim();

      await app.follow(page, () => madeIn.click(), 'session');
      expect(new URL(page.url()).pathname).toMatch(/^\/sessions\/[a-z0-9-]+$/);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(sessionTitle);
      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: summary, exact: true }) });
      await expect(row.locator('.status-overdue').textContent()).resolves.toBe('Overdue');

      await app.follow(page, () => row.getByRole('link', { name: summary, exact: true }).click(), 'commitment-again');
      expect(new URL(page.url()).pathname).toBe(commitmentPath);

      const history = await page.locator('ol.timeline > li').count();
      const feedLink = page.getByRole('link', { name: 'Follow it (Atom)' });
      const feed = await app.follow(page, () => feedLink.click(), 'feed');
      expect(feed.headers()['content-type']).toMatch(/^application\/atom\+xml/);
      const xml = await feed.text();
      expect(XMLValidator.validate(xml)).toBe(true);
      const entries = ([] as { title: string | { '#text': string }; link: { '@_href': string } }[]).concat(
        new XMLParser({ ignoreAttributes: false }).parse(xml).feed.entry ?? [],
      );
      // The commitment's feed holds its own history, one entry per change, and nobody else's.
      expect(entries).toHaveLength(history);
      expect(entries.every((entry) => new URL(entry.link['@_href']).pathname === commitmentPath)).toBe(true);
    },
    3 * BROWSER_TIMEOUT_MS,
  );
});
