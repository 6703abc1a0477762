import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AxeResults } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import type { AppConfig } from '#config';
import { projections } from '#read-models';
import type { Role } from '../../../apps/api/src/auth/roles.js';
import { ProjectionPositions } from '#projector';
import { startTestApp, type TestApp } from '../../support/test-app.js';

/** Debian's Chromium: the browser CI installs (.ci/run) and the one these tests drive. */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SCREENSHOTS = path.resolve('test-artifacts/screenshots');
/** A phone held upright. */
export const PHONE = { width: 375, height: 740 };
/** Page loads on a busy 2-core machine (Chromium, the api and PostgreSQL share it) can be slow. */
export const BROWSER_TIMEOUT_MS = 60_000;
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * `describe` for a suite that drives Chromium. Without Chromium the suite is skipped with its
 * reason printed, so a green run never hides a suite that did not run; under CI=true a missing
 * Chromium fails instead, since CI installs it.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, body);
    return;
  }
  const reason = `${CHROMIUM} is missing (install Debian's chromium package)`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('has Chromium to run in (CI=true)', () => {
        throw new Error(`CI=true but ${reason}: .ci/run should have installed it`);
      });
    });
    return;
  }
  console.warn(`[browser test] ${name} skipped: ${reason}`);
  describe.skip(name, body);
}

export interface BrowserAppOptions {
  /**
   * Load the seed record (data/sessions) into a fresh in-memory database of its own, so pages
   * show real, known content whatever else shares DATABASE_URL. Otherwise the app runs as
   * startTestApp does (DATABASE_URL when set).
   */
  readonly seed?: boolean;
  readonly config?: Partial<AppConfig>;
}

export interface OpenOptions {
  /** Screenshot name: test-artifacts/screenshots/<spec>-<step>.png. */
  readonly step: string;
  readonly viewport?: { width: number; height: number };
  /** The status the page must answer with (an error page, say); by default any 2xx. */
  readonly status?: number;
}

export interface BrowserApp {
  readonly api: TestApp;
  /** `http://127.0.0.1:<port>`: the app listens on a real socket, as a browser needs. */
  readonly baseUrl: string;
  readonly browser: Browser;
  /** Opens `path` in a fresh browser context (no shared cookies), waits for it, screenshots it. */
  openPage(path: string, options: OpenOptions): Promise<Page>;
  /** Full-page screenshot to test-artifacts/screenshots/<spec>-<step>.png. */
  screenshot(page: Page, step: string): Promise<void>;
  /** Clicks what `click` does (a link or a submit button) and waits for the page it leads to, then screenshots it. */
  follow(page: Page, click: () => Promise<void>, step: string): Promise<Response>;
  /** A real staff token, stored hashed like any other. */
  staffToken(subject: string, role: Role): Promise<string>;
  /**
   * Opens the sign-in page in a fresh browser context, signs in with `token` as a person would
   * and lands on `returnTo`, signed in. Screenshots <step>-form and <step>.
   */
  signIn(token: string, returnTo: string, step: string): Promise<Page>;
  /** Until every read model has applied `position` (default: the whole log now). */
  waitForProjections(position?: string): Promise<void>;
  close(): Promise<void>;
}

async function logHead(api: TestApp): Promise<string> {
  let cursor = 'start';
  for (;;) {
    const page = await api.store.readAll({ after: cursor as never, maxCount: 10_000 });
    if (page.events.length === 0) return cursor;
    cursor = page.next as string;
  }
}

/** The api on a real port plus a headless Chromium; `close()` tears both down. */
export async function startBrowserApp(spec: string, options: BrowserAppOptions = {}): Promise<BrowserApp> {
  const api = await startTestApp({
    ...(options.seed ? { database: { kind: 'embedded', dataDir: 'memory://' }, seedDirectory: 'data/sessions' } : {}),
    ...options.config,
  });
  let browser: Browser | undefined;
  const contexts = new Set<BrowserContext>();
  try {
    await api.app.listen(0, '127.0.0.1');
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: BROWSER_TIMEOUT_MS });
    await mkdir(SCREENSHOTS, { recursive: true });
    const openedBrowser = browser;

    const screenshot = async (page: Page, step: string) => {
      await page.screenshot({ path: path.join(SCREENSHOTS, `${spec}-${step}.png`), fullPage: true });
    };
    const waitForProjections = async (position?: string) => {
      const target = position ?? (await logHead(api));
      const positions = api.app.get(ProjectionPositions);
      for (const projection of projections) {
        if (!(await positions.waitFor(projection.name, target as never, BROWSER_TIMEOUT_MS))) {
          throw new Error(`read model ${projection.name} did not reach ${target}`);
        }
      }
    };
    if (options.seed) await waitForProjections();

    const app: BrowserApp = {
      api,
      baseUrl,
      browser: openedBrowser,
      screenshot,
      waitForProjections,
      staffToken: (subject, role) => api.token(subject, role),
      async openPage(pathAndQuery, { step, viewport, status }) {
        const context = await openedBrowser.newContext({
          baseURL: baseUrl,
          viewport: viewport ?? { width: 1280, height: 900 },
          // helmet's Content-Security-Policy forbids inline scripts: bypassing it lets axe be
          // injected, and makes the hostile-text checks test the escaping itself, not the CSP
          // that would otherwise hide an escaping bug.
          bypassCSP: true,
        });
        contexts.add(context);
        context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
        context.setDefaultNavigationTimeout(BROWSER_TIMEOUT_MS);
        const page = await context.newPage();
        const response = await page.goto(pathAndQuery);
        const expected = status === undefined ? response?.ok() : response?.status() === status;
        if (!expected) throw new Error(`GET ${pathAndQuery}: ${response?.status()} ${await response?.text()}`);
        await screenshot(page, step);
        return page;
      },
      async signIn(token, returnTo, step) {
        const page = await app.openPage(`/staff/sign-in?returnTo=${encodeURIComponent(returnTo)}`, { step: `${step}-form` });
        await page.getByLabel('Staff token').fill(token);
        await app.follow(page, () => page.getByRole('button', { name: 'Sign in' }).click(), step);
        if (new URL(page.url()).pathname !== new URL(returnTo, baseUrl).pathname) {
          throw new Error(`signing in led to ${page.url()}, not ${returnTo}`);
        }
        return page;
      },
      async follow(page, click, step) {
        const [response] = await Promise.all([page.waitForNavigation(), click()]);
        if (!response) throw new Error(`${step}: the click led nowhere`);
        await screenshot(page, step);
        return response;
      },
      async close() {
        for (const context of contexts) await context.close();
        await openedBrowser.close();
        await api.close();
      },
    };
    return app;
  } catch (error) {
    await browser?.close();
    await api.close();
    throw error;
  }
}

export interface AxeViolation {
  readonly rule: string;
  readonly impact: string | null | undefined;
  readonly help: string;
  readonly nodes: readonly string[];
}

/**
 * Every axe-core rule axe runs by default (WCAG 2.x A/AA and best practices) on the page as it
 * stands; the violations in a form that reads well in a failed `toEqual([])`.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE_SCRIPT });
  const results = (await page.evaluate('axe.run(document)')) as AxeResults;
  return results.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`),
  }));
}
