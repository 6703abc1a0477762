import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An Idempotency-Key is claimed before its request runs: a pending row (no response yet) holds
 * the key, so a second request with the same key waits for, or is refused by, the first.
 */
export class IdempotencyClaims1764200000000 implements MigrationInterface {
  name = 'IdempotencyClaims1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      alter table idempotency_records
        alter column status_code drop not null,
        alter column response_body drop not null,
        add column completed_at timestamptz`);
    await runner.query('update idempotency_records set completed_at = created_at');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('delete from idempotency_records where completed_at is null');
    await runner.query(`
      alter table idempotency_records
        drop column completed_at,
        alter column status_code set not null,
        alter column response_body set not null`);
  }
}
