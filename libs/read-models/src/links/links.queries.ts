import { relationFrom, type CommitmentStatus, type LinkEndRelation, type RecordedRelation } from '#governance';
import type { Sql } from '../projection/projection.js';

/** A link as one of its ends sees it: the relation in that end's words, and the other commitment as it stands. */
export interface LinkOfCommitment {
  readonly relation: LinkEndRelation;
  readonly id: string;
  /** Null while the other commitment is not (yet) in the commitments read model. */
  readonly summary: string | null;
  readonly status: CommitmentStatus | null;
  readonly note: string | null;
}

interface Row {
  relation: RecordedRelation;
  from_id: string;
  to_id: string;
  note: string | null;
  summary: string | null;
  status: CommitmentStatus | null;
}

/**
 * Every link of a commitment, from both ends, oldest first; the other end's summary and status
 * are read as they stand now, so they follow it. With `by`, only links known by the end of that day.
 */
export async function linksOf(
  sql: Sql,
  commitmentId: string,
  by?: { readonly date: string; readonly clock: 'recorded' | 'occurred' },
): Promise<LinkOfCommitment[]> {
  const until = by ? `and l.${by.clock === 'recorded' ? 'recorded_at' : 'occurred_at'} < ($2::date + 1)` : '';
  const rows = await sql<Row>(
    `select l.relation, l.from_id, l.to_id, l.note, c.summary, c.status
       from commitment_links l
       left join commitments c on c.commitment_id = case when l.from_id = $1 then l.to_id else l.from_id end
      where (l.from_id = $1 or l.to_id = $1) ${until}
      order by l.position, l.place`,
    by ? [commitmentId, by.date] : [commitmentId],
  );
  return rows.map((row) => linkSeenFrom(commitmentId, row));
}

/** A link row as `commitmentId`, one of its ends, sees it. */
function linkSeenFrom(commitmentId: string, row: Row): LinkOfCommitment {
  const end = row.from_id === commitmentId ? 'from' : 'to';
  return {
    relation: relationFrom(end, row.relation),
    id: end === 'from' ? row.to_id : row.from_id,
    summary: row.summary,
    status: row.status,
    note: row.note,
  };
}

/** Every commitment's links, from both ends, each oldest first, as `linksOf` gives them one at a time: for exports. */
export async function allLinks(sql: Sql): Promise<Map<string, LinkOfCommitment[]>> {
  const rows = await sql<Row & { seen_from: string }>(
    `select e.seen_from, l.relation, l.from_id, l.to_id, l.note, c.summary, c.status
       from commitment_links l
       cross join lateral (values (l.from_id, l.to_id), (l.to_id, l.from_id)) as e(seen_from, other_id)
       left join commitments c on c.commitment_id = e.other_id
      order by e.seen_from, l.position, l.place`,
  );
  const links = new Map<string, LinkOfCommitment[]>();
  for (const row of rows) {
    const list = links.get(row.seen_from) ?? [];
    list.push(linkSeenFrom(row.seen_from, row));
    links.set(row.seen_from, list);
  }
  return links;
}
