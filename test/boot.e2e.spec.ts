import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Runs the built api the way `npm start` does (the test command builds first).
const main = join(process.cwd(), 'dist/apps/api/src/main.js');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

function start(env: Record<string, string | undefined>): { child: ChildProcess; output: () => string; exited: Promise<Exit> } {
  const { DATABASE_URL: _ignored, EVENTSTORE_CONNECTION_STRING: _alsoIgnored, ...inherited } = process.env;
  const child = spawn(process.execPath, [main], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

async function waitForHealth(port: number, timeoutMs = 60000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(`http://127.0.0.1:${port}/health`);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

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
