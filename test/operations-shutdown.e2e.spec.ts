import { request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { built, embeddedEnvironment, freePort, startNode, waitForHealth, type Started } from './support/processes.js';

const session = (id: string) => ({
  id,
  date: '2020-12-10',
  title: 'Office hours 2020-12-10',
  kind: 'office_hour',
  hosts: [{ name: 'Maggie Dennis', role: null }],
  sourceUrl: 'https://meta.wikimedia.org/wiki/IRC_office_hours/Office_hours_2020-12-10',
});

/** A POST whose body arrives in two parts, the second when `finish()` is called: a slow client. */
function slowPost(port: number, path: string, token: string, body: string) {
  const half = Math.floor(body.length / 2);
  let finish!: () => void;
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          Authorization: `Bearer ${token}`,
        },
      },
      (incoming) => {
        let text = '';
        incoming.on('data', (chunk) => (text += chunk));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: text }));
      },
    );
    request.on('error', reject);
    request.write(body.slice(0, half));
    finish = () => request.end(body.slice(half));
  });
  return { response, finish: () => finish() };
}

describe('graceful shutdown on SIGTERM', () => {
  let dataDir: string;
  let api: Started | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'shutdown-'));
  });
  afterAll(async () => {
    if (api && api.child.exitCode === null) {
      api.child.kill('SIGKILL');
      await api.exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stops taking requests, finishes the one in flight, then exits 0; the write is there after a restart', async () => {
    const port = await freePort();
    const env = embeddedEnvironment({ PORT: String(port), DATA_DIR: dataDir, SEED_RECORD: 'false', LOG_LEVEL: 'info' });
    api = startNode(built.api, [], env);
    await waitForHealth(port);
    const cli = startNode(built.tokensCli, ['create', '--subject', 'shutdown-editor', '--role', 'editor'], env);
    expect((await cli.exited).code).toBe(0);
    const token = /ctk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}/.exec(cli.output())![0];

    const id = `shutdown-${Date.now()}`;
    const slow = slowPost(port, '/sessions', token, JSON.stringify(session(id)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    api.child.kill('SIGTERM');
    // Until the listener closes; then a new connection is refused while the slow one goes on.
    let refused = false;
    for (let attempt = 0; attempt < 50 && !refused; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      refused = await fetch(`http://127.0.0.1:${port}/health/live`).then(
        () => false,
        () => true,
      );
    }
    expect(refused).toBe(true);
    expect(api.child.exitCode).toBeNull();
    slow.finish();
    const answer = await slow.response;
    expect(answer.status).toBe(201);
    expect(await api.exited).toEqual({ code: 0, signal: null });
    const lines = api
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; signal?: string });
    expect(lines).toContainEqual(expect.objectContaining({ msg: expect.stringMatching(/^Shutting down/), signal: 'SIGTERM' }));
    expect(lines.at(-1)).toMatchObject({ msg: 'Stopped' });

    // Booted again on the same data: the write that finished during the shutdown is there and projected.
    const again = startNode(built.api, [], env);
    api = again;
    await waitForHealth(port);
    let found = 0;
    for (let attempt = 0; attempt < 100 && found !== 200; attempt++) {
      found = (await fetch(`http://127.0.0.1:${port}/sessions/${id}`)).status;
      if (found !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(found).toBe(200);
    again.child.kill('SIGTERM');
    expect(await again.exited).toEqual({ code: 0, signal: null });
  }, 120_000);
});
