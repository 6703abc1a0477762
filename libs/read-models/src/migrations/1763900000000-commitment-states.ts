import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `commitment_states`: a commitment's state after each of its events, for the dashboard as of a
 * past day. A read model like the others; its projection fills it from the start of the log.
 */
export class CommitmentStates1763900000000 implements MigrationInterface {
  name = 'CommitmentStates1763900000000';

  async up(runner: QueryRunner): Promise<void> {
    // The key also serves "latest state per commitment": read backwards, it is (commitment_id desc, revision desc).
    await runner.query(`
      create table commitment_states (
        commitment_id text not null,
        revision int not null,
        position text not null,
        recorded_at timestamptz not null,
        occurred_at timestamptz not null,
        latest_occurred_at timestamptz not null,
        status text not null,
        owner_team text not null,
        topics text[] not null,
        summary text not null,
        target_latest_date date,
        made_at timestamptz not null,
        closed_at timestamptz,
        slip_days int not null,
        slip_count int not null,
        work_started boolean not null,
        primary key (commitment_id, revision)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table commitment_states');
    await runner.query(`delete from projection_checkpoints where projection = 'commitment_states'`);
  }
}
