import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Server-side state of staff signed in through the pages; the cookie holds only a random id. */
export class StaffSessions1764000000000 implements MigrationInterface {
  name = 'StaffSessions1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table staff_sessions (
        id_hash text primary key,
        data jsonb not null,
        expires_at timestamptz not null
      )`);
    await runner.query('create index staff_sessions_expires_at on staff_sessions (expires_at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table staff_sessions');
  }
}
