import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callWebhook, isPrivateAddress, signature, webhookUrlProblem } from './webhook-calls.js';

describe('webhook targets', () => {
  it('takes http(s) URLs to public hosts, and refuses other schemes, credentials and private or loopback addresses', () => {
    expect(webhookUrlProblem('https://bots.example.org/hook', false)).toBeNull();
    expect(webhookUrlProblem('http://203.0.113.7:8080/hook', false)).toBeNull();
    expect(webhookUrlProblem('ftp://bots.example.org/hook', false)).toBe('must use http:// or https://');
    expect(webhookUrlProblem('javascript:alert(1)', false)).toBe('must use http:// or https://');
    expect(webhookUrlProblem('not a url', false)).toBe('must be an absolute http:// or https:// URL');
    expect(webhookUrlProblem('https://user:pw@bots.example.org/', false)).toBe('must not carry a user name or password');
    for (const url of [
      'http://127.0.0.1/',
      'http://localhost:3000/',
      'http://10.1.2.3/',
      'http://192.168.0.10/',
      'http://172.20.0.1/',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/',
      'http://[fd00::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://0.0.0.0/',
    ])
      expect([url, webhookUrlProblem(url, false)]).toEqual([url, 'must not point at a loopback or private address']);
    expect(webhookUrlProblem('http://127.0.0.1:9/', true)).toBeNull();
  });

  it('tells private addresses from public ones', () => {
    expect(isPrivateAddress('127.0.0.53')).toBe(true);
    expect(isPrivateAddress('8.8.8.8')).toBe(false);
    expect(isPrivateAddress('2001:db8::1')).toBe(false);
    expect(isPrivateAddress('fe80::1')).toBe(true);
  });

  it('signs `<timestamp>.<raw body>` with HMAC-SHA256, as the README shows receivers how to check', () => {
    const expected = createHmac('sha256', 'a secret').update('1700000000.{"a":1}').digest('hex');
    expect(signature('a secret', '1700000000', '{"a":1}')).toBe(`sha256=${expected}`);
  });

  describe('a call', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((request, response) => {
        request.resume();
        response.statusCode = request.url === '/fail' ? 503 : 204;
        response.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const call = (url: string) => ({
      url,
      secret: 's',
      deliveryId: 'd',
      eventType: 'ProgressReported',
      body: '{}',
      timestamp: 1,
    });

    it('refuses, at connection time, a name that resolves to loopback unless allowed', async () => {
      await expect(callWebhook(call(`http://localhost:${port}/`), { allowPrivate: false, timeoutMs: 2000 })).rejects.toThrow(
        /refused: localhost resolves to the private address/,
      );
      await expect(callWebhook(call(`http://127.0.0.1:${port}/`), { allowPrivate: false, timeoutMs: 2000 })).rejects.toThrow(
        /refused/,
      );
      await expect(
        callWebhook(call(`http://localhost:${port}/`), { allowPrivate: true, timeoutMs: 2000 }),
      ).resolves.toBeUndefined();
    });

    it('fails with the answer it got', async () => {
      await expect(callWebhook(call(`http://127.0.0.1:${port}/fail`), { allowPrivate: true, timeoutMs: 2000 })).rejects.toThrow(
        'answered HTTP 503',
      );
    });
  });
});
