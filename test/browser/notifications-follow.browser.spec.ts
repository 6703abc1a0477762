import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { openMailbox, type Mailbox, type ReceivedMail } from '../../apps/api/src/notifications/testing/mailbox.js';
import { commitmentBody, postOrFail, recordOfficeHours } from '../support/fixtures.js';
import { BROWSER_TIMEOUT_MS, describeInBrowser, runAxe, startBrowserApp, type BrowserApp } from './support/browser.js';

const BASE = 'http://tracker.test';

/** The path of a mail's link; the browser opens it on the app's own port. */
const pathIn = (mail: ReceivedMail, path: string) => {
  const found = new RegExp(`${BASE.replaceAll('.', '\\.')}(${path}/[A-Za-z0-9_-]{43})`).exec(mail.mail.text ?? '');
  if (!found) throw new Error(`no ${path} link in: ${mail.mail.text}`);
  return found[1]!;
};

describeInBrowser('a reader follows a commitment by email, and stops', () => {
  let app: BrowserApp;
  let mailbox: Mailbox;

  beforeAll(async () => {
    mailbox = await openMailbox();
    app = await startBrowserApp('follow', {
      config: {
        publicBaseUrl: BASE,
        notifications: {
          run: true,
          smtpUrl: mailbox.url,
          mailDirectory: '/nonexistent',
          mailFrom: 'Tracker <tracker@tracker.test>',
          webhookAllowPrivateTargets: false,
          maxAttempts: 3,
          retryFirstMs: 50,
          leaseSeconds: 10,
          digestHourUtc: 7,
          signupsPerHour: 20,
        },
      },
    });
    const editor = await app.staffToken('editor.follow', 'editor');
    await recordOfficeHours(app.api, editor, 'oh-follow');
    await postOrFail(
      app.api,
      editor,
      '/commitments',
      commitmentBody('followed-one', 'oh-follow', { summary: 'Share the <timeline>' }),
    );
    await app.waitForProjections();
  }, 3 * BROWSER_TIMEOUT_MS);

  afterAll(async () => {
    await app?.close();
    await mailbox?.close();
  }, BROWSER_TIMEOUT_MS);

  const accessible = async (page: Page) => expect(await runAxe(page)).toEqual([]);
  /** From the page of what is followed, by its link (`from`), or straight from the form's address. */
  const followBy = async (
    kind: string,
    value: string,
    step: string,
    cadence: string,
    from?: { readonly path: string; readonly link: string },
  ) => {
    let page: Page;
    if (from) {
      page = await app.openPage(from.path, { step: `${step}-page` });
      await app.follow(page, () => page.getByRole('link', { name: from.link }).click(), `${step}-form`);
      expect(new URL(page.url()).searchParams.get('value')).toBe(value);
    } else page = await app.openPage(`/follow?kind=${kind}&value=${encodeURIComponent(value)}`, { step: `${step}-form` });
    await accessible(page);
    await page.getByLabel('Your email address').fill('reader@example.org');
    await page.getByLabel(cadence).check();
    await app.follow(page, () => page.getByRole('button', { name: 'Follow' }).click(), `${step}-asked`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Check your inbox');
    await accessible(page);
  };
  const confirmFrom = async (mail: ReceivedMail, step: string) => {
    const page = await app.openPage(pathIn(mail, '/follow/confirm'), { step: `${step}-confirm` });
    await accessible(page);
    await app.follow(page, () => page.getByRole('button', { name: 'Confirm' }).click(), `${step}-confirmed`);
    await accessible(page);
    return page;
  };

  it(
    'follow a commitment and a team → confirm each → a change arrives → unsubscribe from one → delete everything',
    async () => {
      await followBy('commitment', 'followed-one', 'commitment', 'An email for each change', {
        path: '/commitments/followed-one',
        link: 'Follow this commitment by email',
      });
      const [first] = await mailbox.waitFor('reader@example.org', 1);
      const confirmed = await confirmFrom(first!, 'commitment');
      await expect(confirmed.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'You are following commitment followed-one',
      );

      await followBy('team', 'Trust & Safety', 'team', 'One digest a day');
      const [, second] = await mailbox.waitFor('reader@example.org', 2);
      await confirmFrom(second!, 'team');

      const editor = await app.staffToken('editor.follow2', 'editor');
      await postOrFail(app.api, editor, '/commitments/followed-one/progress', { note: 'Timeline <drafted>' });
      const [, , news] = await mailbox.waitFor('reader@example.org', 3);
      expect(news!.mail.subject).toBe('Share the <timeline>: Progress: Timeline <drafted>');

      const unsubscribe = await app.openPage(pathIn(news!, '/follow/unsubscribe'), { step: 'unsubscribe' });
      await accessible(unsubscribe);
      await expect(unsubscribe.locator('main p').first().textContent()).resolves.toContain('commitment followed-one');
      await app.follow(unsubscribe, () => unsubscribe.getByRole('button', { name: 'Unsubscribe' }).click(), 'unsubscribed');
      await expect(unsubscribe.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Unsubscribed');
      await accessible(unsubscribe);

      // The same mail's other link: the team is still followed; then nothing is kept at all.
      const manage = await app.openPage(pathIn(news!, '/follow/manage'), { step: 'manage' });
      await accessible(manage);
      await expect(manage.locator('main').textContent()).resolves.toContain('reader@example.org');
      const rows = manage.getByRole('row');
      await expect(rows.count()).resolves.toBe(2);
      await expect(rows.nth(1).textContent()).resolves.toContain(
        'the team Trust & Safety: its commitments and the sessions it is to brief',
      );
      await expect(rows.nth(1).textContent()).resolves.toContain('one digest a day');
      await app.follow(manage, () => manage.getByRole('button', { name: 'Delete everything kept about me' }).click(), 'deleted');
      await expect(manage.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Deleted');
      await accessible(manage);
      const [kept] = (await app.api.app.get(DataSource).query(
        `select (select count(*) from notification_subscriptions where email = 'reader@example.org')::int as subscriptions,
                (select count(*) from notification_tokens where email = 'reader@example.org')::int as tokens`,
      )) as { subscriptions: number; tokens: number }[];
      expect(kept).toEqual({ subscriptions: 0, tokens: 0 });
      await app.openPage(pathIn(news!, '/follow/manage'), { step: 'manage-gone', status: 404 });
    },
    4 * BROWSER_TIMEOUT_MS,
  );
});
