import type { IncomingMessage, OutgoingHttpHeaders, RequestListener, Server, ServerResponse } from 'node:http';
import { gunzipSync, gzip } from 'node:zlib';
import accepts from 'accepts';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import vary from 'vary';
import { ROUTE_PATTERN } from '../operations/metrics.js';
import type { KeptAnswer, PublicAnswers } from './public-answers.js';

/** What the public reads, drawn from the read models; everything else (staff, follow, health, docs) never is kept. */
const KEPT_PATHS = /^\/(dashboard|commitments|sessions|upcoming-sessions|corrections|feeds\/|brief)(\/|\?|$|\.)/;
const LONGEST_KEPT_URL = 1000;
const LARGEST_KEPT_BODY = 4 * 1024 * 1024;
/**
 * A kept body at least this long is kept gzip-compressed once it has been, and sent so to the
 * readers who accept it (every browser, most HTTP clients, nginx): a page of 40 KiB goes out in
 * about 6, and the cache holds four or five times as many answers. The rare reader who does not
 * accept gzip gets it unpacked. Smaller ones would save less than compressing costs.
 */
const SMALLEST_COMPRESSED_BODY = 1024;
/** Headers a 304 repeats (RFC 9110 §15.4.5), so a shared cache keeps what it holds up to date. */
const NOT_MODIFIED_HEADERS = ['cache-control', 'content-location', 'etag', 'expires', 'vary', 'x-read-position'];

const DRAWN = 'drawnAnswer';

/** Where an answer's dependencies are named by the handler that draws it: the streams it read. */
export const READS_FROM = 'readsFrom';

/** Names the streams an answer is drawn from, so a change to any other leaves it kept. */
export function readsFrom(response: Response, streamIds: readonly string[]): void {
  response.locals[READS_FROM] = streamIds;
}

/** Set on a request the path ahead of Express looked up and missed: the key it is kept under. */
const LOOKED_UP = Symbol('keptAnswerKey');
type LookedUp = IncomingMessage & { [LOOKED_UP]?: string };

/**
 * The key a public read is kept under, or null when it is not a read anyone could make (a token,
 * a cookie or `minPosition`: read-your-writes takes the path that waits). `today` is part of the
 * key: overdue, due and stale follow the day even when nothing changes.
 */
function keyOf(request: IncomingMessage, today: string): string | null {
  const url = request.url ?? '';
  if (
    request.method !== 'GET' ||
    request.headers.authorization !== undefined ||
    request.headers.cookie !== undefined ||
    url.length > LONGEST_KEPT_URL ||
    !KEPT_PATHS.test(url) ||
    /[?&]minPosition=/.test(url)
  )
    return null;
  // As Express's request.accepts negotiates it (the same library), so both paths agree.
  const representation = accepts(request).type(['application/json', 'text/html']) === 'text/html' ? 'html' : 'json';
  return `${representation} ${today} ${url}`;
}

/**
 * The public read path from memory, ahead of Express: a kept answer is written on the raw
 * request, before Express builds its request and response or runs any middleware, and
 * `If-None-Match` is answered 304. `served` is told of each answer given (for the metrics).
 * What it does not answer goes on to the listeners the server had, Express among them.
 */
export function answerKeptFirst(
  server: Server,
  answers: PublicAnswers,
  today: () => string,
  served: (route: string | null, status: number, startedMs: number) => void,
): void {
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: LookedUp, response: ServerResponse) => {
    if (answers.enabled) {
      const started = performance.now();
      const key = keyOf(request, today());
      const kept = key === null ? undefined : answers.find(key, Date.now());
      if (kept) {
        sendKept(request, response, kept);
        return served(kept.route, response.statusCode, started);
      }
      if (key !== null) request[LOOKED_UP] = key;
    }
    for (const listener of listeners) listener.call(server, request, response);
  });
}

/**
 * Behind Express's first middleware: a public read that was not kept (or not looked up ahead of
 * Express) is drawn by its handler, and its answer is kept if it is a 200 marked `public`.
 */
export function publicReadCache(answers: PublicAnswers, today: () => string): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    if (!answers.enabled) return next();
    const lookedUp = (request as LookedUp)[LOOKED_UP];
    const key = lookedUp ?? keyOf(request, today());
    if (key === null) return next();
    const send = (kept: KeptAnswer) => {
      if (kept.route !== null) response.locals[ROUTE_PATTERN] = kept.route;
      sendKept(request, response, kept);
    };
    if (lookedUp === undefined) {
      const kept = answers.find(key, Date.now());
      if (kept) return send(kept);
    }
    const another = answers.drawnByAnother(key);
    if (another) {
      another.then(
        (turn) => ('answer' in turn ? send(turn.answer) : draw(request, response, next, answers, key, turn.draw)),
        next,
      );
      return;
    }
    draw(request, response, next, answers, key);
  };
}

/** Draws the answer through the handler, and keeps it if it is a 200 marked `public`. */
function draw(
  request: Request,
  response: Response,
  next: NextFunction,
  answers: PublicAnswers,
  key: string,
  done = answers.drawingFor(key),
): void {
  // Whatever happens to this request, a reader waiting for its answer goes on.
  response.once('close', () => done());
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
    if (drawn.status !== 200 || !String(drawn.headers['cache-control'] ?? '').includes('public')) return done();
    const dependencies = response.locals[READS_FROM] as readonly string[] | undefined;
    const route = request.route as { path?: unknown } | undefined;
    const answer: KeptAnswer = {
      status: 200,
      headers: drawn.headers,
      body,
      encoding: 'identity',
      route: typeof route?.path === 'string' ? `${request.baseUrl}${route.path}` : null,
      readsFrom: dependencies ?? null,
      drawnAt,
      keptAtMs: Date.now(),
    };
    if (answers.keep(key, answer) && body.length >= SMALLEST_COMPRESSED_BODY)
      gzip(body, (error, gzipped) => {
        if (!error) answers.compressed(key, answer, gzipped);
      });
    // Waiting readers take it only while it is fresh for them (PublicAnswers.drawnByAnother).
    done(answer);
  });
  next();
}

function sendKept(request: IncomingMessage, response: ServerResponse, kept: KeptAnswer): void {
  // The same answer goes out compressed or not, as each reader accepts: a shared cache must tell them apart.
  const varies = vary.append(String(kept.headers.vary ?? ''), 'Accept-Encoding');
  const etag = kept.headers.etag as string | undefined;
  if (etag !== undefined && matches(request.headers['if-none-match'], etag)) {
    const headers = Object.fromEntries(
      NOT_MODIFIED_HEADERS.filter((name) => kept.headers[name] !== undefined).map((name) => [name, kept.headers[name]]),
    );
    response.writeHead(304, { ...(headers as Record<string, string>), vary: varies });
    response.end();
    return;
  }
  const { 'transfer-encoding': _chunked, 'content-length': _length, date: _date, ...headers } = kept.headers;
  const gzipped = kept.encoding === 'gzip' && accepts(request).encoding(['gzip', 'identity']) === 'gzip';
  const body = kept.encoding === 'gzip' && !gzipped ? gunzipSync(kept.body) : kept.body;
  response.writeHead(200, {
    ...(headers as Record<string, string>),
    vary: varies,
    ...(gzipped ? { 'content-encoding': 'gzip' } : {}),
    'content-length': String(body.length),
  });
  response.end(body);
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
