import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Pages and JSON share their URLs and are publicly cacheable for a few seconds: without
 * `Vary: Accept` a shared cache served the dashboard's HTML to API clients, or JSON to browsers.
 */
describe('every negotiated answer says it varies by Accept', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it.each(['/dashboard', '/commitments', '/sessions', '/corrections', '/sessions/no-such-session', '/commitments/no-such-one'])(
    '%s, as JSON and as HTML',
    async (path) => {
      for (const accept of ['application/json', 'text/html']) {
        const response = await api.http.get(path).set('Accept', accept);
        expect(response.status).toBeLessThan(500);
        expect(response.headers.vary ?? '').toMatch(/\bAccept\b/);
      }
    },
  );
});
