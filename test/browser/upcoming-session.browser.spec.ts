import { sessionStreamId } from '#governance';
import { BROWSER_TIMEOUT_MS, describeInBrowser, runAxe, startBrowserApp, type BrowserApp } from './support/browser.js';

// The seed record: Maggie Dennis hosted both sessions; her commitments belong to Trust & Safety and Human Rights.
const HOST = 'Maggie Dennis';

// A member of staff announces next week's session from its brief; anyone then finds it from the
// brief's own page and follows it.
describeInBrowser('announcing an upcoming session from its brief', () => {
  let app: BrowserApp;
  let token: string;
  const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const brief = `/brief?${new URLSearchParams({ date: day, host: HOST })}`;

  beforeAll(async () => {
    app = await startBrowserApp('upcoming-session', { seed: true });
    token = await app.staffToken('ed', 'editor');
  }, 3 * BROWSER_TIMEOUT_MS);

  afterAll(async () => {
    await app?.close();
  }, BROWSER_TIMEOUT_MS);

  it(
    'announces it with the form on the staff brief; its public brief says so and links the feeds; axe finds nothing',
    async () => {
      const page = await app.signIn(token, `/staff${brief}`, 'staff-brief');
      // Its day is still to come: it can be announced, not yet recorded.
      await expect(page.locator('summary', { hasText: 'Record a session' }).count()).resolves.toBe(0);
      await expect(page.getByText('can be recorded from this brief on or after').count()).resolves.toBe(1);
      await page.locator('summary', { hasText: 'Announce an upcoming session' }).click();
      await expect(page.getByLabel('Day it will be held').inputValue()).resolves.toBe(day);
      await expect(page.getByLabel('Hosts').inputValue()).resolves.toBe(HOST);
      await expect(runAxe(page)).resolves.toEqual([]);
      await page.getByLabel('Title').fill('Conversation hour on the enforcement guidelines');
      await page.getByLabel('Teams to brief').fill('Legal');
      await app.follow(page, () => page.getByRole('button', { name: 'Announce an upcoming session' }).click(), 'announced');
      const url = new URL(page.url());
      expect(url.pathname).toBe('/staff/brief');
      const sessionId = url.searchParams.get('session')!;
      expect(sessionId).toBe(`session-${day}`);
      await expect(page.locator('p.announced').textContent()).resolves.toBe(
        'Announced: Conversation hour on the enforcement guidelines',
      );
      await expect(page.locator('summary', { hasText: 'Announce an upcoming session' }).count()).resolves.toBe(0);
      // Now it can be rescheduled or cancelled from here: the forms are as accessible as the others.
      await page.locator('summary', { hasText: 'Reschedule this session' }).click();
      await expect(runAxe(page)).resolves.toEqual([]);
      const [event] = await app.api.store.readStream(sessionStreamId(sessionId));
      expect(event).toMatchObject({ type: 'SessionScheduled', data: { date: day, teams: ['Legal'] } });

      const reader = await app.openPage('/brief', { step: 'choose' });
      await app.follow(
        reader,
        () => reader.getByRole('link', { name: 'Conversation hour on the enforcement guidelines' }).click(),
        'public-brief',
      );
      await expect(reader.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/^Pre-session brief: /);
      await expect(reader.getByRole('link', { name: 'Every announced session (Atom)' }).count()).resolves.toBe(1);
      await expect(runAxe(reader)).resolves.toEqual([]);

      // Anyone follows it from its brief, or finds it among the announced sessions from the sessions list.
      await app.follow(
        reader,
        () => reader.getByRole('link', { name: 'Follow this session by email' }).click(),
        'follow-session',
      );
      await expect(reader.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Follow by email');
      const list = await app.openPage('/sessions', { step: 'sessions' });
      await app.follow(list, () => list.getByRole('link', { name: 'Sessions announced before their day' }).click(), 'upcoming');
      await expect(list.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Announced sessions');
      await expect(list.getByRole('link', { name: 'Conversation hour on the enforcement guidelines' }).count()).resolves.toBe(1);
      await expect(runAxe(list)).resolves.toEqual([]);
    },
    4 * BROWSER_TIMEOUT_MS,
  );
});
