import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why a projection is stuck, kept beside its checkpoint so every process (an api whose projector
 * runs elsewhere, the projections CLI) can tell: the event it cannot apply, the error, since when
 * and how many attempts. Written in a statement of its own after the failed batch rolled back;
 * cleared by the next batch that applies.
 */
export class ProjectionFailures1764250000000 implements MigrationInterface {
  name = 'ProjectionFailures1764250000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      alter table projection_checkpoints
        add column failing_position text,
        add column failing_stream_id text,
        add column failing_event_type text,
        add column failing_error text,
        add column failing_since timestamptz,
        add column failing_attempts int not null default 0,
        add column failing_last_attempt_at timestamptz`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      alter table projection_checkpoints
        drop column failing_position,
        drop column failing_stream_id,
        drop column failing_event_type,
        drop column failing_error,
        drop column failing_since,
        drop column failing_attempts,
        drop column failing_last_attempt_at`);
  }
}
