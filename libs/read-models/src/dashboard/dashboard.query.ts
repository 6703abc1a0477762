import {
  DEFAULT_STALE_AFTER_MONTHS,
  figure,
  MINIMUM_SAMPLE_TO_RATE,
  staleCutoff,
  type CommitmentStatus,
  type DatePrecision,
} from '#governance';
import type { CommitmentView } from '../commitments/commitment-view.js';
import {
  closedTimingKnownSql,
  commitmentsAsOfSource,
  deliveredOnTimeSql,
  dueSql,
  newsSql,
  openSql,
  overdueSql,
  staleSql,
} from '../commitments/commitments.queries.js';
import type { Sql } from '../projection/projection.js';

export type TimeClock = 'recorded' | 'occurred';

export interface OpenCount {
  name: string;
  open: number;
}

/** How firm it was, from the commitment's current record (a state row does not keep it). */
const STRENGTH = `(select s.strength from commitments as s where s.commitment_id = c.commitment_id) as strength`;

/** Open commitments of one owner team, and how many of them are overdue, stale and due. */
export interface TeamCounts {
  name: string;
  open: number;
  overdue: number;
  stale: number;
  due: number;
}

export interface OverdueCommitment {
  id: string;
  summary: string;
  ownerTeam: string;
  strength: string;
  targetLatestDate: string;
  daysOverdue: number;
}

/** An open commitment with no news for longer than the stale period. */
export interface StaleCommitment {
  id: string;
  summary: string;
  ownerTeam: string;
  /** The day it was made (its session's day). */
  madeOn: string;
  lastNewsOn: string;
}

export interface UpcomingCommitment {
  id: string;
  summary: string;
  ownerTeam: string;
  strength: string;
  targetLatestDate: string;
  /** 0 when due today. */
  daysLeft: number;
}

export interface MonthCounts {
  /** `YYYY-MM` */
  month: string;
  /** Open at the end of the month: made by then and not closed by then. */
  open: number;
  /** Closed by the end of the month. */
  closed: number;
}

/** How far slipped targets moved in all, in days; `fromDays` and `toDays` inclusive, `toDays` null for no upper bound. */
export interface SlipSize {
  fromDays: number;
  toDays: number | null;
  count: number;
}

/** A commitment that changed lately, with the change that happened last. */
export interface RecentChange {
  id: string;
  summary: string;
  ownerTeam: string;
  strength: string;
  status: CommitmentStatus;
  eventType: string;
  /** The history line of that change, as on the commitment's page. */
  change: string;
  occurredAt: string;
  datePrecision: DatePrecision;
  recordedAt: string;
}

export interface Dashboard {
  /** The day the figures are for: today, or the `asOf` day. */
  today: string;
  asOf: { date: string; clock: TimeClock; includesLaterEvents: number } | null;
  totals: { all: number; open: number; closed: number; byStatus: Record<CommitmentStatus, number> };
  /** Open with today inside the target window; open with no news since before `staleSince`. */
  flags: { due: number; stale: number; staleSince: string; longestWithoutNews: StaleCommitment[] };
  openByOwnerTeam: OpenCount[];
  /** Open, overdue, stale and due per owner team: most overdue first, then most stale, then by name. */
  byTeam: TeamCounts[];
  openByTopic: OpenCount[];
  overdue: { count: number; mostOverdue: OverdueCommitment[] };
  upcoming: { within30Days: number; within90Days: number; nextDue: UpcomingCommitment[] };
  delivery: {
    closed: number;
    delivered: number;
    partiallyDelivered: number;
    /** Rates are null under this many: too few to rate. */
    minimumSample: number;
    deliveryRate: number | null;
    partialDeliveryRate: number | null;
    onTime: { withTarget: number; onTime: number; rate: number | null };
  };
  slips: {
    slipped: number;
    slippedMoreThanOnce: number;
    /** Commitments whose target was moved later while it still stood, and after it had passed. */
    extended: number;
    slippedLate: number;
    medianSlipDays: number | null;
    bySize: SlipSize[];
  };
  overTime: MonthCounts[];
  recentlyChanged: RecentChange[];
}

const LIST_SIZE = 10;

/**
 * Buckets of the total days a slipped commitment's target moved later. 0 days: every slip was to
 * a vaguer target with no date (still a slip), so it gets a bucket of its own.
 */
const SLIP_SIZES: readonly (readonly [fromDays: number, toDays: number | null])[] = [
  [0, 0],
  [1, 30],
  [31, 90],
  [91, 180],
  [181, 365],
  [366, null],
];
const slipSizeCounts = SLIP_SIZES.map(
  ([from, to], i) =>
    `'slipSize${i}', count(*) filter (where slip_count > 0 and slip_days >= ${from}${to === null ? '' : ` and slip_days <= ${to}`})`,
).join(',\n    ');
const OPEN = openSql();
const DELIVERED = `status in ('delivered', 'partially_delivered')`;
// Whether it closed by its target is known, unless it closed "no later than" a day after the target.
const TIMING_KNOWN = closedTimingKnownSql();
const OVERDUE = overdueSql('$1::date');
const STALE = staleSql('$3::date');
const DUE = dueSql('$1::date');
const COLUMNS =
  'commitment_id, status, owner_team, topics, summary, target_earliest_date, target_latest_date, made_at, closed_at, ' +
  'closed_at_precision, slip_days, slip_count, extension_count, late_slip_count, last_news_on';

const LIVE = `select ${COLUMNS}, null::timestamptz as latest_occurred_at from commitments`;

/**
 * Each commitment's state as of the bound ($2, exclusive) by one clock: the state after its
 * greatest revision stamped before the bound (the key, read backwards, gives this order).
 *
 * By recorded time this is exact: events are stamped when appended, so a stream's recorded
 * times follow its revisions and that state is what the tracker showed at the end of the day.
 *
 * By occurred time it is the state after the last event, in stream order, that occurred by
 * the end of the day: nothing that occurred by then is missed (all of it has a revision at or
 * below that one), but that state folds every earlier revision in stream order, including
 * any dated after the day. So when a backdated event is recorded after later-dated ones (a
 * 2021 delivery recorded after a 2022 revisit), the 2022 target and slip show as of 2021 too,
 * and the fold is never re-run in occurred order. `includesLaterEvents` counts the commitments
 * so affected. Corrections and links are dated when recorded, so by occurred time an
 * editorial fix counts only from the day it was made, unless such a backdated event pulls it in.
 */
const asOfSource = (clock: TimeClock) =>
  `select distinct on (commitment_id) ${COLUMNS}, latest_occurred_at from commitment_states
   where ${clock === 'recorded' ? 'recorded_at' : 'occurred_at'} < $2
   order by commitment_id desc, revision desc`;

const counts = `
  select json_build_object(
    'all', count(*),
    'announced', count(*) filter (where status = 'announced'),
    'in_progress', count(*) filter (where status = 'in_progress'),
    'delivered', count(*) filter (where status = 'delivered'),
    'partially_delivered', count(*) filter (where status = 'partially_delivered'),
    'dropped', count(*) filter (where status = 'dropped'),
    'superseded', count(*) filter (where status = 'superseded'),
    'split', count(*) filter (where status = 'split'),
    'overdue', count(*) filter (where ${OVERDUE}),
    'due', count(*) filter (where ${DUE}),
    'stale', count(*) filter (where ${STALE}),
    'within30Days', count(*) filter (where ${OPEN} and target_latest_date between $1::date and $1::date + 30),
    'within90Days', count(*) filter (where ${OPEN} and target_latest_date between $1::date and $1::date + 90),
    'deliveredWithTarget', count(*) filter (where ${DELIVERED} and target_latest_date is not null and ${TIMING_KNOWN}),
    'deliveredOnTime', count(*) filter (where ${deliveredOnTimeSql()}),
    'slipped', count(*) filter (where slip_count > 0),
    'extended', count(*) filter (where extension_count > 0),
    'slippedLate', count(*) filter (where late_slip_count > 0),
    'slippedMoreThanOnce', count(*) filter (where slip_count > 1),
    ${slipSizeCounts},
    'medianSlipDays', percentile_cont(0.5) within group (order by slip_days) filter (where slip_count > 0),
    'includesLaterEvents', count(*) filter (where latest_occurred_at >= $2)
  ) from c`;

// Names sort by code point, the same on every server.
const openBy = (name: string, from: string) => `
  select coalesce(json_agg(json_build_object('name', name, 'open', open) order by open desc, name collate "C"), '[]'::json)
  from (select ${name} as name, count(*) as open from ${from} where ${OPEN} group by ${name}) t`;

const byTeam = `
  select coalesce(json_agg(json_build_object('name', name, 'open', open, 'overdue', overdue, 'stale', stale, 'due', due)
                           order by overdue desc, stale desc, name collate "C"), '[]'::json)
  from (
    select owner_team as name, count(*) as open, count(*) filter (where ${OVERDUE}) as overdue,
           count(*) filter (where ${STALE}) as stale, count(*) filter (where ${DUE}) as due
    from c where ${OPEN} group by owner_team
  ) t`;

// The ten stale ones longest without news. Made on: the UTC day it was made.
const longestWithoutNews = `
  select coalesce(json_agg(t order by t."lastNewsOn", t.id collate "C"), '[]'::json)
  from (
    select commitment_id as id, summary, owner_team as "ownerTeam", to_char(made_at at time zone 'UTC', 'YYYY-MM-DD') as "madeOn",
           to_char(last_news_on, 'YYYY-MM-DD') as "lastNewsOn"
    from c where ${STALE}
    order by last_news_on, commitment_id collate "C" limit ${LIST_SIZE}
  ) t`;

const dueList = (where: string, days: string) => `
  select coalesce(json_agg(t order by t."targetLatestDate", t.id collate "C"), '[]'::json)
  from (
    select commitment_id as id, summary, owner_team as "ownerTeam", ${STRENGTH}, target_latest_date as "targetLatestDate", ${days}
    from c where ${OPEN} and ${where}
    order by target_latest_date, commitment_id collate "C" limit ${LIST_SIZE}
  ) t`;

// Running totals of made and closed per month, from the first commitment's month to today's, in one
// scan. From each commitment's current made_at and closed_at: a reopened one counts as open since it was made.
const overTime = `
  select coalesce(json_agg(json_build_object('month', to_char(month, 'YYYY-MM'), 'open', made - closed, 'closed', closed)
                           order by month), '[]'::json)
  from (
    with per_month as (
      select month, sum(n) filter (where by_closed = 0) as made, sum(n) filter (where by_closed = 1) as closed
      from (
        select grouping(made_month) as by_closed, coalesce(made_month, closed_month) as month, count(*) as n
        from (select date_trunc('month', made_at at time zone 'UTC') as made_month,
                     date_trunc('month', closed_at at time zone 'UTC') as closed_month from c) as x
        group by grouping sets ((made_month), (closed_month))
      ) as g
      where month is not null
      group by month
    )
    select m.month, sum(coalesce(e.made, 0)) over w as made, sum(coalesce(e.closed, 0)) over w as closed
    from generate_series((select min(month) from per_month), date_trunc('month', $1::date::timestamp), interval '1 month') as m(month)
    left join per_month as e on e.month = m.month
    window w as (order by m.month)
  ) t`;

const isoTime = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const recentColumns = `c.commitment_id as id, c.summary, c.owner_team as "ownerTeam", ${STRENGTH}, c.status, t.event_type as "eventType",
  t.text as change, ${isoTime('t.occurred_at')} as "occurredAt", t.date_precision as "datePrecision",
  ${isoTime('t.recorded_at')} as "recordedAt"`;

// Each commitment's latest news (never link or correction bookkeeping), newest first. Live: by
// recorded time, like the changes feed, so news of an old event counts. As of a day: the latest
// news stamped before the bound by that clock; by recorded time as of today it is the live answer.
const recentNews = (clock: TimeClock | null) => {
  const at = clock === 'occurred' ? 't.occurred_at' : 't.recorded_at';
  return `
  select coalesce(json_agg(r), '[]'::json) from (
    select ${recentColumns}
    from (
      select distinct on (t.commitment_id) t.* from commitment_timeline as t
      where ${newsSql('t.')}${clock === null ? '' : ` and ${at} < $2`}
      order by t.commitment_id, ${at} desc, t.revision desc
    ) as t
    join c on c.commitment_id = t.commitment_id
    order by ${at} desc, t.commitment_id collate "C" limit ${LIST_SIZE}
  ) r`;
};

const dashboardSql = (source: string, materialized: boolean, recent: string) => `
  with c as ${materialized ? 'materialized' : 'not materialized'} (${source})
  select
    (${counts}) as counts,
    (${openBy('owner_team', 'c')}) as by_owner,
    (${byTeam}) as by_team,
    (${longestWithoutNews}) as longest_without_news,
    (${openBy('topic', 'c cross join lateral (select distinct unnest(c.topics)) as x(topic)')}) as by_topic,
    (${dueList('target_latest_date < $1::date', '$1::date - target_latest_date as "daysOverdue"')}) as most_overdue,
    (${dueList('target_latest_date >= $1::date', 'target_latest_date - $1::date as "daysLeft"')}) as next_due,
    (${overTime}) as over_time,
    (${recent}) as recently_changed`;

interface Counts extends Record<CommitmentStatus, number> {
  all: number;
  overdue: number;
  due: number;
  stale: number;
  extended: number;
  slippedLate: number;
  within30Days: number;
  within90Days: number;
  deliveredWithTarget: number;
  deliveredOnTime: number;
  slipped: number;
  slippedMoreThanOnce: number;
  [slipSize: `slipSize${number}`]: number;
  medianSlipDays: number | null;
  includesLaterEvents: number;
}

interface Answer {
  counts: Counts;
  by_owner: OpenCount[];
  by_team: TeamCounts[];
  longest_without_news: StaleCommitment[];
  by_topic: OpenCount[];
  most_overdue: OverdueCommitment[];
  next_due: UpcomingCommitment[];
  over_time: MonthCounts[];
  recently_changed: RecentChange[];
}

/** A share to four decimals; null under the minimum sample (too few to rate). */
const rate = (part: number, whole: number) => figure(part, whole).rate;

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString();

/**
 * The dashboard in one statement, so every figure comes from the same snapshot, read live from
 * `commitments`. Overdue is derived here from `today`, never stored.
 */
export async function readDashboard(
  sql: Sql,
  today: string,
  /** `staleCutoff(today, months)`; the default period when not given. */
  cutoff: string = staleCutoff(today, DEFAULT_STALE_AFTER_MONTHS),
): Promise<Dashboard> {
  const [answer] = await sql<Answer>(dashboardSql(LIVE, false, recentNews(null)), [today, null, cutoff]);
  return toDashboard(answer!, today, cutoff, null);
}

/** The same figures as they stood at the end of `date` (UTC) by one clock, from `commitment_states`; stale as of that day. */
export async function readDashboardAsOf(
  sql: Sql,
  date: string,
  clock: TimeClock,
  cutoff: string = staleCutoff(date, DEFAULT_STALE_AFTER_MONTHS),
): Promise<Dashboard> {
  const [answer] = await sql<Answer>(dashboardSql(asOfSource(clock), true, recentNews(clock)), [date, nextDay(date), cutoff]);
  return toDashboard(answer!, date, cutoff, { date, clock });
}

/**
 * The same figures as of the end of `date` from commitments folded elsewhere (`CommitmentsAsOfFold`):
 * each stream without the events stamped after the day, so by occurred time nothing dated later
 * shows through (`includesLaterEvents` is 0), and the dashboard agrees with the past list and pages.
 */
export async function readDashboardAsOfViews(
  sql: Sql,
  date: string,
  clock: TimeClock,
  views: readonly (CommitmentView & { readonly searchHistory: string })[],
  cutoff: string = staleCutoff(date, DEFAULT_STALE_AFTER_MONTHS),
): Promise<Dashboard> {
  // $1 today, $2 the bound, $3 the stale cutoff, $4 the folded commitments.
  const folded = commitmentsAsOfSource(views, 4);
  const source = `select ${COLUMNS}, null::timestamptz as latest_occurred_at from (${folded.sql}) as folded`;
  const [answer] = await sql<Answer>(dashboardSql(source, true, recentNews(clock)), [
    date,
    nextDay(date),
    cutoff,
    ...folded.parameters,
  ]);
  return toDashboard(answer!, date, cutoff, { date, clock });
}

function toDashboard(
  answer: Answer,
  today: string,
  staleSince: string,
  asOf: { date: string; clock: TimeClock } | null,
): Dashboard {
  const { counts: n } = answer;
  const delivered = n.delivered + n.partially_delivered;
  const closed = delivered + n.dropped + n.superseded + n.split;
  return {
    today,
    asOf: asOf && { ...asOf, includesLaterEvents: n.includesLaterEvents },
    totals: {
      all: n.all,
      open: n.announced + n.in_progress,
      closed,
      byStatus: {
        announced: n.announced,
        in_progress: n.in_progress,
        delivered: n.delivered,
        partially_delivered: n.partially_delivered,
        dropped: n.dropped,
        superseded: n.superseded,
        split: n.split,
      },
    },
    flags: { due: n.due, stale: n.stale, staleSince, longestWithoutNews: answer.longest_without_news },
    openByOwnerTeam: answer.by_owner,
    byTeam: answer.by_team,
    openByTopic: answer.by_topic,
    overdue: { count: n.overdue, mostOverdue: answer.most_overdue },
    upcoming: { within30Days: n.within30Days, within90Days: n.within90Days, nextDue: answer.next_due },
    delivery: {
      closed,
      delivered: n.delivered,
      partiallyDelivered: n.partially_delivered,
      minimumSample: MINIMUM_SAMPLE_TO_RATE,
      deliveryRate: rate(n.delivered, closed),
      partialDeliveryRate: rate(n.partially_delivered, closed),
      onTime: {
        withTarget: n.deliveredWithTarget,
        onTime: n.deliveredOnTime,
        rate: rate(n.deliveredOnTime, n.deliveredWithTarget),
      },
    },
    slips: {
      slipped: n.slipped,
      slippedMoreThanOnce: n.slippedMoreThanOnce,
      extended: n.extended,
      slippedLate: n.slippedLate,
      medianSlipDays: n.medianSlipDays,
      bySize: SLIP_SIZES.map(([fromDays, toDays], i) => ({ fromDays, toDays, count: n[`slipSize${i}`] ?? 0 })),
    },
    overTime: answer.over_time,
    recentlyChanged: answer.recently_changed,
  };
}
