import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '#event-store';
import { commitmentStreamId, isDue, isNews, isOverdue, isStale } from '#governance';
import {
  allCommitments,
  applyToCommitmentView,
  getCommitment,
  inHistoryOrder,
  linksOf,
  listCommitments,
  type CommitmentView,
  type TimelineEntry,
} from '#read-models';
import { NotFoundError } from '../command-handling/errors.js';
import { READ_SQL, type ReadSql } from '#storage';
import { ReadingDays, type ReadingDay } from '../reading/reading-days.js';
import type {
  CommitmentDetailDto,
  CommitmentPageDto,
  CommitmentSummaryDto,
  ListCommitmentsQueryDto,
  TimelineEntryDto,
} from './commitment-read.dto.js';

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** Row or view, to the public shape; `overdue`, `due` and `stale` are derived from the day, never stored. */
export function toSummary(row: CommitmentView, day: ReadingDay): CommitmentSummaryDto {
  const window = { earliestDate: row.targetEarliestDate, latestDate: row.targetLatestDate };
  return {
    id: row.commitmentId,
    status: row.status,
    overdue: isOverdue(row.status, row.targetLatestDate, day.today),
    due: isDue(row.status, window, day.today),
    stale: isStale(row.status, row.lastNewsOn, day.staleSince),
    lastNewsOn: row.lastNewsOn,
    slipped: row.slipCount > 0,
    summary: row.summary,
    quote: row.quote,
    speaker: { name: row.speakerName, role: row.speakerRole },
    ownerTeam: row.ownerTeam,
    topics: [...row.topics],
    strength: row.strength,
    note: row.note,
    target: row.targetAsSaid === null ? null : { asSaid: row.targetAsSaid, ...window },
    firstTargetLatestDate: row.firstTargetLatestDate,
    madeIn: { id: row.sessionId, date: row.sessionDate },
    revisitedIn: [...row.revisitedIn],
    updateCount: row.updateCount,
    slipCount: row.slipCount,
    extensionCount: row.extensionCount,
    lateSlipCount: row.lateSlipCount,
    supersededBy: row.supersededBy,
    madeAt: iso(row.madeAt)!,
    closedAt: iso(row.closedAt),
    closedAtPrecision: row.closedAtPrecision,
    lastChangedAt: iso(row.lastChangedAt)!,
    revision: row.revision,
  };
}

function toTimelineEntry(entry: TimelineEntry): TimelineEntryDto {
  return {
    revision: entry.revision,
    type: entry.eventType,
    occurredAt: iso(entry.occurredAt)!,
    datePrecision: entry.datePrecision,
    recordedAt: iso(entry.recordedAt)!,
    actor: entry.actor,
    sessionId: entry.sessionId,
    text: entry.text,
    evidence: [...entry.evidence],
    news: isNews(entry.eventType),
    slip: entry.slip,
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
    @Inject(READ_SQL) private readonly sql: ReadSql,
    private readonly days: ReadingDays,
  ) {}

  async execute(): Promise<CommitmentSummaryDto[]> {
    const day = this.days.today();
    return (await allCommitments(this.sql)).map((row) => toSummary(row, day));
  }
}

@QueryHandler(ListCommitments)
export class ListCommitmentsHandler implements IQueryHandler<ListCommitments> {
  constructor(
    @Inject(READ_SQL) private readonly sql: ReadSql,
    private readonly days: ReadingDays,
  ) {}

  async execute({ filters }: ListCommitments): Promise<CommitmentPageDto> {
    const day = this.days.today();
    const page = filters.page ?? 1;
    const pageSize = filters.pageSize ?? 25;
    const { rows, total } = await listCommitments(this.sql, { ...filters, page, pageSize }, day.today, day.staleSince);
    return { items: rows.map((row) => toSummary(row, day)), total, page, pageSize, staleSince: day.staleSince };
  }
}

@QueryHandler(GetCommitment)
export class GetCommitmentHandler implements IQueryHandler<GetCommitment> {
  constructor(
    @Inject(READ_SQL) private readonly sql: ReadSql,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly days: ReadingDays,
  ) {}

  async execute({ commitmentId, asOf }: GetCommitment): Promise<CommitmentDetailDto> {
    if (asOf) return this.asOf(commitmentId, asOf);
    const found = await getCommitment(this.sql, commitmentId);
    if (!found) throw new NotFoundError({ resource: 'Commitment', id: commitmentId });
    const links = await linksOf(this.sql, commitmentId);
    return { ...toSummary(found.view, this.days.today()), links, timeline: found.timeline.map(toTimelineEntry) };
  }

  /** The past, from the stream itself: one stream read, folded up to the end of that day by either clock. */
  private async asOf(commitmentId: string, asOf: { date: string; clock: 'recorded' | 'occurred' }): Promise<CommitmentDetailDto> {
    const endOfDay = `${asOf.date}T23:59:59.999Z`;
    const history = await this.store.readStream(commitmentStreamId(commitmentId));
    if (history.length === 0) throw new NotFoundError({ resource: 'Commitment', id: commitmentId });
    let view: CommitmentView | null = null;
    const entries: TimelineEntry[] = [];
    for (const event of history) {
      const at = asOf.clock === 'recorded' ? event.metadata.recordedAt : event.metadata.occurredAt;
      if (new Date(at).toISOString() > endOfDay) continue;
      const applied = applyToCommitmentView(view, event);
      view = applied.view;
      if (applied.entry) entries.push(applied.entry);
    }
    if (!view)
      throw new NotFoundError(
        { resource: 'Commitment', id: commitmentId },
        asOf.clock === 'recorded'
          ? `Commitment ${commitmentId} had not been recorded by ${asOf.date}.`
          : `Commitment ${commitmentId} had not been made by ${asOf.date}.`,
      );
    const links = await linksOf(this.sql, commitmentId, asOf);
    return { ...toSummary(view, this.days.of(asOf.date)), links, timeline: inHistoryOrder(entries).map(toTimelineEntry), asOf };
  }
}
