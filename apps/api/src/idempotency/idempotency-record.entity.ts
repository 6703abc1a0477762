import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The first response to a request sent with an Idempotency-Key, replayed to its retries. */
@Entity({ name: 'idempotency_records' })
export class IdempotencyRecordEntity {
  @PrimaryColumn('text')
  actor!: string;

  @PrimaryColumn('text')
  key!: string;

  @Column('text', { name: 'request_fingerprint' })
  requestFingerprint!: string;

  @Column('int', { name: 'status_code' })
  statusCode!: number;

  @Column('json', { name: 'response_body' })
  responseBody!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
