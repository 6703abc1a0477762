import type { MigrationInterface, QueryRunner } from 'typeorm';

/** News of an announced session is stored beside commitments' news: each piece is about one or the other. */
export class SessionNews1764800000000 implements MigrationInterface {
  name = 'SessionNews1764800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`alter table notification_news alter column commitment_id drop not null`);
    await runner.query(`alter table notification_news add column session_id text`);
    await runner.query(
      `alter table notification_news add constraint notification_news_about_one check ((commitment_id is null) <> (session_id is null))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `delete from notification_deliveries d using notification_news n where n.event_id = d.event_id and n.session_id is not null`,
    );
    await runner.query(`delete from notification_news where session_id is not null`);
    await runner.query(`alter table notification_news drop constraint notification_news_about_one`);
    await runner.query(`alter table notification_news drop column session_id`);
    await runner.query(`alter table notification_news alter column commitment_id set not null`);
  }
}
