import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { bearerTokenOf } from '../auth/bearer.strategy.js';
import { SIGN_IN_PATH, staffCookieOf } from '../staff/staff-sessions.js';
import type { ErrorBody } from './error.filter.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The id of the staff token a request presents, or null when it presents none that is in force. */
export type TokenIdentifier = (request: Request, token: string) => Promise<string | null>;

/**
 * Limits writes per staff token, not per address (staff often share an office network); reads
 * are never limited. The key is the id of the verified token, so however the header is spelt
 * (`Bearer`, `bearer`, `BEARER`, extra spaces) one token has one budget. A write with no token,
 * or one that is not in force, is counted against its address: made-up tokens cannot each open
 * a budget of their own.
 */
export function writeRateLimit(writesPerMinute: number, identify: TokenIdentifier): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: writesPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (request) => READS.has(request.method),
    keyGenerator: async (request: Request) => {
      const token = bearerTokenOf(request.header('authorization'));
      const tokenId = token === null ? null : await identify(request, token);
      if (tokenId !== null) return `token:${tokenId}`;
      const address = ipKeyGenerator(request.ip ?? 'unknown');
      // Signing in and the forms of a signed-in browser have budgets of their own, so anonymous
      // junk from the same address (one office, one proxy) cannot lock staff out of the pages.
      if (request.path === SIGN_IN_PATH) return `sign-in:${address}`;
      const staffCookie = staffCookieOf(request);
      if (staffCookie !== null) return `staff-cookie:${createHash('sha256').update(staffCookie).digest('hex')}`;
      return `ip:${address}`;
    },
    handler: (_request: Request, response: Response) => {
      const body: ErrorBody = {
        statusCode: 429,
        error: 'Too Many Requests',
        message: 'Too many writes from this token; try again in a minute.',
      };
      response.status(429).json(body);
    },
  });
}
