import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search with English stemming and over each commitment's history (revisit statements, progress
 * and delivery notes, drop explanations, re-target reasons), kept by the projection in
 * `search_history`. The rows are emptied and their checkpoint removed, so the projector rebuilds
 * them from the log with their history words; they are derived, nothing is lost.
 */
export class EnglishSearch1764460000000 implements MigrationInterface {
  name = 'EnglishSearch1764460000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`delete from commitment_timeline`);
    await runner.query(`delete from commitments`);
    await runner.query(`delete from projection_checkpoints where projection = 'commitments'`);
    await runner.query(`drop index commitments_search`);
    await runner.query(`alter table commitments drop column search`);
    await runner.query(`alter table commitments add column search_history text not null default ''`);
    // The same expression as `searchVectorSql()`, written out: a migration does not change with the code.
    await runner.query(`
      alter table commitments add column search tsvector generated always as (
        setweight(to_tsvector('english', search_text), 'A') || setweight(to_tsvector('english', search_history), 'B')
      ) stored`);
    await runner.query(`create index commitments_search on commitments using gin (search)`);
    // The owner filter matches in any case: the same columns as `commitments_owner`, by lower(owner_team).
    await runner.query(
      `create index commitments_owner_any_case on commitments (lower(owner_team), status, target_latest_date, commitment_id)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop index commitments_owner_any_case`);
    await runner.query(`drop index commitments_search`);
    await runner.query(`alter table commitments drop column search`);
    await runner.query(`alter table commitments drop column search_history`);
    await runner.query(
      `alter table commitments add column search tsvector generated always as (to_tsvector('simple', search_text)) stored`,
    );
    await runner.query(`create index commitments_search on commitments using gin (search)`);
  }
}
