import {
  COMMITMENT_STATUSES,
  DEFAULT_STALE_AFTER_MONTHS,
  NEWS_EVENT_TYPES,
  OPEN_STATUSES,
  staleCutoff,
  type CommitmentStatus,
} from '#governance';
import { fromRow } from '../projection/json-rows.js';
import type { Sql } from '../projection/projection.js';
import type { CommitmentView, TimelineEntry } from './commitment-view.js';
import { commitmentColumns, timelineColumns } from './commitments.projection.js';
import { searchQueryOf, searchSql, searchTextOf, searchVectorSql } from './search-document.js';

// The statuses are the domain's constants, never input: safe to write into the statement.
const OPEN_LIST = OPEN_STATUSES.map((status) => `'${status}'`).join(', ');

/** `isOpenStatus` in SQL, over a `commitments`-shaped row (`alias` as in `c.`). */
export const openSql = (alias = '') => `${alias}status in (${OPEN_LIST})`;

/** `isOverdue` in SQL: `today` is a parameter or expression of type date. */
export const overdueSql = (today: string, alias = '') => `${openSql(alias)} and ${alias}target_latest_date < ${today}`;

/** `deliveryTiming(…) !== 'unknown'` in SQL: whether it closed by its target is known. */
export const closedTimingKnownSql = (alias = '') =>
  `not ((${alias}closed_at_precision = 'no_later_than' and (${alias}closed_at at time zone 'UTC')::date > ${alias}target_latest_date)` +
  ` or (${alias}closed_at_precision = 'no_earlier_than' and (${alias}closed_at at time zone 'UTC')::date <= ${alias}target_latest_date))`;
/** `isDue` in SQL: open and `today` inside the target window (from its earliest day, or its latest alone). */
export const dueSql = (today: string, alias = '') =>
  `${openSql(alias)} and ${today} between coalesce(${alias}target_earliest_date, ${alias}target_latest_date) and ${alias}target_latest_date`;

/** `isStale` in SQL: `cutoff` is `staleCutoff(today, months)`, a parameter or expression of type date. */
export const staleSql = (cutoff: string, alias = '') => `${openSql(alias)} and ${alias}last_news_on < ${cutoff}`;

/** `deliveryTiming(…) === 'on_time'` in SQL, over a row with `closed_at` and `target_latest_date`. */
export const deliveredOnTimeSql = (alias = '') =>
  `${alias}status in ('delivered', 'partially_delivered') and (${alias}closed_at at time zone 'UTC')::date <= ${alias}target_latest_date` +
  ` and ${alias}closed_at_precision <> 'no_earlier_than'`;

// The news types are the domain's constants, never input: safe to write into the statement.
const NEWS_LIST = NEWS_EVENT_TYPES.map((type) => `'${type}'`).join(', ');

/** `isNews` in SQL, over a `commitment_timeline` row. */
export const newsSql = (alias = '') => `${alias}event_type in (${NEWS_LIST})`;

/** A history in the order things happened; the revision orders what happened at the same instant. */
export const HISTORY_ORDER = (alias = '') => `${alias}occurred_at asc, ${alias}revision asc`;

/** `HISTORY_ORDER` for entries already read (a history folded as of a day). */
export const inHistoryOrder = (entries: readonly TimelineEntry[]): TimelineEntry[] =>
  [...entries].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || a.revision - b.revision);

/** The columns a summary shows: all but the search texts and their vector. */
const SUMMARY_COLUMNS = commitmentColumns
  .filter(([field]) => field !== 'searchText' && field !== 'searchHistory')
  .map(([, column]) => `c.${column}`)
  .join(', ');

const toView = (row: Record<string, unknown>): CommitmentView => fromRow(commitmentColumns, row);
const toEntry = (row: Record<string, unknown>): TimelineEntry => fromRow(timelineColumns, row);

export interface CommitmentFilters {
  /** Any of these (none: any status). */
  readonly status?: readonly CommitmentStatus[];
  /** The owner team, in any case. */
  readonly owner?: string;
  /** One of its topics, in any case. */
  readonly topic?: string;
  /** Made in or revisited in this session. */
  readonly session?: string;
  readonly q?: string;
  readonly overdue?: 'true' | 'false';
  /** Open and no news since before the stale cutoff. */
  readonly stale?: 'true' | 'false';
  readonly sort?: 'changed' | 'deadline' | 'made';
  readonly page: number;
  readonly pageSize: number;
}

/** The filters shown as lists of their values, each with how many commitments it would find. */
export const FACETS = ['status', 'owner', 'topic', 'session'] as const;
export type Facet = (typeof FACETS)[number];
/** The status facet lists every status, in the domain's order. */
export const STATUS_FACET_ORDER = COMMITMENT_STATUSES;
export interface FacetOption {
  readonly value: string;
  /** Commitments with this value that match every other active filter. */
  readonly count: number;
}
/** Every value known for each facet (a count may be 0 under the other filters), most first. */
export type Facets = Readonly<Record<Facet, readonly FacetOption[]>>;

/**
 * The rows a list reads: the live `commitments` table, or commitments as they stood on a past
 * day (`commitmentsAsOfSource`), so a past list is filtered, searched and counted by the same SQL.
 */
export interface CommitmentSource {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

export const LIVE_COMMITMENTS: CommitmentSource = { sql: 'select * from commitments', parameters: [] };

/** Views folded elsewhere (one JSON parameter, as `upsertRows` writes them), with their search vector. */
export function commitmentsAsOfSource(
  rows: readonly (CommitmentView & { readonly searchHistory: string })[],
  /** The number of the one parameter it takes, when others come before it. */
  parameterNumber = 1,
): CommitmentSource {
  const payload = JSON.stringify(
    rows.map((row) =>
      Object.fromEntries(
        commitmentColumns.map(([field, column]) => [column, field === 'searchText' ? searchTextOf(row) : row[field]]),
      ),
    ),
  );
  const columns = commitmentColumns.map(([, column, type]) => `${column} ${type}`).join(', ');
  return {
    sql: `select x.*, ${searchVectorSql('x.')} as search from jsonb_to_recordset($${parameterNumber}::jsonb) as x(${columns})`,
    parameters: [payload],
  };
}

/** The filters as SQL conditions over `c`, each on its own, with their parameters numbered after the source's. */
function conditionsOf(filters: CommitmentFilters, today: string, cutoff: string, values: unknown[]) {
  const parameter = (value: unknown) => `$${values.push(value)}`;
  const conditions: Partial<Record<Facet | 'q' | 'overdue' | 'stale', string>> = {};
  if (filters.status && filters.status.length > 0) conditions.status = `c.status = any(${parameter(filters.status)}::text[])`;
  if (filters.owner) conditions.owner = `lower(c.owner_team) = lower(${parameter(filters.owner)})`;
  if (filters.topic) {
    conditions.topic = `exists (select 1 from unnest(c.topics) as t(topic) where lower(t.topic) = lower(${parameter(filters.topic)}))`;
  }
  if (filters.session) {
    const session = parameter(filters.session);
    conditions.session = `(lower(c.session_id) = lower(${session}) or exists (select 1 from unnest(c.revisited_in) as r(id) where lower(r.id) = lower(${session})))`;
  }
  const query = filters.q ? searchQueryOf(filters.q) : null;
  if (query) conditions.q = searchSql(parameter(query), 'c.');
  if (filters.overdue !== undefined) {
    const overdue = overdueSql(parameter(today), 'c.');
    conditions.overdue = filters.overdue === 'true' ? overdue : `not coalesce(${overdue}, false)`;
  }
  if (filters.stale !== undefined) {
    const stale = staleSql(parameter(cutoff), 'c.');
    conditions.stale = filters.stale === 'true' ? stale : `not coalesce(${stale}, false)`;
  }
  return conditions;
}

const whereOf = (conditions: readonly (string | undefined)[]) => {
  const present = conditions.filter((condition) => condition !== undefined);
  return present.length > 0 ? present.join(' and ') : 'true';
};

/** Each facet's values in a row: a topic once however often it is listed, a session it was made or revisited in. */
const FACET_VALUES: Readonly<Record<Facet, string>> = {
  status: 'values (c.status)',
  owner: 'values (c.owner_team)',
  topic: 'select distinct unnest(c.topics)',
  session: 'select distinct unnest(array_prepend(c.session_id, c.revisited_in))',
};

const LIST_ORDER = {
  deadline: 'c.target_latest_date asc nulls last',
  made: 'c.session_date desc',
  changed: 'c.last_changed_at desc',
} as const;

/**
 * The page, its total and every facet in one statement, so all of them come from the same
 * snapshot. A facet counts with every filter but its own, as a list of choices should.
 */
export async function listCommitments(
  sql: Sql,
  filters: CommitmentFilters,
  today: string,
  /** `staleCutoff(today, months)`; the default period when not given. */
  cutoff: string = staleCutoff(today, DEFAULT_STALE_AFTER_MONTHS),
  source: CommitmentSource = LIVE_COMMITMENTS,
): Promise<{ rows: CommitmentView[]; total: number; facets: Facets }> {
  const { page, pageSize } = filters;
  const values: unknown[] = [...source.parameters];
  const conditions = conditionsOf(filters, today, cutoff, values);
  const all = whereOf(Object.values(conditions));
  const facet = (name: Facet) => {
    const others = whereOf(Object.entries(conditions).flatMap(([key, condition]) => (key === name ? [] : [condition])));
    return `(select coalesce(json_agg(json_build_object('value', f.value, 'count', f.count) order by f.count desc, f.value collate "C"), '[]'::json)
       from (select x.value, count(*) filter (where ${others}) as count
               from c cross join lateral (${FACET_VALUES[name]}) as x(value) group by x.value) as f) as ${name}_facet`;
  };
  const order = LIST_ORDER[filters.sort === 'deadline' || filters.sort === 'made' ? filters.sort : 'changed'];
  const limit = `$${values.push(pageSize)}`;
  const offset = `$${values.push((page - 1) * pageSize)}`;
  const [answer] = await sql<{ total: string; page: Record<string, unknown>[] } & Record<`${Facet}_facet`, FacetOption[]>>(
    `with c as not materialized (${source.sql})
     select (select count(*) from c where ${all}) as total,
            (select coalesce(json_agg(p), '[]'::json) from (
               select ${SUMMARY_COLUMNS} from c where ${all} order by ${order}, c.commitment_id asc limit ${limit} offset ${offset}
             ) as p) as page,
            ${FACETS.map(facet).join(', ')}`,
    values,
  );
  return {
    rows: answer!.page.map(toView),
    total: Number(answer!.total),
    facets: Object.fromEntries(FACETS.map((name) => [name, answer![`${name}_facet`]])) as unknown as Facets,
  };
}

/** The commitment and its timeline in the order things happened, in one statement. */
const GET_COMMITMENT = `
  select ${SUMMARY_COLUMNS},
         coalesce((select json_agg(t order by ${HISTORY_ORDER('t.')}) from commitment_timeline t
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

/** Every commitment's history, in the order things happened, by commitment: for exports. */
export async function allTimelines(sql: Sql): Promise<Map<string, TimelineEntry[]>> {
  const rows = await sql(`select t.* from commitment_timeline t order by t.commitment_id, ${HISTORY_ORDER('t.')}`);
  const timelines = new Map<string, TimelineEntry[]>();
  for (const row of rows) {
    const entry = toEntry(row);
    const list = timelines.get(entry.commitmentId) ?? [];
    list.push(entry);
    timelines.set(entry.commitmentId, list);
  }
  return timelines;
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

/** What a calendar follows: any of these commitments, teams (in any case) or topics (in any case); nothing listed is all. */
export interface TargetSet {
  readonly commitments?: readonly string[];
  readonly teams?: readonly string[];
  readonly topics?: readonly string[];
  /** Only those made in this session. */
  readonly session?: string;
}

/**
 * Open commitments with a target date, soonest first, each with how many times its window has
 * changed since it was made (re-targets, revisits with a new target, corrections of the target),
 * counted over its states after each event: a calendar's SEQUENCE.
 */
export async function openTargets(sql: Sql, set: TargetSet): Promise<(CommitmentView & { readonly targetChanges: number })[]> {
  const values: unknown[] = [];
  const parameter = (value: unknown) => `$${values.push(value)}`;
  const where = [openSql('c.'), 'c.target_latest_date is not null'];
  const any: string[] = [];
  if (set.commitments?.length) any.push(`c.commitment_id = any(${parameter(set.commitments)}::text[])`);
  if (set.teams?.length) any.push(`lower(c.owner_team) = any(${parameter(set.teams.map((team) => team.toLowerCase()))}::text[])`);
  if (set.topics?.length) {
    any.push(
      `exists (select 1 from unnest(c.topics) as t(topic) where lower(t.topic) = any(${parameter(set.topics.map((topic) => topic.toLowerCase()))}::text[]))`,
    );
  }
  if (any.length > 0) where.push(`(${any.join(' or ')})`);
  if (set.session) where.push(`c.session_id = ${parameter(set.session)}`);
  const rows = await sql(
    `select ${SUMMARY_COLUMNS},
            (select count(*) filter (where s.n > 1 and (s.earliest is distinct from s.previous_earliest
                                                        or s.latest is distinct from s.previous_latest))
               from (select target_earliest_date as earliest, target_latest_date as latest,
                            lag(target_earliest_date) over w as previous_earliest,
                            lag(target_latest_date) over w as previous_latest,
                            row_number() over w as n
                       from commitment_states where commitment_id = c.commitment_id
                     window w as (order by revision)) as s)::int as target_changes
       from commitments c where ${where.join(' and ')}
      order by c.target_latest_date asc, c.commitment_id asc`,
    values,
  );
  return rows.map((row) => ({ ...toView(row), targetChanges: Number(row.target_changes) }));
}
