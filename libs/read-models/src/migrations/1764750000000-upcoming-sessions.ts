import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `upcoming_sessions`: every session announced before its day, as planned, and whether it is
 * still to come, was held or was cancelled. Part of the sessions projection; a log without
 * scheduled sessions leaves it empty, so an existing checkpoint needs no replay.
 */
export class UpcomingSessions1764750000000 implements MigrationInterface {
  name = 'UpcomingSessions1764750000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table upcoming_sessions (
        session_id text primary key,
        date date not null,
        title text not null,
        hosts jsonb not null,
        teams jsonb not null,
        status text not null,
        cancel_reason text,
        revision int not null,
        last_changed_at timestamptz not null,
        last_position text not null
      )`);
    await runner.query(`create index upcoming_sessions_date on upcoming_sessions (date)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table upcoming_sessions');
  }
}
