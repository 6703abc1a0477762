import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { built, embeddedEnvironment as environment, freePort, startNode, waitForHealth } from './support/processes.js';
import { startTestApp } from './support/test-app.js';

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(dataDir: string, ...args: string[]): Promise<CliResult> {
  return cliWith(environment({ DATA_DIR: dataDir }), ...args);
}

function cliWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  const child = spawn(process.execPath, [built.tokensCli, ...args], {
    env,
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

const refusal = (location: string) =>
  `No tracker database at ${location}: start the api first (npm start), or set DATA_DIR / DATABASE_URL to the api's`;

describe('staff tokens', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tracker-auth-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('are never written to a database the api would not use: the CLI refuses and names where it looked', async () => {
    // A DATA_DIR the api never started on: no database is created there, no token printed.
    const elsewhere = join(dataDir, 'not-the-api');
    for (const args of [['create', '--subject', 'ana', '--role', 'editor'], ['list'], ['revoke', 'ffffffffffff']]) {
      const refused = await cli(elsewhere, ...args);
      expect({ args, code: refused.code, stdout: refused.stdout }).toEqual({ args, code: 1, stdout: '' });
      expect(refused.stderr).toContain(refusal(join(elsewhere, 'pglite')));
    }
    expect(existsSync(join(elsewhere, 'pglite'))).toBe(false);

    // A PGlite database that is not the api's (no api tables): refused too, and left without them.
    const bare = join(dataDir, 'bare');
    await mkdir(bare);
    await (await PGlite.create(join(bare, 'pglite'))).close();
    const refused = await cli(bare, 'create', '--subject', 'ana', '--role', 'editor');
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toContain(
      `No tracker database at ${join(bare, 'pglite')} (it has no api tables): start the api first`,
    );
    const db = await PGlite.create(join(bare, 'pglite'));
    try {
      const { rows } = await db.query<{ t: string | null }>(`select to_regclass('public.staff_tokens')::text as t`);
      expect(rows[0]!.t).toBeNull();
    } finally {
      await db.close();
    }

    // A PostgreSQL database that does not exist: refused with its host and name, not created.
    const url = new URL('postgres://postgres@127.0.0.1:5432/tracker');
    url.pathname = '/no_such_tracker_database';
    const server = await cliWith(
      { ...environment({}), DATABASE_URL: url.toString() },
      'create',
      '--subject',
      'ana',
      '--role',
      'editor',
    );
    expect(server).toMatchObject({ code: 1, stdout: '' });
    expect(server.stderr).toMatch(
      /^tokens: No tracker database at 127\.0\.0\.1:5432\/no_such_tracker_database \(.*\): start the api first/,
    );
  }, 120000);

  it('are created, listed and revoked with the CLI on the embedded database the api made', async () => {
    // The api creates the database on its first start; stopped again, the CLI opens its files itself.
    const port = await freePort();
    const api = startApi({ PORT: String(port), DATA_DIR: dataDir, SEED_RECORD: 'false' });
    try {
      await waitForHealth(port);
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
    }

    const created = await cli(dataDir, 'create', '--subject', 'ana.lima@example.org', '--role', 'editor');
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const { id, token } = tokenIn(created.stdout);
    expect(token).toMatch(/^ctk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.stdout).toMatch(/not stored|shown only/);
    expect(created.stdout).toContain(id);
    expect(created.stdout).toContain('ana.lima@example.org');
    expect(created.stdout).toContain(`Token written to embedded database at ${join(dataDir, 'pglite')}.`);

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
      expect(created.stdout).toContain(
        `Token written to embedded database at ${join(dataDir, 'pglite')} (served by the running api).`,
      );
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

  const databaseUrl = process.env.DATABASE_URL?.trim();
  (databaseUrl ? it : it.skip)(
    'are written by the CLI to the PostgreSQL database the api uses, named',
    async () => {
      const app = await startTestApp(); // the api's migrations, as its start would run them
      try {
        const created = await cliWith(
          { ...process.env, DATABASE_URL: databaseUrl },
          'create',
          '--subject',
          'pg.user',
          '--role',
          'staff',
        );
        expect(created).toMatchObject({ code: 0, stderr: '' });
        const url = new URL(databaseUrl!);
        expect(created.stdout).toContain(`Token written to PostgreSQL at ${url.host}${url.pathname}.`);
        const { token } = tokenIn(created.stdout);
        const answer = await app.http.get('/admin/tokens').set('authorization', `Bearer ${token}`);
        expect(answer.status).toBe(403); // known to the api: a staff token, too weak for the admin list
      } finally {
        await app.close();
      }
    },
    120000,
  );
});
