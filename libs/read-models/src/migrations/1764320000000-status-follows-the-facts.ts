import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a commitment's and a history line's date is only an upper bound ("no later than"), and a
 * refold of the two read models whose fold changed (a progress report now starts work): their
 * rows are emptied and their checkpoints removed, so the projector replays the log into them.
 */
export class StatusFollowsTheFacts1764320000000 implements MigrationInterface {
  name = 'StatusFollowsTheFacts1764320000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`alter table commitments add column closed_at_precision text not null default 'exact'`);
    await runner.query(`alter table commitment_timeline add column date_precision text not null default 'exact'`);
    await runner.query(`alter table commitment_states add column closed_at_precision text not null default 'exact'`);
    await runner.query(`delete from commitment_timeline`);
    await runner.query(`delete from commitments`);
    await runner.query(`delete from commitment_states`);
    await runner.query(`delete from projection_checkpoints where projection in ('commitments', 'commitment_states')`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`alter table commitment_states drop column closed_at_precision`);
    await runner.query(`alter table commitment_timeline drop column date_precision`);
    await runner.query(`alter table commitments drop column closed_at_precision`);
  }
}
