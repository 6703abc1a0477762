import { BROWSER_TIMEOUT_MS, describeInBrowser, PHONE, runAxe, startBrowserApp, type BrowserApp } from './support/browser.js';

const EARLIER_SESSION = 'office-hours-2020-12-10';
const LATER_SESSION = 'conversation-hour-2022-08-18';
/** A year before the later session: the 2020 promises existed, the 2022 ones did not yet. */
const A_YEAR_BEFORE = '2021-08-18';

// A reader on a phone: finds an old promise by the words they remember, follows it across sessions, looks back a year.
describeInBrowser('a reader finds a 2020 promise, follows it to the later session and looks back a year', () => {
  let app: BrowserApp;

  beforeAll(async () => {
    app = await startBrowserApp('looking-back', { seed: true });
  }, 3 * BROWSER_TIMEOUT_MS);

  afterAll(async () => {
    await app?.close();
  }, BROWSER_TIMEOUT_MS);

  it(
    'stemmed search → the 2020 promise → the 2022 session that revisited it → a 2022 commitment → the list and the dashboard a year back',
    async () => {
      const page = await app.openPage('/commitments', { step: 'list', viewport: PHONE });
      // Neither word is written this way in the record: "enforcement pathways".
      await page.getByLabel('Words').fill('enforce pathway');
      await app.follow(page, () => page.getByRole('button', { name: 'Find' }).click(), 'searched');
      await page.getByText(/^[1-9]\d* found\./).waitFor();
      // Axe on a phone, as the reader sees the page (the accessibility spec checks every page at desktop width).
      expect(await runAxe(page)).toEqual([]);
      const found = page.getByRole('link', { name: /^Phase 2 of the UCoC will work out enforcement pathways/ });
      // On a phone the row stacks: its status words (status, then flags such as overdue and stale) are on the screen.
      const row = page.getByRole('row').filter({ has: found });
      const badges = await row.locator('.status').all();
      expect(badges.length).toBeGreaterThan(0);
      for (const badge of badges) {
        const box = (await badge.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      }

      await app.follow(page, () => found.click(), 'old-promise');
      const madeIn = page.locator('dt:text-is("Made in") + dd').getByRole('link');
      expect(await madeIn.getAttribute('href')).toBe(`/sessions/${EARLIER_SESSION}`);
      const oldSummary = (await page.getByRole('heading', { level: 1 }).textContent())!.trim();

      const revisit = page.locator('ol.timeline').getByRole('link', { name: LATER_SESSION }).first();
      await app.follow(page, () => revisit.click(), 'later-session');
      expect(new URL(page.url()).pathname).toBe(`/sessions/${LATER_SESSION}`);
      // The later session lists the old promise among those it revisited, and its own promises.
      const revisited = page.getByRole('table').nth(1);
      await expect(revisited.getByRole('link', { name: oldSummary, exact: true }).count()).resolves.toBe(1);
      const promisedThere = page.getByRole('table').first().getByRole('link').first();
      const newSummary = (await promisedThere.textContent())!.trim();
      await app.follow(page, () => promisedThere.click(), 'new-promise');
      await expect(page.locator('dt:text-is("Made in") + dd').getByRole('link').getAttribute('href')).resolves.toBe(
        `/sessions/${LATER_SESSION}`,
      );

      await app.follow(
        page,
        () => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Commitments' }).click(),
        'list-again',
      );
      await page.getByLabel('Day').fill(A_YEAR_BEFORE);
      // What was true then is the default.
      await expect(page.getByLabel('By', { exact: true }).inputValue()).resolves.toBe('occurred');
      await app.follow(page, () => page.getByRole('button', { name: 'Show' }).click(), 'list-a-year-back');
      await page.getByText(`As it stood at the end of ${A_YEAR_BEFORE}`).waitFor();
      await page.getByLabel('Words').fill('pathway');
      await app.follow(page, () => page.getByRole('button', { name: 'Find' }).click(), 'list-a-year-back-searched');
      expect(new URL(page.url()).searchParams.get('asOf')).toBe(A_YEAR_BEFORE);
      await expect(page.getByRole('link', { name: oldSummary, exact: true }).count()).resolves.toBe(1);
      expect(await runAxe(page)).toEqual([]);
      await app.follow(page, () => page.getByRole('link', { name: 'See today' }).click(), 'list-today');
      await page.getByLabel('Words').fill(newSummary.split(' ').slice(0, 6).join(' '));
      await app.follow(page, () => page.getByRole('button', { name: 'Find' }).click(), 'new-found-today');
      await expect(page.getByRole('link', { name: newSummary, exact: true }).count()).resolves.toBe(1);
      // A year back, the 2022 promise had not been made.
      await page.getByLabel('Day').fill(A_YEAR_BEFORE);
      await app.follow(page, () => page.getByRole('button', { name: 'Show' }).click(), 'new-a-year-back');
      await expect(page.getByRole('link', { name: newSummary, exact: true }).count()).resolves.toBe(0);

      await app.follow(
        page,
        () => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click(),
        'dashboard',
      );
      const todayTotal = (await page.getByText(/open of \d+ commitments/).textContent())!.match(/of (\d+) commitments/)![1];
      await page.getByLabel('Day').fill(A_YEAR_BEFORE);
      await app.follow(page, () => page.getByRole('button', { name: 'Show' }).click(), 'dashboard-a-year-back');
      await page.getByText(`As it stood at the end of ${A_YEAR_BEFORE}`).waitFor();
      expect(await runAxe(page)).toEqual([]);
      const thenTotal = (await page.getByText(/open of \d+ commitments/).textContent())!.match(/of (\d+) commitments/)![1];
      const earlier = await app.api.http.get(`/sessions/${EARLIER_SESSION}`).expect(200);
      expect(Number(thenTotal)).toBe(earlier.body.made.length);
      expect(Number(thenTotal)).toBeLessThan(Number(todayTotal));
    },
    4 * BROWSER_TIMEOUT_MS,
  );

  it(
    'the stale filter → a stale 2020 promise → a linked commitment and the link back → the promise a year back',
    async () => {
      // Which stale 2020 promise has a link is the record's business: the API names one, the reader clicks.
      const stale = await app.api.http
        .get('/commitments')
        .query({ session: EARLIER_SESSION, stale: 'true', pageSize: 100 })
        .expect(200);
      let chosen: { id: string; summary: string; link: { id: string; summary: string } } | undefined;
      for (const item of stale.body.items as { id: string; summary: string }[]) {
        const detail = await app.api.http.get(`/commitments/${item.id}`).expect(200);
        const link = (detail.body.links as { id: string; summary: string | null }[]).find((l) => l.summary);
        if (link) {
          chosen = { id: item.id, summary: item.summary, link: { id: link.id, summary: link.summary! } };
          break;
        }
      }
      expect(chosen).toBeDefined();
      const { id, summary, link } = chosen!;

      const page = await app.openPage('/commitments', { step: 'stale-list', viewport: PHONE });
      await page.getByLabel('Stale only').check();
      await page.getByLabel('Session').selectOption(EARLIER_SESSION);
      await app.follow(page, () => page.getByRole('button', { name: 'Find' }).click(), 'stale-found');
      expect(new URL(page.url()).searchParams.get('stale')).toBe('true');
      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: summary, exact: true }) });
      // The row says it is stale, in words, on the phone's screen.
      const staleBadge = row.locator('.status-stale');
      await expect(staleBadge.textContent()).resolves.toBe('Stale');
      const box = (await staleBadge.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      expect(await runAxe(page)).toEqual([]);

      await app.follow(page, () => row.getByRole('link', { name: summary, exact: true }).click(), 'stale-promise');
      await expect(page.locator('p.news').textContent()).resolves.toMatch(/no news since .*stale/);
      await app.follow(
        page,
        () => page.locator('ul.links').getByRole('link', { name: link.summary, exact: true }).first().click(),
        'linked',
      );
      expect(new URL(page.url()).pathname).toBe(`/commitments/${link.id}`);
      // The link shows from this end too, back to the stale promise.
      await expect(page.locator('ul.links').getByRole('link', { name: summary, exact: true }).count()).resolves.toBeGreaterThan(
        0,
      );
      expect(await runAxe(page)).toEqual([]);
      await app.follow(
        page,
        () => page.locator('ul.links').getByRole('link', { name: summary, exact: true }).first().click(),
        'back',
      );
      expect(new URL(page.url()).pathname).toBe(`/commitments/${id}`);

      await page.getByLabel('Day').fill(A_YEAR_BEFORE);
      await app.follow(page, () => page.getByRole('button', { name: 'Show' }).click(), 'stale-promise-a-year-back');
      await page.getByText(`As it stood at the end of ${A_YEAR_BEFORE}`).waitFor();
      // A year back, nothing the later session said had happened yet.
      await expect(page.locator('ol.timeline').textContent()).resolves.not.toContain(LATER_SESSION);
      expect(await runAxe(page)).toEqual([]);
    },
    4 * BROWSER_TIMEOUT_MS,
  );
});
