import type { MigrationInterface, QueryRunner } from 'typeorm';

export class StaffTokensAndIdempotency1763700000000 implements MigrationInterface {
  name = 'StaffTokensAndIdempotency1763700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table staff_tokens (
        id text primary key,
        subject text not null,
        role text not null check (role in ('staff', 'editor', 'admin')),
        secret_hash text not null,
        created_at timestamptz not null default now(),
        revoked_at timestamptz
      )`);
    await runner.query(`
      create table idempotency_records (
        actor text not null,
        key text not null,
        request_fingerprint text not null,
        status_code int not null,
        response_body json not null,
        created_at timestamptz not null default now(),
        primary key (actor, key)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table idempotency_records');
    await runner.query('drop table staff_tokens');
  }
}
