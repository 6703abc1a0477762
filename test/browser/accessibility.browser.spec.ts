import type { Page } from 'playwright-core';
import { BROWSER_TIMEOUT_MS, describeInBrowser, PHONE, runAxe, startBrowserApp, type BrowserApp } from './support/browser.js';

// The seed record's pages, as real as they get: long summaries, timelines with evidence links, revisits.
const COMMITMENT = 'ucoc-phase-2-start';
const EARLIER_SESSION = 'office-hours-2020-12-10';
const LATER_SESSION = 'conversation-hour-2022-08-18';

/** Every page type, each reached as a reader would: by address, or by filling its form. */
const pages: readonly { step: string; path: string; then?: (page: Page) => Promise<void> }[] = [
  { step: 'dashboard', path: '/dashboard' },
  { step: 'commitments', path: '/commitments' },
  {
    step: 'commitments-filtered',
    path: '/commitments',
    then: async (page) => {
      await page.getByLabel('Words').fill('UCoC');
      await page.getByRole('checkbox', { name: /^Announced \(\d+\)$/ }).check();
      await page.getByRole('checkbox', { name: /^In progress \(\d+\)$/ }).check();
      await page.getByLabel('Overdue only').check();
      await page.getByLabel('Sort by').selectOption('deadline');
      await Promise.all([page.waitForURL(/[?&]q=UCoC/), page.getByRole('button', { name: 'Find' }).click()]);
      await page.getByText(/^[1-9]\d* found\./).waitFor();
    },
  },
  { step: 'commitment', path: `/commitments/${COMMITMENT}` },
  {
    step: 'commitment-as-of',
    path: `/commitments/${COMMITMENT}`,
    then: async (page) => {
      await page.getByLabel('Day').fill('2021-06-30');
      await page.getByLabel('By').selectOption('occurred');
      await Promise.all([page.waitForURL(/asOf=2021-06-30/), page.getByRole('button', { name: 'Show' }).click()]);
      await page.getByText('As it stood at the end of 2021-06-30').waitFor();
    },
  },
  { step: 'commitments-as-of', path: '/commitments?asOf=2021-08-18&q=enforce' },
  { step: 'dashboard-as-of', path: '/dashboard?asOf=2021-08-18' },
  { step: 'session-as-of', path: `/sessions/${LATER_SESSION}?asOf=2022-09-30` },
  { step: 'session', path: `/sessions/${EARLIER_SESSION}` },
  { step: 'session-with-revisits', path: `/sessions/${LATER_SESSION}` },
  { step: 'sessions', path: '/sessions' },
  { step: 'corrections', path: '/corrections' },
];

const HAS_HORIZONTAL_OVERFLOW =
  '(() => { const root = document.scrollingElement; return root.scrollWidth > root.clientWidth ? root.scrollWidth : 0; })()';

interface Focused {
  readonly name: string;
  readonly visibleIndicator: boolean;
}

/** What has focus, by the name a reader would see or hear, and whether its focus shows. */
const FOCUSED = `(() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const label = element.labels && element.labels[0] ? element.labels[0].textContent : null;
  return { name: (label || element.textContent || element.value || '').trim(), visibleIndicator: outline || style.boxShadow !== 'none' };
})()`;

describeInBrowser('pages are accessible, readable on a phone and usable by keyboard', () => {
  let app: BrowserApp;

  beforeAll(async () => {
    app = await startBrowserApp('accessibility', { seed: true });
  }, 3 * BROWSER_TIMEOUT_MS);

  afterAll(async () => {
    await app?.close();
  }, BROWSER_TIMEOUT_MS);

  it.each(pages)(
    'axe-core finds no violations on $step',
    async ({ step, path, then }) => {
      const page = await app.openPage(path, { step: `axe-${step}` });
      if (then) {
        await then(page);
        await app.screenshot(page, `axe-${step}-shown`);
      }
      expect(await runAxe(page)).toEqual([]);
    },
    2 * BROWSER_TIMEOUT_MS,
  );

  it.each(pages)(
    '$step fits a 375px-wide phone without sideways scrolling',
    async ({ step, path, then }) => {
      const page = await app.openPage(path, { step: `phone-${step}`, viewport: PHONE });
      if (then) {
        await then(page);
        await app.screenshot(page, `phone-${step}-shown`);
      }
      expect({ step, overflowsTo: await page.evaluate(HAS_HORIZONTAL_OVERFLOW) }).toEqual({ step, overflowsTo: 0 });
    },
    2 * BROWSER_TIMEOUT_MS,
  );

  it.each(['/commitments', `/sessions/${EARLIER_SESSION}`, `/sessions/${LATER_SESSION}`, '/commitments?asOf=2021-08-18'])(
    'on a phone every table row of %s shows its status on the screen',
    async (path) => {
      const page = await app.openPage(path, { step: `phone-status-${path.replace(/\W+/g, '-')}`, viewport: PHONE });
      const rows = await page.evaluate(`[...document.querySelectorAll('table tbody tr')].map((row) => {
        const status = row.querySelector('.status');
        const box = status && status.getBoundingClientRect();
        return box ? { shown: box.width > 0 && box.left >= 0 && box.right <= ${PHONE.width} } : { shown: false };
      })`);
      expect((rows as unknown[]).length).toBeGreaterThan(0);
      expect(rows).toEqual((rows as unknown[]).map(() => ({ shown: true })));
    },
    2 * BROWSER_TIMEOUT_MS,
  );

  it(
    'on a phone each field of the search and as-of forms sits beside its label, not on a line apart',
    async () => {
      for (const [step, path] of [
        ['phone-search-form', '/commitments'],
        ['phone-as-of-form', `/commitments/${COMMITMENT}`],
        ['phone-dashboard-as-of-form', '/dashboard'],
      ]) {
        const page = await app.openPage(path!, { step: step!, viewport: PHONE });
        const apart = await page.evaluate(`[...document.querySelectorAll('form[method=get] label')].flatMap((label) => {
          const text = label.getBoundingClientRect();
          const field = label.control.getBoundingClientRect();
          const middle = text.top + text.height / 2;
          return middle >= field.top && middle <= field.bottom ? [] : [label.textContent];
        })`);
        expect({ path, apart }).toEqual({ path, apart: [] });
      }
    },
    2 * BROWSER_TIMEOUT_MS,
  );

  it(
    'Tab reaches every main navigation link and every search control, each with a visible focus indicator',
    async () => {
      const page = await app.openPage('/commitments', { step: 'keyboard' });
      const navigation = (await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).map((text) =>
        text.trim(),
      );
      const search = page.getByRole('search');
      const controls = [
        ...(await search
          .getByRole('textbox')
          .or(search.getByRole('searchbox'))
          .or(search.getByRole('combobox'))
          .or(search.getByRole('checkbox'))
          .all()),
      ];
      const controlNames = await Promise.all(
        controls.map((control) => control.evaluate('(element) => element.labels[0].textContent.trim()') as Promise<string>),
      );
      const wanted = [...navigation, ...controlNames, 'Find'];
      expect(navigation.length).toBeGreaterThanOrEqual(3);
      expect(controlNames.length).toBeGreaterThanOrEqual(5);

      const reached: Focused[] = [];
      // Everything wanted comes before the results table, so this many presses are plenty.
      for (let press = 0; press < wanted.length + 20 && !reached.some((focused) => focused.name === 'Find'); press++) {
        await page.keyboard.press('Tab');
        const focused = (await page.evaluate(FOCUSED)) as Focused | null;
        if (focused) reached.push(focused);
      }
      await app.screenshot(page, 'keyboard-find-focused');
      const names = reached.map((focused) => focused.name);
      expect(wanted.filter((name) => !names.includes(name))).toEqual([]);
      expect(reached.filter((focused) => wanted.includes(focused.name) && !focused.visibleIndicator)).toEqual([]);
    },
    2 * BROWSER_TIMEOUT_MS,
  );
});
