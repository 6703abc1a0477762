import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { built, embeddedEnvironment as environment, freePort, startNode, waitForHealth } from './support/processes.js';

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(dataDir: string, ...args: string[]): Promise<CliResult> {
  const child = spawn(process.execPath, [built.tokensCli, ...args], {
    env: environment({ DATA_DIR: dataDir }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function tokenIn(output: string): { id: string; token: string } {
  const token = /^ctk_\S+$/m.exec(output)?.[0];
  if (!token) throw new Error(`No token in CLI output:\n${output}`);
  return { id: token.split('_')[1]!, token };
}

const startApi = (env: Record<string, string>) => startNode(built.api, [], environment(env));

describe('staff tokens', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tracker-auth-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('are created, listed and revoked with the CLI on the embedded database', async () => {
    const created = await cli(dataDir, 'create', '--subject', 'ana.lima@example.org', '--role', 'editor');
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const { id, token } = tokenIn(created.stdout);
    expect(token).toMatch(/^ctk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.stdout).toMatch(/not stored|shown only/);
    expect(created.stdout).toContain(id);
    expect(created.stdout).toContain('ana.lima@example.org');

    const listed = await cli(dataDir, 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\s+ana\\.lima@example\\.org\\s+editor\\s+\\S+\\s+-$`, 'm'));
    expect(listed.stdout).not.toContain(token);

    expect(await cli(dataDir, 'revoke', id)).toMatchObject({ code: 0 });
    expect((await cli(dataDir, 'list')).stdout).toMatch(new RegExp(`^${id}\\s+.*\\s\\d{4}-\\d\\d-\\d\\dT\\S+Z$`, 'm'));

    const unknown = await cli(dataDir, 'revoke', 'ffffffffffff');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('ffffffffffff');

    for (const args of [
      [],
      ['frobnicate'],
      ['create', '--subject', 'ana'],
      ['create', '--subject', 'ana', '--role', 'boss'],
      ['list', '--bogus'],
    ]) {
      const bad = await cli(dataDir, ...args);
      expect({ args, code: bad.code }).toEqual({ args, code: 2 });
      expect(bad.stderr).toContain('Usage:');
    }
  }, 120000);

  it('guard the admin endpoints of the running api, and the CLI works while the api runs', async () => {
    const port = await freePort();
    const api = startApi({ PORT: String(port), DATA_DIR: dataDir });
    const url = `http://127.0.0.1:${port}/admin/tokens`;
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    try {
      await waitForHealth(port);

      // The api owns the embedded database now: the CLI connects to its server instead of opening the files,
      // so the token it creates is one the running api knows at once.
      const created = await cli(dataDir, 'create', '--subject', 'root', '--role', 'admin');
      expect(created).toMatchObject({ code: 0, stderr: '' });
      const admin = tokenIn(created.stdout);

      const anonymous = await fetch(url);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect(await anonymous.json()).toMatchObject({ message: 'A valid staff token is required' });

      const forged = await fetch(url, { headers: as(`ctk_${admin.id}_${'A'.repeat(43)}`) });
      expect(forged.status).toBe(401);
      expect(forged.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);

      const issued = await fetch(url, {
        method: 'POST',
        headers: { ...as(admin.token), 'content-type': 'application/json' },
        body: JSON.stringify({ subject: 'bo', role: 'staff' }),
      });
      expect(issued.status).toBe(201);
      expect(issued.headers.get('cache-control')).toBe('no-store');
      const staff = (await issued.json()) as { id: string; token: string };
      expect(staff).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{12}$/),
        token: expect.stringMatching(/^ctk_/),
        subject: 'bo',
        role: 'staff',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });

      const forbidden = await fetch(url, { headers: as(staff.token) });
      expect(forbidden.status).toBe(403);
      expect(await forbidden.json()).toMatchObject({
        message: 'This action needs the admin role; your token has the staff role.',
      });

      const list = await fetch(url, { headers: as(admin.token) });
      expect(list.status).toBe(200);
      const tokens = (await list.json()) as Record<string, unknown>[];
      expect(tokens).toEqual(
        expect.arrayContaining([
          { id: admin.id, subject: 'root', role: 'admin', createdAt: expect.any(String), revokedAt: null },
          { id: staff.id, subject: 'bo', role: 'staff', createdAt: expect.any(String), revokedAt: null },
        ]),
      );
      expect(JSON.stringify(tokens)).not.toMatch(/ctk_|secret/i);

      const revoked = await fetch(`${url}/${staff.id}`, { method: 'DELETE', headers: as(admin.token) });
      expect(revoked.status).toBe(204);
      const afterRevoke = await fetch(url, { headers: as(staff.token) });
      expect(afterRevoke.status).toBe(401);
      expect(afterRevoke.headers.get('www-authenticate')).toMatch(/^Bearer /);

      const missing = await fetch(`${url}/ffffffffffff`, { method: 'DELETE', headers: as(admin.token) });
      expect(missing.status).toBe(404);

      // Validation comes from the global pipe (configureHttp in main.ts).
      const invalid = await fetch(url, {
        method: 'POST',
        headers: { ...as(admin.token), 'content-type': 'application/json' },
        body: JSON.stringify({ subject: 'x', role: 'boss' }),
      });
      expect(invalid.status).toBe(400);
      const rejection = (await invalid.json()) as { message: string };
      expect(rejection.message).toMatch(/subject/);
      expect(rejection.message).toMatch(/role/);
      const after = (await (await fetch(url, { headers: as(admin.token) })).json()) as { subject: string }[];
      expect(after.map((token) => token.subject)).not.toContain('x');
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
    }
  }, 120000);
});
