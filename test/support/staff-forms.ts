import request from 'supertest';
import type { TestApp } from './test-app.js';

/** What a browser sends: it asks for HTML and posts forms url-encoded. */
export const HTML = { Accept: 'text/html,application/xhtml+xml' };
export const FORM = 'application/x-www-form-urlencoded';

/** The CSRF token a page's form carries. */
export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
/** The stream revision a commitment page's form was drawn at (its If-Match). */
export const revisionOf = (html: string) => /name="_revision" value="(\d+)"/.exec(html)?.[1] ?? '';
/** The error shown next to a form control, by the control's id; null when there is none. */
export const fieldError = (html: string, controlId: string) =>
  new RegExp(`<p class="field-error" id="${controlId}-error"><strong>Error:</strong> ([^<]*)</p>`).exec(html)?.[1] ?? null;

/** A browser that keeps its cookie, signed in with `token` through the sign-in form, as staff do. */
export async function signedInBrowser(api: TestApp, token: string) {
  const browser = request.agent(api.app.getHttpServer());
  const form = await browser.get('/staff/sign-in').set(HTML).expect(200);
  await browser
    .post('/staff/sign-in')
    .type(FORM)
    .send({ _csrf: csrfOf(form.text), token, returnTo: '/staff' })
    .expect(303);
  return browser;
}
export type SignedInBrowser = Awaited<ReturnType<typeof signedInBrowser>>;
