import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `commitment_links`: every link between two commitments, once, from the end whose event made it
 * (a link, a split, a merge, a supersession). A read model like the others: its projection fills
 * it from the start of the log.
 */
export class CommitmentLinks1764400000000 implements MigrationInterface {
  name = 'CommitmentLinks1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table commitment_links (
        from_id text not null,
        to_id text not null,
        relation text not null,
        note text,
        occurred_at timestamptz not null,
        recorded_at timestamptz not null,
        position text not null,
        place int not null,
        primary key (from_id, to_id, relation)
      )`);
    // The far end reads its links by `to_id`.
    await runner.query(`create index commitment_links_to on commitment_links (to_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table commitment_links');
    await runner.query(`delete from projection_checkpoints where projection = 'links'`);
  }
}
