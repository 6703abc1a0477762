import type { HelmetOptions } from 'helmet';

/**
 * helmet's headers for where the tracker is served. Its default Content-Security-Policy asks
 * browsers to upgrade every request to https (`upgrade-insecure-requests`): served over plain
 * http anywhere but localhost, the browser then sends each form to an https address nobody
 * listens on, and every form (search, as-of, sign-in, staff actions) silently fails. That
 * directive and HSTS are sent only when the public base URL is https; the rest of the policy
 * (`default-src 'self'`, `form-action 'self'`, no scripts) stays as strict either way.
 */
export function securityHeaders(publicBaseUrl: string): HelmetOptions {
  const https = new URL(publicBaseUrl).protocol === 'https:';
  return {
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: https ? [] : null } },
    strictTransportSecurity: https,
  };
}
