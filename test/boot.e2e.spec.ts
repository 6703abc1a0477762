import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { built, embeddedEnvironment, freePort, startNode, waitForHealth } from './support/processes.js';

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const start = (env: Record<string, string>) => startNode(built.api, [], embeddedEnvironment(env));

describe('booting the api', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tracker-boot-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts on the embedded database with no server configured, shows the seed record, shuts down cleanly and boots again on the same data', async () => {
    const commitmentCounts: number[] = [];
    for (const attempt of ['first boot', 'second boot on the same data']) {
      const port = await freePort();
      const api = start({ PORT: String(port), DATA_DIR: dataDir });
      try {
        const response = await waitForHealth(port);
        expect({ attempt, status: response.status }).toEqual({ attempt, status: 200 });
        expect(await response.json()).toEqual({
          status: 'ok',
          eventStore: { adapter: 'postgres', ok: true, detail: 'schema "event_store" at version 2' },
          database: { mode: 'embedded', ok: true, detail: expect.stringMatching(/^PostgreSQL \d+.*\(PGlite\)$/) },
          projections: ['commitments', 'sessions', 'commitment_states', 'corrections', 'links'].map((name) =>
            expect.objectContaining({ name, status: 'following' }),
          ),
        });
        expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
        expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
        // A newcomer sees a populated tracker: the seed record, loaded once into the empty log.
        const sessions = await eventually(async () => {
          const listed = (await (await fetch(`http://127.0.0.1:${port}/sessions`)).json()) as { id: string; madeCount: number }[];
          return listed.length === 2 && listed.every((session) => session.madeCount > 0) ? listed : undefined;
        });
        expect(sessions.map((session) => session.id)).toEqual(['conversation-hour-2022-08-18', 'office-hours-2020-12-10']);
        const all = (await (await fetch(`http://127.0.0.1:${port}/exports/commitments.json`)).json()) as unknown[];
        commitmentCounts.push(all.length);
      } finally {
        api.child.kill('SIGTERM');
        // Finishes what is in flight, runs the shutdown hooks (closing the store and PGlite), exits 0.
        expect(await api.exited).toEqual({ code: 0, signal: null });
      }
    }
    expect(commitmentCounts).toEqual([95, 95]);
  }, 120000);

  it('rebuilds every projection on the embedded default (the seeded data of the boot above) and swaps it in', async () => {
    const cli = startNode(built.projectionsCli, ['rebuild', 'all'], embeddedEnvironment({ DATA_DIR: dataDir }));
    // It used to wait on itself for ever: PGlite runs one transaction at a time.
    const exited = await Promise.race([
      cli.exited,
      new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 60_000).unref()),
    ]);
    if (exited === 'hung') cli.child.kill('SIGKILL');
    expect({ exited, output: cli.output() }).toEqual({ exited: { code: 0, signal: null }, output: expect.any(String) });
    for (const name of ['commitments', 'sessions', 'commitment_states', 'corrections', 'links'])
      expect(cli.output()).toMatch(new RegExp(`^${name}: rebuilt from \\d+ events in .* and swapped in`, 'm'));
    // Each projection read only the types it handles: the sessions read model, its two sessions' events.
    expect(cli.output()).toMatch(/^sessions: rebuilt from 2 events/m);
  }, 90_000);

  it('imports and exports on the embedded default with the built CLIs: a session file already in the log writes nothing; the CSV holds every commitment', async () => {
    const env = embeddedEnvironment({ DATA_DIR: dataDir });
    const imported = startNode(built.importCli, ['data/sessions/2020-12-10-office-hours.yaml'], env);
    expect({ exited: await imported.exited, output: imported.output() }).toEqual({
      exited: { code: 0, signal: null },
      output: 'data/sessions/2020-12-10-office-hours.yaml: already up to date, nothing written\n',
    });
    const exported = startNode(built.exportCli, ['csv'], env);
    expect(await exported.exited).toEqual({ code: 0, signal: null });
    const rows = parse(exported.output(), { columns: true }) as { id: string; made_in_session: string }[];
    expect(rows).toHaveLength(95);
    expect(new Set(rows.map((row) => row.made_in_session))).toEqual(
      new Set(['office-hours-2020-12-10', 'conversation-hour-2022-08-18']),
    );
  }, 60_000);

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
