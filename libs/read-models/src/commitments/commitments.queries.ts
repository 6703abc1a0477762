import { OPEN_STATUSES, type CommitmentStatus } from '#governance';
import { fromRow } from '../projection/json-rows.js';
import type { Sql } from '../projection/projection.js';
import type { CommitmentView, TimelineEntry } from './commitment-view.js';
import { commitmentColumns, timelineColumns } from './commitments.projection.js';

// The statuses are the domain's constants, never input: safe to write into the statement.
const OPEN_LIST = OPEN_STATUSES.map((status) => `'${status}'`).join(', ');

/** `isOpenStatus` in SQL, over a `commitments`-shaped row (`alias` as in `c.`). */
export const openSql = (alias = '') => `${alias}status in (${OPEN_LIST})`;

/** `isOverdue` in SQL: `today` is a parameter or expression of type date. */
export const overdueSql = (today: string, alias = '') => `${openSql(alias)} and ${alias}target_latest_date < ${today}`;

/** The columns a summary shows: all but the search text and its vector. */
const SUMMARY_COLUMNS = commitmentColumns
  .filter(([field]) => field !== 'searchText')
  .map(([, column]) => `c.${column}`)
  .join(', ');

const toView = (row: Record<string, unknown>): CommitmentView => fromRow(commitmentColumns, row);
const toEntry = (row: Record<string, unknown>): TimelineEntry => fromRow(timelineColumns, row);

export interface CommitmentFilters {
  readonly status?: CommitmentStatus;
  readonly owner?: string;
  readonly topic?: string;
  readonly session?: string;
  readonly q?: string;
  readonly overdue?: 'true' | 'false';
  readonly sort?: 'changed' | 'deadline' | 'made';
  readonly page: number;
  readonly pageSize: number;
}

const LIST_ORDER = {
  deadline: 'c.target_latest_date asc nulls last',
  made: 'c.session_date desc',
  changed: 'c.last_changed_at desc',
} as const;

/** One statement: the page, each row carrying the total (counted once, by a sub-select). */
export async function listCommitments(
  sql: Sql,
  filters: CommitmentFilters,
  today: string,
): Promise<{ rows: CommitmentView[]; total: number }> {
  const { page, pageSize } = filters;
  const values: unknown[] = [];
  const parameter = (value: unknown) => `$${values.push(value)}`;
  const where: string[] = [];
  if (filters.status) where.push(`c.status = ${parameter(filters.status)}`);
  if (filters.owner) where.push(`c.owner_team = ${parameter(filters.owner)}`);
  if (filters.topic) where.push(`${parameter(filters.topic)} = any(c.topics)`);
  if (filters.session) where.push(`c.session_id = ${parameter(filters.session)}`);
  if (filters.q) where.push(`c.search @@ websearch_to_tsquery('simple', ${parameter(filters.q)})`);
  if (filters.overdue !== undefined) {
    const overdue = overdueSql(parameter(today), 'c.');
    where.push(filters.overdue === 'true' ? overdue : `not coalesce(${overdue}, false)`);
  }
  const condition = where.length > 0 ? `where ${where.join(' and ')}` : '';
  const order = LIST_ORDER[filters.sort === 'deadline' || filters.sort === 'made' ? filters.sort : 'changed'];
  const count = `select count(*) from commitments c ${condition}`;
  const rows = await sql(
    `select ${SUMMARY_COLUMNS}, (${count}) as total from commitments c ${condition}
      order by ${order}, c.commitment_id asc limit ${parameter(pageSize)} offset ${parameter((page - 1) * pageSize)}`,
    values,
  );
  // Past the last page no row carries the total.
  const total =
    rows.length > 0
      ? Number(rows[0]!.total)
      : page === 1
        ? 0
        : Number((await sql<{ count: string }>(count, values.slice(0, -2)))[0]!.count);
  return { rows: rows.map(toView), total };
}

/** The commitment and its timeline, oldest first, in one statement. */
const GET_COMMITMENT = `
  select ${SUMMARY_COLUMNS},
         coalesce((select json_agg(t order by t.revision) from commitment_timeline t
                    where t.commitment_id = c.commitment_id), '[]') as timeline
    from commitments c
   where c.commitment_id = $1`;

export async function getCommitment(
  sql: Sql,
  commitmentId: string,
): Promise<{ view: CommitmentView; timeline: TimelineEntry[] } | null> {
  const [row] = await sql<Record<string, unknown> & { timeline: Record<string, unknown>[] }>(GET_COMMITMENT, [commitmentId]);
  return row ? { view: toView(row), timeline: row.timeline.map(toEntry) } : null;
}

/** Every commitment, oldest session first: for exports. */
export const allCommitments = async (sql: Sql): Promise<CommitmentView[]> =>
  (await sql(`select ${SUMMARY_COLUMNS} from commitments c order by c.session_date asc, c.commitment_id asc`)).map(toView);

export const commitmentsMadeIn = async (sql: Sql, sessionId: string): Promise<CommitmentView[]> =>
  (
    await sql(`select ${SUMMARY_COLUMNS} from commitments c where c.session_id = $1 order by c.commitment_id asc`, [sessionId])
  ).map(toView);

export const commitmentsById = async (sql: Sql, ids: readonly string[]): Promise<CommitmentView[]> =>
  (await sql(`select ${SUMMARY_COLUMNS} from commitments c where c.commitment_id = any($1)`, [ids])).map(toView);

/** The revisits said in a session, by commitment and revision. */
export const revisitsIn = async (sql: Sql, sessionId: string): Promise<TimelineEntry[]> =>
  (
    await sql(
      `select * from commitment_timeline
        where session_id = $1 and event_type = 'CommitmentRevisited' order by commitment_id asc, revision asc`,
      [sessionId],
    )
  ).map(toEntry);

export interface FeedScope {
  readonly commitment?: string;
  readonly session?: string;
  readonly team?: string;
}

/** The latest changes, newest first, each with the summary of its commitment. */
export async function latestChanges(
  sql: Sql,
  scope: FeedScope,
  limit: number,
): Promise<(TimelineEntry & { readonly summary: string })[]> {
  const values: unknown[] = [];
  const parameter = (value: unknown) => `$${values.push(value)}`;
  const where: string[] = [];
  if (scope.commitment) where.push(`t.commitment_id = ${parameter(scope.commitment)}`);
  if (scope.team) where.push(`c.owner_team = ${parameter(scope.team)}`);
  if (scope.session) {
    const session = parameter(scope.session);
    where.push(`(t.session_id = ${session} or c.session_id = ${session})`);
  }
  const rows = await sql(
    `select t.*, c.summary from commitment_timeline t join commitments c on c.commitment_id = t.commitment_id
      ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
      order by t.recorded_at desc, t.position desc limit ${parameter(limit)}`,
    values,
  );
  return rows.map((row) => ({ ...toEntry(row), summary: row.summary as string }));
}

/** Open commitments with a target date, soonest first. */
export async function openTargets(sql: Sql, scope: FeedScope): Promise<CommitmentView[]> {
  const values: unknown[] = [];
  const parameter = (value: unknown) => `$${values.push(value)}`;
  const where = [openSql('c.'), 'c.target_latest_date is not null'];
  if (scope.team) where.push(`c.owner_team = ${parameter(scope.team)}`);
  if (scope.session) where.push(`c.session_id = ${parameter(scope.session)}`);
  if (scope.commitment) where.push(`c.commitment_id = ${parameter(scope.commitment)}`);
  const rows = await sql(
    `select ${SUMMARY_COLUMNS} from commitments c where ${where.join(' and ')} order by c.target_latest_date asc`,
    values,
  );
  return rows.map(toView);
}

/** An open commitment that a new statement probably speaks about, with how well their words match. */
export interface RevisitMatch {
  /** Which of the texts asked about. */
  readonly index: number;
  readonly commitmentId: string;
  readonly summary: string;
  /** The share of the text's informative words (weighted by rarity) that the commitment also uses, 0..1. */
  readonly score: number;
}

/**
 * For each text, the open commitments of other sessions whose words it shares most, best first,
 * in one statement. Words are PostgreSQL's English text-search lexemes (stemmed, stop words
 * gone) of the commitment's summary, quote and topics; each shared word counts by its rarity
 * among the open commitments (ln(N / commitments using it)), so "UCoC" outweighs "people".
 */
export async function suggestRevisits(
  sql: Sql,
  texts: readonly string[],
  { excludeSession = null, limit = 3 }: { readonly excludeSession?: string | null; readonly limit?: number } = {},
): Promise<RevisitMatch[][]> {
  if (texts.length === 0) return [];
  const rows = await sql<{ index: number; commitment_id: string; summary: string; score: number }>(
    `with documents as (
       select c.commitment_id, c.summary,
              to_tsvector('english', c.summary || ' ' || c.quote || ' ' || array_to_string(c.topics, ' ')) as words
         from commitments c
        where ${openSql('c.')} and ($2::text is null or c.session_id <> $2)
     ), total as (
       select count(*)::float8 as n from documents
     ), used as (
       select d.commitment_id, unnest(tsvector_to_array(d.words)) as word from documents d
     ), rarity as (
       select word, ln((select n from total) / count(*)) + 0.1 as weight from used group by word
     ), asked as (
       select distinct (t.ordinality - 1)::int as index, unnest(tsvector_to_array(to_tsvector('english', t.text))) as word
         from unnest($1::text[]) with ordinality as t(text, ordinality)
     ), asked_weight as (
       select a.index, sum(r.weight) as weight from asked a join rarity r on r.word = a.word group by a.index
     ), scored as (
       select a.index, u.commitment_id, sum(r.weight) / min(w.weight) as score
         from asked a
         join used u on u.word = a.word
         join rarity r on r.word = a.word
         join asked_weight w on w.index = a.index
        group by a.index, u.commitment_id
     ), ranked as (
       select s.*, row_number() over (partition by s.index order by s.score desc, s.commitment_id asc) as place from scored s
     )
     select r.index, r.commitment_id, d.summary, r.score::float8 as score
       from ranked r join documents d on d.commitment_id = r.commitment_id
      where r.place <= $3
      order by r.index asc, r.place asc`,
    [texts, excludeSession, limit],
  );
  const byText: RevisitMatch[][] = texts.map(() => []);
  for (const row of rows)
    byText[row.index]!.push({
      index: row.index,
      commitmentId: row.commitment_id,
      summary: row.summary,
      score: Math.round(Number(row.score) * 1000) / 1000,
    });
  return byText;
}
