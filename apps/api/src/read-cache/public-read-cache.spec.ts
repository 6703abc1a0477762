import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import express from 'express';
import { PublicAnswers } from './public-answers.js';
import { answerKeptFirst, publicReadCache } from './public-read-cache.middleware.js';

/**
 * The read path from memory on a plain Express app: the handler stands for a read model's
 * query, slow enough that readers overlap, and counts how often it is drawn.
 */
describe('public answers from memory', () => {
  let server: Server;
  let answers: PublicAnswers;
  let base: string;
  let drawn: number;
  let release: () => void;
  let expressSaw: number;
  /** The handler waits for this before it answers, so readers can be made to arrive while it draws. */
  let gate: Promise<void>;

  const openGate = () => {
    gate = new Promise((resolve) => (release = resolve));
  };

  beforeEach(async () => {
    answers = new PublicAnswers({ maxBytes: 1024 * 1024, maxAgeMs: 60_000 });
    drawn = 0;
    expressSaw = 0;
    openGate();
    release();
    const app = express();
    app.use((_request, _response, next) => {
      expressSaw++;
      next();
    });
    app.use(publicReadCache(answers, () => '2026-12-01'));
    app.get('/commitments/:id', async (request, response) => {
      drawn++;
      const draw = drawn;
      await gate;
      response.setHeader('Cache-Control', 'public, max-age=5');
      response.setHeader('ETag', `"${request.params.id}-${draw}"`);
      response.json({ id: request.params.id, draw, ...(request.query.long ? { text: 'a promise, '.repeat(300) } : {}) });
    });
    server = createServer(app);
    answerKeptFirst(
      server,
      answers,
      () => '2026-12-01',
      () => undefined,
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const read = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, { headers });
    return { status: response.status, body: response.status === 200 ? ((await response.json()) as unknown) : null };
  };

  it('answers a kept read before Express sees it', async () => {
    expect(await read('/commitments/a')).toEqual({ status: 200, body: { id: 'a', draw: 1 } });
    expect(expressSaw).toBe(1);
    expect(await read('/commitments/a')).toEqual({ status: 200, body: { id: 'a', draw: 1 } });
    expect(await read('/commitments/a', { 'If-None-Match': '"a-1"' })).toEqual({ status: 304, body: null });
    expect(expressSaw).toBe(1);
    expect(drawn).toBe(1);
  });

  it('draws an answer once for readers who ask for it while it is being drawn', async () => {
    openGate();
    const first = read('/commitments/a');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const others = Array.from({ length: 9 }, () => read('/commitments/a'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    const all = await Promise.all([first, ...others]);
    expect(drawn).toBe(1);
    expect(all).toEqual(Array.from({ length: 10 }, () => ({ status: 200, body: { id: 'a', draw: 1 } })));
  });

  it('lets a waiting reader draw again when what was being drawn went stale before it arrived', async () => {
    openGate();
    const first = read('/commitments/a');
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The projector applied an event of the stream while the first answer was drawn.
    answers.changed({ projection: 'commitments', checkpoint: '1/1' as never, streamIds: ['commitment-a'] });
    const waiting = read('/commitments/a');
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    expect(await first).toEqual({ status: 200, body: { id: 'a', draw: 1 } });
    expect(await waiting).toEqual({ status: 200, body: { id: 'a', draw: 2 } });
    expect(drawn).toBe(2);
  });

  it('draws a stale answer again once for all the readers waiting for it', async () => {
    openGate();
    const first = read('/commitments/a');
    await new Promise((resolve) => setTimeout(resolve, 50));
    answers.changed({ projection: 'commitments', checkpoint: '1/1' as never, streamIds: ['commitment-a'] });
    const waiting = Array.from({ length: 9 }, () => read('/commitments/a'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The first drawing ends; the one drawn again for the waiting readers is held at the gate.
    const releaseFirst = release;
    openGate();
    releaseFirst();
    expect(await first).toEqual({ status: 200, body: { id: 'a', draw: 1 } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const drawnWhileHeld = drawn;
    release();
    expect(drawnWhileHeld).toBe(2);
    expect(await Promise.all(waiting)).toEqual(Array.from({ length: 9 }, () => ({ status: 200, body: { id: 'a', draw: 2 } })));
    expect(drawn).toBe(2);
  });

  it('gives a waiting reader what was being drawn when nothing changed before it arrived', async () => {
    openGate();
    const first = read('/commitments/a');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const waiting = read('/commitments/a');
    await new Promise((resolve) => setTimeout(resolve, 50));
    // After the reader arrived: concurrent with its read, as it would be with an answer found kept.
    answers.changed({ projection: 'commitments', checkpoint: '1/1' as never, streamIds: ['commitment-a'] });
    release();
    expect(await first).toEqual({ status: 200, body: { id: 'a', draw: 1 } });
    expect(await waiting).toEqual({ status: 200, body: { id: 'a', draw: 1 } });
    // Not kept: a reader after the change draws it again.
    expect(await read('/commitments/a')).toEqual({ status: 200, body: { id: 'a', draw: 2 } });
  });

  it('never keeps nor shares what a token, a cookie or minPosition asked for', async () => {
    await read('/commitments/a', { Authorization: 'Bearer x' });
    await read('/commitments/a', { Cookie: 'staff=1' });
    await read('/commitments/a?minPosition=1/1');
    expect(drawn).toBe(3);
    expect(answers.stats().kept).toBe(0);
  });

  /** The raw answer, as bytes on the wire (fetch would decompress it). */
  const raw = (path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: Record<string, unknown>; bytes: Buffer }>((resolve, reject) => {
      const outgoing = httpRequest(`${base}${path}`, { headers }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({ status: incoming.statusCode!, headers: incoming.headers, bytes: Buffer.concat(chunks) }),
        );
      });
      outgoing.on('error', reject);
      outgoing.end();
    });

  it('sends a kept answer gzip-compressed to a reader who accepts it, the same answer once unpacked', async () => {
    const plain = await raw('/commitments/a?long=1', {});
    let compressed = await raw('/commitments/a?long=1', { 'Accept-Encoding': 'gzip, deflate, br' });
    // Compressed off the event loop after it was kept: the first hits may still go out as drawn.
    for (let tries = 0; compressed.headers['content-encoding'] === undefined && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      compressed = await raw('/commitments/a?long=1', { 'Accept-Encoding': 'gzip, deflate, br' });
    }
    expect(compressed.headers['content-encoding']).toBe('gzip');
    expect(compressed.bytes.length).toBeLessThan(plain.bytes.length / 4);
    // Kept compressed only: the cache holds the small copy, not both.
    expect(answers.stats().bytes).toBeLessThan(compressed.bytes.length + 2048);
    expect(gunzipSync(compressed.bytes).equals(plain.bytes)).toBe(true);
    expect(compressed.headers.vary).toMatch(/Accept-Encoding/);
    expect(compressed.headers['content-length']).toBe(String(compressed.bytes.length));
    // Whoever does not ask for gzip still gets the answer as drawn, marked as varying too.
    const identity = await raw('/commitments/a?long=1', { 'Accept-Encoding': 'identity' });
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.bytes.equals(plain.bytes)).toBe(true);
    expect(identity.headers.vary).toMatch(/Accept-Encoding/);
    const notModified = await raw('/commitments/a?long=1', { 'Accept-Encoding': 'gzip', 'If-None-Match': '"a-1"' });
    expect(notModified.status).toBe(304);
    expect(notModified.headers['content-encoding']).toBeUndefined();
    expect(drawn).toBe(1);
  });
});
