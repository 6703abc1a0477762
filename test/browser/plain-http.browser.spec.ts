import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { BrowserContext } from 'playwright-core';
import { BROWSER_TIMEOUT_MS, describeInBrowser, startBrowserApp, type BrowserApp } from './support/browser.js';

/**
 * An address Chromium does not count as potentially trustworthy the way it counts localhost:
 * this machine's own non-loopback IPv4 address when it has one, else another loopback address.
 */
function plainAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  return '127.0.0.2';
}

// Served over plain http off localhost (a LAN address), with the Content-Security-Policy in force.
describeInBrowser('forms work over plain http on a non-localhost address', () => {
  let app: BrowserApp;
  let server: Server;
  let context: BrowserContext;
  let baseUrl: string;

  beforeAll(async () => {
    const host = plainAddress();
    app = await startBrowserApp('plain-http', { seed: true, config: { publicBaseUrl: `http://${host}:3000` } });
    // The same app, also listening on that address.
    server = createServer(app.api.app.getHttpAdapter().getInstance());
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    baseUrl = `http://${host}:${(server.address() as AddressInfo).port}`;
    // Unlike the other browser suites, the CSP is not bypassed: it is what is under test.
    context = await app.browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(BROWSER_TIMEOUT_MS);
  }, 3 * BROWSER_TIMEOUT_MS);

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => server?.close(resolve));
    await app?.close();
  }, BROWSER_TIMEOUT_MS);

  it(
    'the search form leads to its result page',
    async () => {
      const page = await context.newPage();
      const opened = await page.goto('/commitments');
      expect(opened?.status()).toBe(200);
      await app.screenshot(page, 'form');
      await page.getByLabel('Words').fill('Code of Conduct');
      const [result] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Find' }).click()]);
      await app.screenshot(page, 'result');
      expect(result?.status()).toBe(200);
      const url = new URL(page.url());
      expect(url.origin).toBe(baseUrl);
      expect(url.pathname).toBe('/commitments');
      expect(url.searchParams.get('q')).toBe('Code of Conduct');
      await expect(page.getByLabel('Words').inputValue()).resolves.toBe('Code of Conduct');
      await expect(page.getByText(/^\d+ found\./).textContent()).resolves.toMatch(/^[1-9]\d* found\./);
    },
    2 * BROWSER_TIMEOUT_MS,
  );
});
