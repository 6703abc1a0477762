import type { CommitmentStatus } from '#governance';
import type { Sql } from '../projection/projection.js';

export type TimeClock = 'recorded' | 'occurred';

export interface OpenCount {
  name: string;
  open: number;
}

export interface OverdueCommitment {
  id: string;
  summary: string;
  ownerTeam: string;
  targetLatestDate: string;
  daysOverdue: number;
}

export interface UpcomingCommitment {
  id: string;
  summary: string;
  ownerTeam: string;
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

export interface Dashboard {
  /** The day the figures are for: today, or the `asOf` day. */
  today: string;
  asOf: { date: string; clock: TimeClock; includesLaterEvents: number } | null;
  totals: { all: number; open: number; closed: number; byStatus: Record<CommitmentStatus, number> };
  openByOwnerTeam: OpenCount[];
  openByTopic: OpenCount[];
  overdue: { count: number; mostOverdue: OverdueCommitment[] };
  upcoming: { within30Days: number; within90Days: number; nextDue: UpcomingCommitment[] };
  delivery: {
    closed: number;
    delivered: number;
    partiallyDelivered: number;
    deliveryRate: number | null;
    partialDeliveryRate: number | null;
    onTime: { withTarget: number; onTime: number; rate: number | null };
  };
  slips: { slipped: number; medianSlipDays: number | null };
  overTime: MonthCounts[];
}

const LIST_SIZE = 10;
const OPEN = `status in ('announced', 'in_progress')`;
const DELIVERED = `status in ('delivered', 'partially_delivered')`;
const COLUMNS =
  'commitment_id, status, owner_team, topics, summary, target_latest_date, made_at, closed_at, slip_days, slip_count';

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
    'overdue', count(*) filter (where ${OPEN} and target_latest_date < $1::date),
    'within30Days', count(*) filter (where ${OPEN} and target_latest_date between $1::date and $1::date + 30),
    'within90Days', count(*) filter (where ${OPEN} and target_latest_date between $1::date and $1::date + 90),
    'deliveredWithTarget', count(*) filter (where ${DELIVERED} and target_latest_date is not null),
    'deliveredOnTime', count(*) filter (where ${DELIVERED} and (closed_at at time zone 'UTC')::date <= target_latest_date),
    'slipped', count(*) filter (where slip_count > 0),
    'medianSlipDays', percentile_cont(0.5) within group (order by slip_days) filter (where slip_count > 0),
    'includesLaterEvents', count(*) filter (where latest_occurred_at >= $2)
  ) from c`;

// Names sort by code point, the same on every server.
const openBy = (name: string, from: string) => `
  select coalesce(json_agg(json_build_object('name', name, 'open', open) order by open desc, name collate "C"), '[]'::json)
  from (select ${name} as name, count(*) as open from ${from} where ${OPEN} group by ${name}) t`;

const dueList = (where: string, days: string) => `
  select coalesce(json_agg(t order by t."targetLatestDate", t.id collate "C"), '[]'::json)
  from (
    select commitment_id as id, summary, owner_team as "ownerTeam", target_latest_date as "targetLatestDate", ${days}
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

const dashboardSql = (source: string, materialized: boolean) => `
  with c as ${materialized ? 'materialized' : 'not materialized'} (${source})
  select
    (${counts}) as counts,
    (${openBy('owner_team', 'c')}) as by_owner,
    (${openBy('topic', 'c cross join lateral (select distinct unnest(c.topics)) as x(topic)')}) as by_topic,
    (${dueList('target_latest_date < $1::date', '$1::date - target_latest_date as "daysOverdue"')}) as most_overdue,
    (${dueList('target_latest_date >= $1::date', 'target_latest_date - $1::date as "daysLeft"')}) as next_due,
    (${overTime}) as over_time`;

interface Counts extends Record<CommitmentStatus, number> {
  all: number;
  overdue: number;
  within30Days: number;
  within90Days: number;
  deliveredWithTarget: number;
  deliveredOnTime: number;
  slipped: number;
  medianSlipDays: number | null;
  includesLaterEvents: number;
}

interface Answer {
  counts: Counts;
  by_owner: OpenCount[];
  by_topic: OpenCount[];
  most_overdue: OverdueCommitment[];
  next_due: UpcomingCommitment[];
  over_time: MonthCounts[];
}

/** A share to four decimals; null when there is nothing to divide by. */
const rate = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString();

/**
 * The dashboard in one statement, so every figure comes from the same snapshot, read live from
 * `commitments`. Overdue is derived here from `today`, never stored.
 */
export async function readDashboard(sql: Sql, today: string): Promise<Dashboard> {
  const [answer] = await sql<Answer>(dashboardSql(LIVE, false), [today, null]);
  return toDashboard(answer!, today, null);
}

/** The same figures as they stood at the end of `date` (UTC) by one clock, from `commitment_states`. */
export async function readDashboardAsOf(sql: Sql, date: string, clock: TimeClock): Promise<Dashboard> {
  const [answer] = await sql<Answer>(dashboardSql(asOfSource(clock), true), [date, nextDay(date)]);
  return toDashboard(answer!, date, { date, clock });
}

function toDashboard(answer: Answer, today: string, asOf: { date: string; clock: TimeClock } | null): Dashboard {
  const { counts: n } = answer;
  const delivered = n.delivered + n.partially_delivered;
  const closed = delivered + n.dropped + n.superseded;
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
      },
    },
    openByOwnerTeam: answer.by_owner,
    openByTopic: answer.by_topic,
    overdue: { count: n.overdue, mostOverdue: answer.most_overdue },
    upcoming: { within30Days: n.within30Days, within90Days: n.within90Days, nextDue: answer.next_due },
    delivery: {
      closed,
      delivered: n.delivered,
      partiallyDelivered: n.partially_delivered,
      deliveryRate: rate(n.delivered, closed),
      partialDeliveryRate: rate(n.partially_delivered, closed),
      onTime: {
        withTarget: n.deliveredWithTarget,
        onTime: n.deliveredOnTime,
        rate: rate(n.deliveredOnTime, n.deliveredWithTarget),
      },
    },
    slips: { slipped: n.slipped, medianSlipDays: n.medianSlipDays },
    overTime: answer.over_time,
  };
}
