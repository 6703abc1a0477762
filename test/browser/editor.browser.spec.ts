import { commitmentStreamId } from '#governance';
import { BROWSER_TIMEOUT_MS, describeInBrowser, PHONE, runAxe, startBrowserApp, type BrowserApp } from './support/browser.js';

// A seeded 2020 promise whose one answer held two: where people feel free to talk, and the venues themselves.
const COMMITMENT = 'ucoc-consultation-safe-venues';

// An editor splits a seeded commitment into two, follows the link to a part, then merges one part into the
// other: every step by clicking and typing, each page axe-clean, the links readable from both ends.
describeInBrowser('an editor splits and merges commitments from their pages', () => {
  let app: BrowserApp;
  let token: string;

  beforeAll(async () => {
    app = await startBrowserApp('editor', { seed: true });
    token = await app.staffToken('ed', 'editor');
  }, 3 * BROWSER_TIMEOUT_MS);

  afterAll(async () => {
    await app?.close();
  }, BROWSER_TIMEOUT_MS);

  it(
    'split with a refused part first, follow the link to a part, merge it, and see both ends',
    async () => {
      const page = await app.signIn(token, `/commitments/${COMMITMENT}`, 'editor-signed-in');
      await page.locator('summary', { hasText: 'Split it into several commitments' }).click();
      await page.getByLabel('Part 1: what it promises').fill('Look for places where people feel free to talk');
      await page.getByLabel('Part 1: the words of the quote it is about').fill('places where people feel free to talk');
      await page.getByLabel('Part 2: what it promises').fill('Say which venues are not ideal');
      await page.getByLabel('Part 2: the words of the quote it is about').fill('words nobody said');
      await page.locator('#split-note').fill('One answer, two promises');
      await app.follow(
        page,
        () => page.getByRole('button', { name: 'Split it into several commitments' }).click(),
        'split-refused',
      );
      await expect(page.locator('#split-part2Quote-error').textContent()).resolves.toMatch(/original quote/);
      await expect(page.locator('#split-part2Quote').getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(runAxe(page)).resolves.toEqual([]);

      await page.locator('#split-part2Quote').fill('None of these are ideal');
      await app.follow(
        page,
        () => page.getByRole('button', { name: 'Split it into several commitments' }).click(),
        'split-saved',
      );
      await expect(page.getByRole('status').textContent()).resolves.toMatch(/^Split;/);
      await expect(page.locator('h1 + p .status').textContent()).resolves.toBe('Split');
      const links = page.getByRole('heading', { name: 'Linked commitments' });
      await expect(links.count()).resolves.toBe(1);
      await expect(page.locator('ul.links li').allTextContents()).resolves.toEqual([
        // The seed record's own links (it restates a 2020 plan and a 2022 answer restates it), then the parts.
        expect.stringMatching(/^Restates /),
        expect.stringMatching(/^Restated by /),
        expect.stringMatching(/^Split into Look for places where people feel free to talk\s+Announced/),
        expect.stringMatching(/^Split into Say which venues are not ideal\s+Announced/),
      ]);
      await expect(runAxe(page)).resolves.toEqual([]);

      await app.follow(page, () => page.getByRole('link', { name: 'Say which venues are not ideal' }).click(), 'part-2');
      await expect(page.locator('blockquote').textContent()).resolves.toContain('None of these are ideal');
      await expect(page.locator('ul.links li').allTextContents()).resolves.toEqual([
        expect.stringMatching(/^Split from .*Split/),
      ]);
      await page.locator('summary', { hasText: 'Merge it into another commitment' }).click();
      await page.getByLabel('Merged into (id)').fill(`${COMMITMENT}-1`);
      await page.locator('#merge-note').fill('The same promise after all');
      await app.follow(page, () => page.getByRole('button', { name: 'Merge it into another commitment' }).click(), 'merged');
      await expect(page.locator('h1 + p .status').textContent()).resolves.toBe('Superseded');
      await expect(runAxe(page)).resolves.toEqual([]);

      await app.follow(page, () => page.locator('ul.links a', { hasText: 'Look for places' }).click(), 'survivor');
      await expect(page.locator('ul.links li').allTextContents()).resolves.toEqual([
        expect.stringMatching(/^Split from .*Split/),
        expect.stringMatching(/^Merged from Say which venues are not ideal\s+Superseded/),
      ]);
      await expect(runAxe(page)).resolves.toEqual([]);
      const events = await app.api.store.readStream(commitmentStreamId(`${COMMITMENT}-2`));
      expect(events.map((event) => [event.type, event.metadata.actor])).toEqual([
        ['CommitmentMade', 'ed'],
        ['CommitmentMerged', 'ed'],
      ]);

      await page.setViewportSize(PHONE);
      const overflow = await page.evaluate('document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth');
      expect(overflow).toBeLessThanOrEqual(0);
    },
    6 * BROWSER_TIMEOUT_MS,
  );

  it(
    'records what a later session said with a status report: refused by the field first, then delivered no later than that session',
    async () => {
      // Any seeded 2020 promise still announced: the journey does not depend on which.
      const list = await app.api.http
        .get('/commitments')
        .query({ session: 'office-hours-2020-12-10', status: 'announced', pageSize: 1 })
        .expect(200);
      const commitmentId = (list.body.items as { id: string }[])[0]!.id;
      const before = (await app.api.store.readStream(commitmentStreamId(commitmentId))).length;

      const page = await app.signIn(token, `/commitments/${commitmentId}`, 'revisit-signed-in');
      await page.locator('summary', { hasText: 'Record what a later session said' }).click();
      await page.locator('#revisit-sessionId').selectOption('conversation-hour-2022-08-18');
      await page.locator('#revisit-statement').fill('The notes say this has been done.');
      await page.locator('#revisit-reportKind').selectOption('delivered');
      await app.follow(
        page,
        () => page.getByRole('button', { name: 'Record what a later session said' }).click(),
        'revisit-refused',
      );
      // A delivery needs to say what happened: refused by the field, nothing written.
      await expect(page.locator('#revisit-reportNote-error').textContent()).resolves.toMatch(/\S/);
      await expect(page.locator('#revisit-reportNote').getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(runAxe(page)).resolves.toEqual([]);
      expect(await app.api.store.readStream(commitmentStreamId(commitmentId))).toHaveLength(before);

      await page.locator('#revisit-reportNote').fill('Reported done at the session.');
      await page.locator('#revisit-reportDatePrecision').selectOption('no_later_than');
      await app.follow(
        page,
        () => page.getByRole('button', { name: 'Record what a later session said' }).click(),
        'revisit-saved',
      );
      await expect(page.getByRole('status').first().textContent()).resolves.toMatch(/^Revisit recorded/);
      await expect(page.locator('h1 + p .status').first().textContent()).resolves.toBe('Delivered');
      // Known only by the session's day: said so, and no day invented.
      await expect(page.locator('ol.timeline').textContent()).resolves.toContain('Happened no later than 2022-08-18');
      await expect(runAxe(page)).resolves.toEqual([]);
      const events = (await app.api.store.readStream(commitmentStreamId(commitmentId))).slice(before);
      expect(events.map((event) => [event.type, event.metadata.actor])).toEqual([
        ['CommitmentRevisited', 'ed'],
        ['CommitmentDelivered', 'ed'],
      ]);

      await page.setViewportSize(PHONE);
      await expect(runAxe(page)).resolves.toEqual([]);
      const overflow = await page.evaluate('document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth');
      expect(overflow).toBeLessThanOrEqual(0);
    },
    6 * BROWSER_TIMEOUT_MS,
  );
});
