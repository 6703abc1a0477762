import { commitmentStreamId } from '#governance';
import { BROWSER_TIMEOUT_MS, describeInBrowser, PHONE, runAxe, startBrowserApp, type BrowserApp } from './support/browser.js';

// A seeded 2020 commitment still open (in progress since the 2022 session): phase 2's enforcement
// pathways. Phase 2's start itself is delivered no later than 2022-08-18, so it takes no progress (issue #12).
const COMMITMENT = 'ucoc-phase-2-enforcement-pathways';

// A member of staff signs in with a token, reports progress on a commitment and sees it; a
// refused form shows its problem next to the field. All by clicking and typing, as a person would.
describeInBrowser('staff sign in and change a commitment from its page', () => {
  let app: BrowserApp;
  let token: string;

  beforeAll(async () => {
    app = await startBrowserApp('staff', { seed: true });
    token = await app.staffToken('sam', 'staff');
  }, 3 * BROWSER_TIMEOUT_MS);

  afterAll(async () => {
    await app?.close();
  }, BROWSER_TIMEOUT_MS);

  it(
    'sign in from the footer link, report progress, see it in the history after the page reloads',
    async () => {
      const page = await app.openPage(`/commitments/${COMMITMENT}`, { step: 'public-page' });
      await expect(page.getByRole('heading', { name: 'Staff actions' }).count()).resolves.toBe(0);

      await app.follow(page, () => page.getByRole('link', { name: 'Staff sign-in' }).click(), 'sign-in');
      // Signing in from the form: a wrong token first, then the right one.
      await page.getByLabel('Staff token').fill('ctk_000000000000_not-a-real-token-at-all-not-a-real-token-xx');
      await app.follow(page, () => page.getByRole('button', { name: 'Sign in' }).click(), 'sign-in-refused');
      await expect(page.locator('#token-error').textContent()).resolves.toMatch(/not accepted/);
      await expect(page.getByLabel('Staff token').getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(runAxe(page)).resolves.toEqual([]);

      await page.getByLabel('Staff token').fill(token);
      await app.follow(page, () => page.getByRole('button', { name: 'Sign in' }).click(), 'staff-home');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Signed in as sam');
      const cookies = await page.context().cookies();
      expect(cookies.find((cookie) => cookie.name === 'tracker_staff')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

      await app.follow(page, () => page.goto(`/commitments/${COMMITMENT}`).then(() => undefined), 'staff-page');
      await expect(page.getByRole('heading', { name: 'Staff actions' }).count()).resolves.toBe(1);
      await expect(runAxe(page)).resolves.toEqual([]);

      // A refused form: empty note, a link that is not http(s). The error sits next to each field.
      await page.locator('summary', { hasText: 'Report progress' }).click();
      await page.locator('#progress-evidence').fill('javascript:alert(1)');
      await app.follow(page, () => page.getByRole('button', { name: 'Report progress' }).click(), 'progress-refused');
      await expect(page.locator('#progress-note-error').textContent()).resolves.toMatch(/should not be empty/);
      await expect(page.locator('#progress-evidence-error').textContent()).resolves.toMatch(/http\(s\) URL/);
      await expect(page.locator('#progress-evidence').inputValue()).resolves.toBe('javascript:alert(1)');
      await expect(runAxe(page)).resolves.toEqual([]);

      const before = (await app.api.store.readStream(commitmentStreamId(COMMITMENT))).length;
      const note = `Phase 2 drafting committee met (browser test ${Date.now()})`;
      await page.locator('#progress-note').fill(note);
      await page.locator('#progress-evidence').fill('https://meta.wikimedia.org/wiki/Universal_Code_of_Conduct/Phase_2');
      await app.follow(page, () => page.getByRole('button', { name: 'Report progress' }).click(), 'progress-saved');

      await expect(page.getByRole('status').textContent()).resolves.toBe('Progress reported.');
      await expect(page.locator('ol.timeline').textContent()).resolves.toContain(note);
      const events = await app.api.store.readStream(commitmentStreamId(COMMITMENT));
      expect(events).toHaveLength(before + 1);
      expect(events.at(-1)).toMatchObject({ type: 'ProgressReported', metadata: { actor: 'sam' } });

      // Still there on a plain reload, and on a phone the forms fit the screen.
      await page.reload();
      await expect(page.locator('ol.timeline').textContent()).resolves.toContain(note);
      await page.setViewportSize(PHONE);
      await app.screenshot(page, 'staff-page-phone');
      const overflow = await page.evaluate('document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth');
      expect(overflow).toBeLessThanOrEqual(0);
    },
    4 * BROWSER_TIMEOUT_MS,
  );
});
