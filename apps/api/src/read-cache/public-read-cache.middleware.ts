import type { OutgoingHttpHeaders } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ROUTE_PATTERN } from '../operations/metrics.js';
import type { PublicAnswers } from './public-answers.js';

/** What the public reads, drawn from the read models; everything else (staff, follow, health, docs) never is kept. */
const KEPT_PATHS = /^\/(dashboard|commitments|sessions|corrections|feeds\/|brief)(\/|\?|$|\.)/;
const LONGEST_KEPT_URL = 1000;
const LARGEST_KEPT_BODY = 4 * 1024 * 1024;
/** Headers a 304 repeats (RFC 9110 §15.4.5), so a shared cache keeps what it holds up to date. */
const NOT_MODIFIED_HEADERS = ['cache-control', 'content-location', 'etag', 'expires', 'vary', 'x-read-position'];

const DRAWN = 'drawnAnswer';

/** Where an answer's dependencies are named by the handler that draws it: the streams it read. */
export const READS_FROM = 'readsFrom';

/** Names the streams an answer is drawn from, so a change to any other leaves it kept. */
export function readsFrom(response: Response, streamIds: readonly string[]): void {
  response.locals[READS_FROM] = streamIds;
}

/**
 * The public read path from memory. A GET anyone could make (no token, no cookie, no
 * `minPosition`: read-your-writes takes the path that waits) is answered with the bytes kept for
 * it, before any routing, validation or SQL; `If-None-Match` is answered 304. Otherwise the
 * request goes on, and its answer is kept if it is a 200 marked `public` by its handler.
 * `today` is part of the key: overdue, due and stale follow the day even when nothing changes.
 */
export function publicReadCache(answers: PublicAnswers, today: () => string): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    if (!answers.enabled || !isAnyonesRead(request)) return next();
    const representation = request.accepts(['application/json', 'text/html']) === 'text/html' ? 'html' : 'json';
    const key = `${representation} ${today()} ${request.originalUrl}`;
    const kept = answers.find(key, Date.now());
    if (kept) {
      if (kept.route !== null) response.locals[ROUTE_PATTERN] = kept.route;
      return void sendKept(request, response, kept);
    }
    const drawnAt = answers.drawing();
    // A revalidation that misses draws the whole answer, so it is kept for everyone after; the
    // 304 is then decided here, from what was drawn.
    const conditional = request.headers['if-none-match'];
    if (conditional !== undefined) {
      delete request.headers['if-none-match'];
      answerNotModifiedIfMatching(response, conditional);
    }
    captureBody(response, (body) => {
      // What the handler drew, before a 304 took its place.
      const drawn = (response.locals[DRAWN] as { status: number; headers: OutgoingHttpHeaders } | undefined) ?? {
        status: response.statusCode,
        headers: { ...response.getHeaders() },
      };
      if (drawn.status !== 200 || !String(drawn.headers['cache-control'] ?? '').includes('public')) return;
      const dependencies = response.locals[READS_FROM] as readonly string[] | undefined;
      const route = request.route as { path?: unknown } | undefined;
      answers.keep(key, {
        status: 200,
        headers: drawn.headers,
        body,
        route: typeof route?.path === 'string' ? `${request.baseUrl}${route.path}` : null,
        readsFrom: dependencies ?? null,
        drawnAt,
        keptAtMs: Date.now(),
      });
    });
    next();
  };
}

function isAnyonesRead(request: Request): boolean {
  return (
    request.method === 'GET' &&
    request.headers.authorization === undefined &&
    request.headers.cookie === undefined &&
    request.originalUrl.length <= LONGEST_KEPT_URL &&
    KEPT_PATHS.test(request.originalUrl) &&
    !/[?&]minPosition=/.test(request.originalUrl)
  );
}

function sendKept(request: Request, response: Response, kept: { headers: Record<string, unknown>; body: Buffer }): void {
  const etag = kept.headers.etag as string | undefined;
  if (etag !== undefined && matches(request.headers['if-none-match'], etag)) {
    const headers = Object.fromEntries(
      NOT_MODIFIED_HEADERS.filter((name) => kept.headers[name] !== undefined).map((name) => [name, kept.headers[name]]),
    );
    response.writeHead(304, headers as Record<string, string>);
    response.end();
    return;
  }
  const { 'transfer-encoding': _chunked, 'content-length': _length, date: _date, ...headers } = kept.headers;
  response.writeHead(200, { ...(headers as Record<string, string>), 'content-length': String(kept.body.length) });
  response.end(kept.body);
}

/**
 * Turns the 200 about to be sent into a 304 when its ETag matches what the reader holds. The
 * body is still collected (the capture sees every byte handed to it) but not sent.
 */
function answerNotModifiedIfMatching(response: Response, ifNoneMatch: string): void {
  const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => Response;
  let notModified = false;
  response.writeHead = ((status: number, ...rest: unknown[]) => {
    const etag = response.getHeader('etag');
    if (status === 200 && typeof etag === 'string' && matches(ifNoneMatch, etag)) {
      notModified = true;
      response.locals[DRAWN] = { status, headers: { ...response.getHeaders() } };
      for (const name of response.getHeaderNames()) if (!NOT_MODIFIED_HEADERS.includes(name)) response.removeHeader(name);
      return writeHead(304);
    }
    return writeHead(status, ...rest);
  }) as Response['writeHead'];
  const write = response.write.bind(response) as (...args: unknown[]) => boolean;
  const end = response.end.bind(response) as (...args: unknown[]) => Response;
  response.write = ((...args: unknown[]) => (notModified ? true : write(...args))) as Response['write'];
  response.end = ((...args: unknown[]) => {
    if (!notModified) return end(...args);
    const callback = args.find((arg) => typeof arg === 'function');
    return callback ? end(callback) : end();
  }) as Response['end'];
}

/** `If-None-Match` by weak comparison, as GET uses it: a list of tags or `*`. */
function matches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/** Collects what the handler sends, up to a bound, and hands it over once the response is finished. */
function captureBody(response: Response, finished: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const collect = (chunk: unknown, encoding: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function' || size > LARGEST_KEPT_BODY) return;
    const buffer = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    size += buffer.length;
    chunks.push(buffer);
  };
  const write = response.write.bind(response) as (...args: unknown[]) => boolean;
  const end = response.end.bind(response) as (...args: unknown[]) => Response;
  response.write = ((...args: unknown[]) => {
    collect(args[0], args[1]);
    return write(...args);
  }) as Response['write'];
  response.end = ((...args: unknown[]) => {
    collect(args[0], args[1]);
    return end(...args);
  }) as Response['end'];
  response.once('finish', () => {
    if (size <= LARGEST_KEPT_BODY) finished(Buffer.concat(chunks));
  });
}
