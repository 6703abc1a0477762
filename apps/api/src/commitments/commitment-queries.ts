import { Inject } from '@nestjs/common';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '#event-store';
import { commitmentStreamId, isDue, isNews, isOverdue, isStale } from '#governance';
import {
  allCommitments,
  allLinks,
  allTimelines,
  applyToCommitmentView,
  commitmentsAsOfSource,
  endOfDayBound,
  getCommitment,
  inHistoryOrder,
  isBefore,
  linksOf,
  listCommitments,
  STATUS_FACET_ORDER,
  type CommitmentView,
  type FacetOption,
  type Facets,
  type TimelineEntry,
} from '#read-models';
import { CLOCK, type Clock } from '../command-handling/clock.js';
import { NotFoundError } from '../command-handling/errors.js';
import { READ_SQL, type ReadSql } from '#storage';
import { ReadingDays, type ReadingDay } from '../reading/reading-days.js';
import type {
  CommitmentDetailDto,
  CommitmentPageDto,
  CommitmentSummaryDto,
  FacetOptionDto,
  FacetsDto,
  ListCommitmentsQueryDto,
  TimelineEntryDto,
  UnknownFilterDto,
} from './commitment-read.dto.js';
import { GetCommitmentsAsOf, type AsOf } from './commitments-as-of.js';
import { KeptAnswers } from '../dashboard/kept-answers.js';
import { ProjectionPositions } from '#projector';

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
  constructor(
    readonly filters: ListCommitmentsQueryDto,
    readonly asOf?: AsOf,
  ) {
    super();
  }
}

export class GetCommitment extends Query<CommitmentDetailDto> {
  constructor(
    readonly commitmentId: string,
    readonly asOf?: AsOf,
  ) {
    super();
  }
}

/** What a filter's values are called in a sentence. */
const FILTER_WORDS = {
  owner: { one: 'team', many: 'teams' },
  topic: { one: 'topic', many: 'topics' },
  session: { one: 'session with commitments', many: 'sessions with commitments' },
} as const;

const sameValue = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The options a list offers: every status; for the others, the values with a match and the chosen one. */
function facetsOf(facets: Facets, filters: ListCommitmentsQueryDto): FacetsDto {
  const chosen = (name: keyof typeof FILTER_WORDS, option: FacetOption) =>
    !!filters[name] && sameValue(filters[name], option.value);
  const counted = new Map(facets.status.map((option) => [option.value, option.count]));
  const optionsOf = (name: keyof typeof FILTER_WORDS): FacetOptionDto[] =>
    facets[name]
      .filter((option) => option.count > 0 || chosen(name, option))
      .map((option) => ({ ...option, selected: chosen(name, option) }));
  return {
    status: STATUS_FACET_ORDER.map((value) => ({
      value,
      count: counted.get(value) ?? 0,
      selected: filters.status?.includes(value) ?? false,
    })),
    owner: optionsOf('owner'),
    topic: optionsOf('topic'),
    session: optionsOf('session'),
  };
}

/** A filter naming a value no commitment has says so, with the values there are. */
function unknownFiltersOf(facets: Facets, filters: ListCommitmentsQueryDto): UnknownFilterDto[] {
  return (Object.keys(FILTER_WORDS) as (keyof typeof FILTER_WORDS)[]).flatMap((field) => {
    const value = filters[field];
    if (!value || facets[field].some((option) => sameValue(option.value, value))) return [];
    const known = facets[field].map((option) => option.value).sort((a, b) => a.localeCompare(b));
    const words = FILTER_WORDS[field];
    const message =
      known.length === 0
        ? `No ${words.one} called '${value}'; there are none yet.`
        : `No ${words.one} called '${value}'; ${words.many} are: ${known.join(', ')}.`;
    return [{ field, value, message }];
  });
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

/** Every commitment with its whole history and its links, oldest session first: the JSON export. */
export class AllCommitmentRecords extends Query<CommitmentDetailDto[]> {}

@QueryHandler(AllCommitmentRecords)
export class AllCommitmentRecordsHandler implements IQueryHandler<AllCommitmentRecords> {
  constructor(
    @Inject(READ_SQL) private readonly sql: ReadSql,
    private readonly days: ReadingDays,
  ) {}

  async execute(): Promise<CommitmentDetailDto[]> {
    const day = this.days.today();
    // Three reads, not one per commitment: the export holds every commitment.
    const [rows, timelines, links] = await Promise.all([allCommitments(this.sql), allTimelines(this.sql), allLinks(this.sql)]);
    return rows.map((row) => ({
      ...toSummary(row, day),
      links: links.get(row.commitmentId) ?? [],
      timeline: (timelines.get(row.commitmentId) ?? []).map(toTimelineEntry),
    }));
  }
}

/**
 * Reads the page, its total and its facets in one statement; answers are kept per question while
 * the read model stays where it was (`KeptAnswers`, as the dashboard keeps its own): the facets
 * count over every row, so a burst of the same list costs one read.
 */
@QueryHandler(ListCommitments)
export class ListCommitmentsHandler implements IQueryHandler<ListCommitments> {
  private readonly kept: KeptAnswers<CommitmentPageDto>;

  constructor(
    @Inject(READ_SQL) private readonly sql: ReadSql,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly days: ReadingDays,
    private readonly queries: QueryBus,
    private readonly positions: ProjectionPositions,
  ) {
    this.kept = new KeptAnswers(() => this.clock.now().getTime());
  }

  execute({ filters, asOf }: ListCommitments): Promise<CommitmentPageDto> {
    const day = asOf ? this.days.of(asOf.date) : this.days.today();
    const today = day.today;
    const { minPosition, ...question } = filters;
    return this.kept.get({
      key: JSON.stringify([today, asOf ?? null, question]),
      mayBeStale: minPosition === undefined,
      position: () => this.positions.current('commitments'),
      read: () => this.read(filters, day, asOf),
    });
  }

  private async read(filters: ListCommitmentsQueryDto, day: ReadingDay, asOf: AsOf | undefined): Promise<CommitmentPageDto> {
    const page = filters.page ?? 1;
    const pageSize = filters.pageSize ?? 25;
    // The past is folded from the log, then listed by the same SQL as today's rows.
    const source = asOf
      ? commitmentsAsOfSource((await this.queries.execute(new GetCommitmentsAsOf(asOf, filters.minPosition === undefined))).views)
      : undefined;
    const { rows, total, facets } = await listCommitments(
      this.sql,
      { ...filters, page, pageSize },
      day.today,
      day.staleSince,
      source,
    );
    return {
      items: rows.map((row) => toSummary(row, day)),
      total,
      page,
      pageSize,
      staleSince: day.staleSince,
      facets: facetsOf(facets, filters),
      unknown: unknownFiltersOf(facets, filters),
      ...(asOf ? { asOf } : {}),
    };
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
  private async asOf(commitmentId: string, asOf: AsOf): Promise<CommitmentDetailDto> {
    const bound = endOfDayBound(asOf.date);
    const history = await this.store.readStream(commitmentStreamId(commitmentId));
    if (history.length === 0) throw new NotFoundError({ resource: 'Commitment', id: commitmentId });
    let view: CommitmentView | null = null;
    const entries: TimelineEntry[] = [];
    for (const event of history) {
      if (!isBefore(event, asOf.clock, bound)) continue;
      const applied = applyToCommitmentView(view, event);
      view = applied.view;
      if (applied.entry) entries.push(applied.entry);
    }
    if (!view)
      throw new NotFoundError(
        { resource: 'Commitment', id: commitmentId },
        asOf.clock === 'recorded'
          ? `The tracker had not yet learned of this commitment by ${asOf.date}: it was first recorded on ${history[0]!.metadata.recordedAt.slice(0, 10)}.`
          : `This commitment had not been made by ${asOf.date}: it was made on ${history[0]!.metadata.occurredAt.slice(0, 10)}.`,
      );
    const links = await linksOf(this.sql, commitmentId, asOf);
    return { ...toSummary(view, this.days.of(asOf.date)), links, timeline: inHistoryOrder(entries).map(toTimelineEntry), asOf };
  }
}
