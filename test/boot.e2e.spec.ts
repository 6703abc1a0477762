import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { built, embeddedEnvironment, freePort, startNode, waitForHealth } from './support/processes.js';

const start = (env: Record<string, string>) => startNode(built.api, [], embeddedEnvironment(env));

describe('booting the api', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tracker-boot-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts on the embedded database with no server configured, reports health, shuts down cleanly and boots again on the same data', async () => {
    for (const attempt of ['first boot', 'second boot on the same data']) {
      const port = await freePort();
      const api = start({ PORT: String(port), DATA_DIR: dataDir });
      try {
        const response = await waitForHealth(port);
        expect({ attempt, status: response.status }).toEqual({ attempt, status: 200 });
        expect(await response.json()).toEqual({
          status: 'ok',
          eventStore: { adapter: 'postgres', ok: true, detail: 'schema "event_store" at version 1' },
          database: { mode: 'embedded', ok: true, detail: expect.stringMatching(/^PostgreSQL \d+.*\(PGlite\)$/) },
        });
      } finally {
        api.child.kill('SIGTERM');
        // Nest runs the shutdown hooks (closing the store and PGlite), then re-raises the signal.
        expect(await api.exited).toEqual({ code: null, signal: 'SIGTERM' });
      }
    }
  }, 120000);

  it.each([
    [{ PORT: 'eighty' }, /Invalid configuration: PORT must be a whole number/],
    [{ DATABASE_URL: 'mysql://localhost/tracker' }, /Invalid configuration: DATABASE_URL must use postgres:\/\//],
    [{ EVENTSTORE_CONNECTION_STRING: 'localhost:2113' }, /Invalid configuration: EVENTSTORE_CONNECTION_STRING must be/],
  ])('refuses to boot with %p, naming the variable', async (env, message) => {
    const api = start({ DATA_DIR: dataDir, ...env });
    expect(await api.exited).toEqual({ code: 2, signal: null });
    expect(api.output()).toMatch(message);
  });
});
