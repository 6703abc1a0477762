import { createHash } from 'node:crypto';
import {
  HttpStatus,
  Injectable,
  UnprocessableEntityException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { Repository } from 'typeorm';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { IdempotencyRecordEntity } from './idempotency-record.entity.js';

/**
 * A request retried with the same Idempotency-Key gets the first response back. The command
 * shell separately derives event ids from the key, so even a retry racing the first request,
 * or one after a crash before this record was saved, writes its events once.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@InjectRepository(IdempotencyRecordEntity) private readonly records: Repository<IdempotencyRecordEntity>) {}

  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = execution.switchToHttp().getRequest<Request & { user?: { subject: string } }>();
    const key = request.header('idempotency-key');
    if (key === undefined || !request.user) return next.handle();
    // The status the route will answer with: its @HttpCode, else Nest's default for the method.
    const status =
      (Reflect.getMetadata(HTTP_CODE_METADATA, execution.getHandler()) as number | undefined) ??
      (request.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    return from(this.once(request, request.user.subject, key, status, execution.switchToHttp().getResponse<Response>(), next));
  }

  private async once(
    request: Request,
    actor: string,
    key: string,
    status: number,
    response: Response,
    next: CallHandler,
  ): Promise<unknown> {
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.originalUrl}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    const earlier = await this.records.findOneBy({ actor, key });
    if (earlier) {
      if (earlier.requestFingerprint !== fingerprint) {
        throw new UnprocessableEntityException('This Idempotency-Key was already used for a different request; use a new key.');
      }
      response.setHeader('Idempotent-Replayed', 'true');
      return earlier.responseBody;
    }
    const body = await lastValueFrom(next.handle());
    await this.records
      .createQueryBuilder()
      .insert()
      .values({ actor, key, requestFingerprint: fingerprint, statusCode: status, responseBody: body })
      .orIgnore()
      .execute();
    return body;
  }
}
