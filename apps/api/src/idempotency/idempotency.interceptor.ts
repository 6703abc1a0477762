import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConflictException,
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

/** How long a request waits for an earlier one with the same key and request to answer. */
export const IDEMPOTENCY_WAIT_MS = 5_000;
/** A claim this old with no response is taken to be abandoned (its process died), and may be taken over. */
export const IDEMPOTENCY_ABANDONED_AFTER_SECONDS = 60;

const REUSED = 'This Idempotency-Key was already used for a different request; use a new key.';
const IN_PROGRESS = 'A request with this Idempotency-Key is still in progress; retry it in a moment.';

/**
 * A request retried with the same Idempotency-Key gets the first response back. The key is
 * claimed (a pending row, unique on actor and key) before the handler runs, so of two requests
 * racing with one key only one runs: the other, if it is a different request, is refused (422);
 * if it is the same, it waits for the first one's response (409 if that takes too long). A
 * request that fails gives its claim up, so it can be retried.
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
    const deadline = Date.now() + IDEMPOTENCY_WAIT_MS;
    for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
      if (await this.claim(actor, key, fingerprint)) return this.run(actor, key, status, next);
      const earlier = await this.records.findOneBy({ actor, key });
      if (!earlier) continue; // released by a failed first request: claim it again
      if (earlier.requestFingerprint !== fingerprint) throw new UnprocessableEntityException(REUSED);
      if (earlier.completedAt !== null) {
        response.setHeader('Idempotent-Replayed', 'true');
        return earlier.responseBody;
      }
      if (await this.releaseAbandoned(actor, key)) continue;
      if (Date.now() + pause > deadline) throw new ConflictException(IN_PROGRESS);
      await sleep(pause);
    }
  }

  /** True when this request now holds the key. */
  private async claim(actor: string, key: string, fingerprint: string): Promise<boolean> {
    const claimed = await this.records.query<unknown[]>(
      `insert into idempotency_records (actor, key, request_fingerprint) values ($1, $2, $3)
       on conflict (actor, key) do nothing returning key`,
      [actor, key, fingerprint],
    );
    return claimed.length === 1;
  }

  private async run(actor: string, key: string, status: number, next: CallHandler): Promise<unknown> {
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle());
    } catch (error) {
      await this.records.query('delete from idempotency_records where actor = $1 and key = $2 and completed_at is null', [
        actor,
        key,
      ]);
      throw error;
    }
    await this.records.query(
      `update idempotency_records set status_code = $3, response_body = $4, completed_at = now()
       where actor = $1 and key = $2`,
      [actor, key, status, JSON.stringify(body ?? null)],
    );
    return body;
  }

  private async releaseAbandoned(actor: string, key: string): Promise<boolean> {
    const released = await this.records.query<[unknown[], number]>(
      `delete from idempotency_records
       where actor = $1 and key = $2 and completed_at is null and created_at < now() - make_interval(secs => $3)
       returning key`,
      [actor, key, IDEMPOTENCY_ABANDONED_AFTER_SECONDS],
    );
    return rowsOf(released).length > 0;
  }
}

// TypeORM's query() answers a DELETE … RETURNING as [rows, count] on pg.
const rowsOf = (result: unknown): unknown[] =>
  Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as unknown[]) : Array.isArray(result) ? result : [];
