import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { EVENT_STORE, type EventStore } from '#event-store';
import { commitmentStreamId, isOverdue } from '#governance';
import {
  applyToCommitmentView,
  CommitmentEntity,
  commitmentColumns,
  fromRow,
  overdueSql,
  timelineColumns,
  type CommitmentView,
  type TimelineEntry,
} from '#read-models';
import { CLOCK, type Clock } from '../command-handling/clock.js';
import { NotFoundError } from '../command-handling/errors.js';
import { DATABASE, type Database } from '#storage';
import { readModelQuery, type ReadModelQuery } from '#storage';
import type {
  CommitmentDetailDto,
  CommitmentPageDto,
  CommitmentSummaryDto,
  ListCommitmentsQueryDto,
  TimelineEntryDto,
} from './commitment-read.dto.js';

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** Row or view, to the public shape; `overdue` is derived from `today`, never stored. */
export function toSummary(row: CommitmentEntity | CommitmentView, today: string): CommitmentSummaryDto {
  return {
    id: row.commitmentId,
    status: row.status,
    overdue: isOverdue(row.status, row.targetLatestDate, today),
    slipped: row.slipCount > 0,
    summary: row.summary,
    quote: row.quote,
    speaker: { name: row.speakerName, role: row.speakerRole },
    ownerTeam: row.ownerTeam,
    topics: [...row.topics],
    strength: row.strength,
    note: row.note,
    target: row.targetAsSaid === null ? null : { asSaid: row.targetAsSaid, latestDate: row.targetLatestDate },
    firstTargetLatestDate: row.firstTargetLatestDate,
    madeIn: { id: row.sessionId, date: row.sessionDate },
    revisitedIn: [...row.revisitedIn],
    updateCount: row.updateCount,
    slipCount: row.slipCount,
    supersededBy: row.supersededBy,
    madeAt: iso(row.madeAt)!,
    closedAt: iso(row.closedAt),
    lastChangedAt: iso(row.lastChangedAt)!,
    revision: row.revision,
  };
}

function toTimelineEntry(entry: TimelineEntry): TimelineEntryDto {
  return {
    revision: entry.revision,
    type: entry.eventType,
    occurredAt: iso(entry.occurredAt)!,
    recordedAt: iso(entry.recordedAt)!,
    actor: entry.actor,
    sessionId: entry.sessionId,
    text: entry.text,
    evidence: [...entry.evidence],
  };
}

export class ListCommitments extends Query<CommitmentPageDto> {
  constructor(readonly filters: ListCommitmentsQueryDto) {
    super();
  }
}

export class GetCommitment extends Query<CommitmentDetailDto> {
  constructor(
    readonly commitmentId: string,
    readonly asOf?: { readonly date: string; readonly clock: 'recorded' | 'occurred' },
  ) {
    super();
  }
}

/** Every commitment, oldest session first: for exports. */
export class AllCommitments extends Query<CommitmentSummaryDto[]> {}

@QueryHandler(AllCommitments)
export class AllCommitmentsHandler implements IQueryHandler<AllCommitments> {
  constructor(
    @InjectRepository(CommitmentEntity) private readonly commitments: Repository<CommitmentEntity>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(): Promise<CommitmentSummaryDto[]> {
    const today = this.clock.now().toISOString().slice(0, 10);
    const rows = await this.commitments.find({ order: { sessionDate: 'ASC', commitmentId: 'ASC' } });
    return rows.map((row) => toSummary(row, today));
  }
}

/** The columns a summary shows: all but the search text and its vector. */
const SUMMARY_COLUMNS = commitmentColumns
  .filter(([field]) => field !== 'searchText')
  .map(([, column]) => `c.${column}`)
  .join(', ');

const LIST_ORDER = {
  deadline: 'c.target_latest_date asc nulls last',
  made: 'c.session_date desc',
  changed: 'c.last_changed_at desc',
} as const;

@QueryHandler(ListCommitments)
export class ListCommitmentsHandler implements IQueryHandler<ListCommitments> {
  private readonly sql: ReadModelQuery;

  constructor(
    dataSource: DataSource,
    @Inject(DATABASE) database: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.sql = readModelQuery(dataSource, database);
  }

  /** One statement: the page, each row carrying the total (counted once, by a sub-select). */
  async execute({ filters }: ListCommitments): Promise<CommitmentPageDto> {
    const today = this.clock.now().toISOString().slice(0, 10);
    const page = filters.page ?? 1;
    const pageSize = filters.pageSize ?? 25;
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
    const rows = await this.sql<Record<string, unknown>>(
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
          : Number((await this.sql<{ count: string }>(count, values.slice(0, -2)))[0]!.count);
    return { items: rows.map((row) => toSummary(fromRow(commitmentColumns, row), today)), total, page, pageSize };
  }
}

/** The commitment and its timeline, oldest first, in one statement. */
const GET_COMMITMENT = `
  select ${SUMMARY_COLUMNS},
         coalesce((select json_agg(t order by t.revision) from commitment_timeline t
                    where t.commitment_id = c.commitment_id), '[]') as timeline
    from commitments c
   where c.commitment_id = $1`;

@QueryHandler(GetCommitment)
export class GetCommitmentHandler implements IQueryHandler<GetCommitment> {
  private readonly sql: ReadModelQuery;

  constructor(
    dataSource: DataSource,
    @Inject(DATABASE) database: Database,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.sql = readModelQuery(dataSource, database);
  }

  async execute({ commitmentId, asOf }: GetCommitment): Promise<CommitmentDetailDto> {
    if (asOf) return this.asOf(commitmentId, asOf);
    const today = this.clock.now().toISOString().slice(0, 10);
    const [row] = await this.sql<Record<string, unknown> & { timeline: Record<string, unknown>[] }>(GET_COMMITMENT, [
      commitmentId,
    ]);
    if (!row) throw new NotFoundError(`Commitment ${commitmentId} was not found.`);
    const timeline = row.timeline.map((entry) => toTimelineEntry(fromRow(timelineColumns, entry)));
    return { ...toSummary(fromRow(commitmentColumns, row), today), timeline };
  }

  /** The past, from the stream itself: one stream read, folded up to the end of that day by either clock. */
  private async asOf(commitmentId: string, asOf: { date: string; clock: 'recorded' | 'occurred' }): Promise<CommitmentDetailDto> {
    const endOfDay = `${asOf.date}T23:59:59.999Z`;
    const history = await this.store.readStream(commitmentStreamId(commitmentId));
    if (history.length === 0) throw new NotFoundError(`Commitment ${commitmentId} was not found.`);
    let view: CommitmentView | null = null;
    const entries: TimelineEntry[] = [];
    for (const event of history) {
      const at = asOf.clock === 'recorded' ? event.metadata.recordedAt : event.metadata.occurredAt;
      if (new Date(at).toISOString() > endOfDay) continue;
      const applied = applyToCommitmentView(view, event);
      view = applied.view;
      if (applied.entry) entries.push(applied.entry);
    }
    if (!view) throw new NotFoundError(`Commitment ${commitmentId} had not been ${asOf.clock} by ${asOf.date}.`);
    return { ...toSummary(view, asOf.date), timeline: entries.map(toTimelineEntry), asOf };
  }
}
