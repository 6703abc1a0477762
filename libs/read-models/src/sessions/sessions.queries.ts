import { fromRow } from '../projection/json-rows.js';
import type { Sql } from '../projection/projection.js';
import { sessionColumns, type SessionView } from './sessions.projection.js';

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
