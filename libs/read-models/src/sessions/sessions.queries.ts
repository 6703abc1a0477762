import { fromRow } from '../projection/json-rows.js';
import type { Sql } from '../projection/projection.js';
import {
  sessionColumns,
  upcomingSessionColumns,
  type SessionView,
  type UpcomingSessionView,
  type UpcomingStatus,
} from './sessions.projection.js';

const toView = (row: Record<string, unknown>): SessionView => fromRow(sessionColumns, row);

// Asked on every commitment page: one prepared statement.
const GET_SESSION = `select * from sessions where session_id = $1`;

export const getSession = async (sql: Sql, sessionId: string): Promise<SessionView | null> => {
  const [row] = await sql(GET_SESSION, [sessionId]);
  return row ? toView(row) : null;
};

/** Every session, latest first, with how many commitments it made and how many it revisited. */
export async function listSessions(sql: Sql): Promise<{ session: SessionView; made: number; revisited: number }[]> {
  const rows = await sql(
    `select s.*,
            (select count(*) from commitments c where c.session_id = s.session_id)::int as made_count,
            (select count(distinct t.commitment_id) from commitment_timeline t
              where t.session_id = s.session_id and t.event_type = 'CommitmentRevisited')::int as revisited_count
       from sessions s
      order by s.date desc, s.session_id`,
  );
  return rows.map((row) => ({ session: toView(row), made: row.made_count as number, revisited: row.revisited_count as number }));
}

const toUpcoming = (row: Record<string, unknown>): UpcomingSessionView => fromRow(upcomingSessionColumns, row);

/** One announced session, whatever became of it, or null. */
export const getUpcomingSession = async (sql: Sql, sessionId: string): Promise<UpcomingSessionView | null> => {
  const [row] = await sql(`select * from upcoming_sessions where session_id = $1`, [sessionId]);
  return row ? toUpcoming(row) : null;
};

/** Every announced session, latest day first (a feed's newest); `status` keeps only those still to come, held or cancelled. */
export async function listUpcomingSessions(
  sql: Sql,
  options: { readonly status?: UpcomingStatus; readonly limit?: number } = {},
): Promise<UpcomingSessionView[]> {
  const rows = await sql(
    `select * from upcoming_sessions where ($1::text is null or status = $1)
      order by date desc, session_id asc limit $2`,
    [options.status ?? null, options.limit ?? 100],
  );
  return rows.map(toUpcoming);
}
