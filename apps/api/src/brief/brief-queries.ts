import { OPEN_STATUSES, type CalendarDate } from '#governance';
import {
  commitmentColumns,
  fromRow,
  newsSql,
  openSql,
  timelineColumns,
  type CommitmentView,
  type Sql,
  type TimelineEntry,
} from '#read-models';

/** What the brief reads from the read models: recorded sessions, the teams' commitments and their latest news. */

export interface RecordedSession {
  readonly id: string;
  readonly date: CalendarDate;
  readonly title: string;
  readonly hosts: readonly { readonly name: string; readonly role: string | null }[];
}

export const recordedSessions = async (sql: Sql): Promise<RecordedSession[]> =>
  (
    await sql<{ session_id: string; date: string; title: string; hosts: RecordedSession['hosts'] }>(
      `select session_id, to_char(date, 'YYYY-MM-DD') as date, title, hosts from sessions order by date asc, session_id asc`,
    )
  ).map((row) => ({ id: row.session_id, date: row.date, title: row.title, hosts: row.hosts }));

/** The teams whose commitments these people made: a host's teams, as the record shows them. */
export async function teamsOfSpeakers(sql: Sql, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const rows = await sql<{ owner_team: string }>(
    `select owner_team from commitments where lower(speaker_name) = any($1::text[]) group by owner_team order by owner_team collate "C"`,
    [names.map((name) => name.toLowerCase())],
  );
  return rows.map((row) => row.owner_team);
}

/** Every team with an open commitment, by name. */
export const teamsWithOpenCommitments = async (sql: Sql): Promise<string[]> =>
  (
    await sql<{ owner_team: string }>(
      `select owner_team from commitments where ${openSql()} group by owner_team order by owner_team collate "C"`,
    )
  ).map((row) => row.owner_team);

/** The teams' open commitments, and their closed ones with news after `since` (null: none). */
export async function briefCommitments(
  sql: Sql,
  teams: readonly string[],
  since: CalendarDate | null,
): Promise<CommitmentView[]> {
  if (teams.length === 0) return [];
  const rows = await sql(
    `select * from commitments c
      where lower(c.owner_team) = any($1::text[])
        and (c.status = any($2::text[]) or ($3::date is not null and c.last_news_on > $3::date))
      order by c.commitment_id asc`,
    [teams.map((team) => team.toLowerCase()), OPEN_STATUSES, since],
  );
  return rows.map((row) => fromRow(commitmentColumns, row));
}

/** Each commitment's latest news entry (links and corrections are not news), in the order things happened. */
export async function latestNews(sql: Sql, ids: readonly string[]): Promise<Map<string, TimelineEntry>> {
  if (ids.length === 0) return new Map();
  const rows = await sql(
    `select distinct on (t.commitment_id) t.* from commitment_timeline t
      where t.commitment_id = any($1::text[]) and ${newsSql('t.')}
      order by t.commitment_id, t.occurred_at desc, t.revision desc`,
    [ids],
  );
  return new Map(rows.map((row) => fromRow(timelineColumns, row)).map((entry) => [entry.commitmentId, entry]));
}
