import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyRecordEntity } from './idempotency-record.entity.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

const records = TypeOrmModule.forFeature([IdempotencyRecordEntity]);

/** Global so any write controller can use the interceptor with its repository. */
@Global()
@Module({ imports: [records], providers: [IdempotencyInterceptor], exports: [records, IdempotencyInterceptor] })
export class IdempotencyModule {}
