import { startTestApp, type TestApp } from './support/test-app.js';

const directives = (header: string | undefined) =>
  new Map(
    (header ?? '')
      .split(';')
      .map((directive) => directive.trim())
      .filter(Boolean)
      .map((directive) => [directive.split(/\s+/)[0]!, directive.split(/\s+/).slice(1).join(' ')] as const),
  );

describe('security headers follow the public base URL', () => {
  const headersFor = async (publicBaseUrl: string) => {
    const api: TestApp = await startTestApp({ publicBaseUrl });
    try {
      const response = await api.http.get('/commitments').set('Accept', 'text/html').expect(200);
      return response.headers;
    } finally {
      await api.close();
    }
  };

  it('over plain http: no upgrade-insecure-requests and no HSTS, the rest of the policy as strict', async () => {
    const headers = await headersFor('http://192.168.1.20:3000');
    const csp = directives(headers['content-security-policy']);
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
    expect(csp.get('form-action')).toBe("'self'");
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('object-src')).toBe("'none'");
    expect(headers['strict-transport-security']).toBeUndefined();
  }, 30_000);

  it('over https: upgrade-insecure-requests and HSTS', async () => {
    const headers = await headersFor('https://tracker.example.org');
    const csp = directives(headers['content-security-policy']);
    expect(csp.has('upgrade-insecure-requests')).toBe(true);
    expect(csp.get('form-action')).toBe("'self'");
    expect(headers['strict-transport-security']).toMatch(/max-age=\d+/);
  }, 30_000);
});
