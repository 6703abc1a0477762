import { randomUUID } from 'node:crypto';
import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { CommandContext } from '../command-handling/command-context.js';
import { requestIdOf } from '../operations/logging.js';

export const HEADER_TOKEN = /^[\x21-\x7e]{1,200}$/;

/** The command's context from the authenticated request and its `If-Match`, `Idempotency-Key` and `X-Correlation-Id` headers. */
export const WriteContext = createParamDecorator((_: unknown, execution: ExecutionContext): CommandContext => {
  const request = execution.switchToHttp().getRequest<Request & { user?: { subject: string } }>();
  if (!request.user) throw new Error('WriteContext used on a route without authentication');
  const correlationId = request.header('x-correlation-id');
  if (correlationId !== undefined && !HEADER_TOKEN.test(correlationId)) {
    throw badHeader('X-Correlation-Id', 'must be 1 to 200 visible ASCII characters');
  }
  const idempotencyKey = request.header('idempotency-key');
  if (idempotencyKey !== undefined && !HEADER_TOKEN.test(idempotencyKey)) {
    throw badHeader('Idempotency-Key', 'must be 1 to 200 visible ASCII characters');
  }
  const ifMatch = request.header('if-match');
  return {
    actor: request.user.subject,
    // The request id of the log lines, unless the caller named a correlation id of its own.
    correlationId: correlationId ?? requestIdOf(request) ?? randomUUID(),
    causationId: randomUUID(),
    ...(ifMatch === undefined ? {} : { expectedRevision: parseIfMatch(ifMatch) }),
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  };
});

/** A refused header, named like a refused body field. */
const badHeader = (header: string, reason: string) =>
  new BadRequestException({ message: `${header} ${reason}.`, errors: [{ field: header, reason }] });

export const etagOf = (revision: number) => `"${revision}"`;

function parseIfMatch(value: string): number {
  // Only the tags this API hands out: a revision without leading zeros, so "00" is no alias of "0".
  const match = /^\s*"(0|[1-9]\d{0,14})"\s*$/.exec(value);
  if (!match) throw badHeader('If-Match', 'must be the ETag of the resource, e.g. "3"');
  return Number(match[1]);
}
