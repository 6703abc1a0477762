import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Target windows (an earliest day), extensions told apart from late slips, and the day of the
 * latest news. Read models only: their rows are emptied and their checkpoints forgotten, so the
 * projections replay the log from the start and fill the new columns from the events.
 */
export class TargetWindowsAndNews1764590000000 implements MigrationInterface {
  name = 'TargetWindowsAndNews1764590000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('truncate commitments, commitment_timeline, commitment_states');
    await runner.query(`delete from projection_checkpoints where projection in ('commitments', 'commitment_states')`);
    for (const table of ['commitments', 'commitment_states']) {
      await runner.query(`
        alter table ${table}
          add column target_earliest_date date,
          add column extension_count int not null,
          add column late_slip_count int not null,
          add column last_news_on date not null`);
    }
    await runner.query('alter table commitment_timeline add column slip text');
    // Serves the stale filter and counts: open commitments by the day of their latest news.
    await runner.query(
      `create index commitments_last_news on commitments (last_news_on) where status in ('announced', 'in_progress')`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop index commitments_last_news');
    await runner.query('alter table commitment_timeline drop column slip');
    for (const table of ['commitments', 'commitment_states']) {
      await runner.query(`
        alter table ${table}
          drop column target_earliest_date,
          drop column extension_count,
          drop column late_slip_count,
          drop column last_news_on`);
    }
    await runner.query('truncate commitments, commitment_timeline, commitment_states');
    await runner.query(`delete from projection_checkpoints where projection in ('commitments', 'commitment_states')`);
  }
}
