import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models: derived from the event log, rebuildable at any time, never a source of truth. */
export class ReadModels1763800000000 implements MigrationInterface {
  name = 'ReadModels1763800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table projection_checkpoints (
        projection text primary key,
        position text not null,
        updated_at timestamptz not null default now()
      )`);
    await runner.query(`
      create table commitments (
        commitment_id text primary key,
        status text not null,
        session_id text not null,
        session_date date not null,
        revisited_in text[] not null,
        speaker_name text not null,
        speaker_role text,
        owner_team text not null,
        topics text[] not null,
        summary text not null,
        quote text not null,
        strength text not null,
        note text,
        target_as_said text,
        target_latest_date date,
        first_target_latest_date date,
        superseded_by text,
        work_started boolean not null,
        update_count int not null,
        slip_count int not null,
        slip_days int not null,
        made_at timestamptz not null,
        closed_at timestamptz,
        last_changed_at timestamptz not null,
        last_recorded_at timestamptz not null,
        revision int not null,
        last_position text not null,
        search_text text not null,
        search tsvector generated always as (to_tsvector('simple', search_text)) stored
      )`);
    await runner.query(`create index commitments_status on commitments (status)`);
    // Serves the owner filter, with status, sorted by deadline: the list staff open most.
    await runner.query(`create index commitments_owner on commitments (owner_team, status, target_latest_date, commitment_id)`);
    await runner.query(`create index commitments_session on commitments (session_id)`);
    await runner.query(
      `create index commitments_deadline on commitments (target_latest_date) where status in ('announced', 'in_progress')`,
    );
    await runner.query(`create index commitments_changed on commitments (last_changed_at desc)`);
    await runner.query(`create index commitments_topics on commitments using gin (topics)`);
    await runner.query(`create index commitments_search on commitments using gin (search)`);
    await runner.query(`
      create table commitment_timeline (
        commitment_id text not null,
        revision int not null,
        event_type text not null,
        occurred_at timestamptz not null,
        recorded_at timestamptz not null,
        actor text not null,
        session_id text,
        text text not null,
        evidence text[] not null,
        position text not null,
        primary key (commitment_id, revision)
      )`);
    await runner.query(
      `create index commitment_timeline_session on commitment_timeline (session_id) where session_id is not null`,
    );
    await runner.query(`
      create table sessions (
        session_id text primary key,
        date date not null,
        title text not null,
        kind text not null,
        hosts jsonb not null,
        source_url text not null,
        revision int not null,
        last_position text not null
      )`);
    await runner.query(`create index sessions_date on sessions (date desc)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['sessions', 'commitment_timeline', 'commitments', 'projection_checkpoints'])
      await runner.query(`drop table ${table}`);
  }
}
