import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A request sent with an Idempotency-Key: claimed (pending, no response yet) before it runs,
 * then its first response, replayed to its retries.
 */
@Entity({ name: 'idempotency_records' })
export class IdempotencyRecordEntity {
  @PrimaryColumn('text')
  actor!: string;

  @PrimaryColumn('text')
  key!: string;

  @Column('text', { name: 'request_fingerprint' })
  requestFingerprint!: string;

  @Column('int', { name: 'status_code', nullable: true })
  statusCode!: number | null;

  @Column('json', { name: 'response_body', nullable: true })
  responseBody!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Null while the first request with the key is still running. */
  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt!: Date | null;
}
