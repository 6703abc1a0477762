import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `corrections` (the public log of fixes to the record) and `correction_subjects` (what each
 * commitment and session says now, so a fix can show what it replaced). Read models like the
 * others; the projection fills them from the start of the log.
 */
export class Corrections1764100000000 implements MigrationInterface {
  name = 'Corrections1764100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table correction_subjects (
        stream_id text primary key,
        details jsonb not null,
        position text not null
      )`);
    await runner.query(`
      create table corrections (
        stream_id text not null,
        revision int not null,
        subject_kind text not null,
        subject_id text not null,
        subject_title text not null,
        position text not null,
        occurred_at timestamptz not null,
        recorded_at timestamptz not null,
        actor text not null,
        reason text not null,
        changes jsonb not null,
        primary key (stream_id, revision)
      )`);
    // The log reads newest first, all of it or one subject's.
    await runner.query(`create index corrections_recorded on corrections (recorded_at desc, stream_id, revision)`);
    await runner.query(`create index corrections_subject on corrections (subject_kind, subject_id, recorded_at desc)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table corrections');
    await runner.query('drop table correction_subjects');
    await runner.query(`delete from projection_checkpoints where projection = 'corrections'`);
  }
}
