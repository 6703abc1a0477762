import {
  applyDecorators,
  Injectable,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import { RequireRole } from '../auth/require-role.js';
import type { Role } from '../auth/roles.js';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor.js';
import { ErrorResponseDto } from './dto.js';
import { etagOf } from './write-context.js';

/** Every command response carries the stream revision as its ETag and the log position for read-your-writes. */
@Injectable()
export class CommandResponseHeaders implements NestInterceptor {
  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = execution.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body: { revision?: number; position?: string }) => {
        if (typeof body?.revision === 'number') response.setHeader('ETag', etagOf(body.revision));
        if (typeof body?.position === 'string') response.setHeader('X-Log-Position', body.position);
        response.setHeader('Cache-Control', 'no-store');
        return body;
      }),
    );
  }
}

/** A staff command over HTTP (rate-limited in configure-http): role, idempotency, concurrency headers and their documentation. */
export function WriteEndpoint(role: Role, summary: string, description?: string) {
  return applyDecorators(
    RequireRole(role),
    UseInterceptors(CommandResponseHeaders, IdempotencyInterceptor),
    ApiOperation({ summary, description: `${description ? `${description}\n\n` : ''}Needs a token with the **${role}** role.` }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'The ETag last seen; a stale one gets 412 and writes nothing.',
      example: '"3"',
    }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'A retried request with the same key writes once and gets the first response.',
    }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Recorded in the events\u2019 metadata.' }),
    ApiBadRequestResponse({
      type: ErrorResponseDto,
      description: 'A field is missing, unknown or malformed; the body names each field and why.',
    }),
    ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such session or commitment.' }),
    ApiConflictResponse({
      type: ErrorResponseDto,
      description: 'The command does not fit the current state (e.g. delivering a dropped commitment).',
    }),
    ApiPreconditionFailedResponse({
      type: ErrorResponseDto,
      description: 'If-Match named a revision that is no longer current.',
    }),
    ApiUnprocessableEntityResponse({
      type: ErrorResponseDto,
      description: 'A rule of the domain is broken (e.g. a target before its session).',
    }),
    ApiTooManyRequestsResponse({
      type: ErrorResponseDto,
      description: 'Too many writes from this token; try again in a minute.',
    }),
  );
}
