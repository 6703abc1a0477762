import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { ErrorBody } from './error.filter.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Limits writes per token, not per address (staff often share an office network); reads are
 * never limited. Tokens are keyed by their hash so no secret sits in the limiter's memory.
 */
export function writeRateLimit(writesPerMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: writesPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (request) => READS.has(request.method),
    keyGenerator: (request: Request) => {
      const authorization = request.header('authorization');
      return authorization
        ? `token:${createHash('sha256').update(authorization).digest('hex')}`
        : `ip:${ipKeyGenerator(request.ip ?? 'unknown')}`;
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
