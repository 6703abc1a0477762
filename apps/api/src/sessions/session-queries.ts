import { Inject } from '@nestjs/common';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '#event-store';
import { assertNever, deliveryTiming, sessionStreamId } from '#governance';
import {
  commitmentsById,
  commitmentsMadeIn,
  endOfDayBound,
  getSession,
  isBefore,
  listSessions,
  listUpcomingSessions,
  revisitsIn,
  type CommitmentView,
  type SessionView,
  type TimelineEntry,
  type UpcomingSessionView,
} from '#read-models';
import { figure, MINIMUM_SAMPLE_TO_RATE } from '#governance';
import { GetCommitmentsAsOf, type AsOf } from '../commitments/commitments-as-of.js';
import { NotFoundError } from '../command-handling/errors.js';
import { READ_SQL, type ReadSql } from '#storage';
import { ReadingDays } from '../reading/reading-days.js';
import type { CommitmentSummaryDto } from '../commitments/commitment-read.dto.js';
import { toSummary } from '../commitments/commitment-queries.js';
import { OUTCOMES, type Outcome } from './outcomes.js';
import type {
  RecordEntryDto,
  SessionRecordDto,
  SessionScorecardDto,
  SessionSummaryDto,
  UpcomingSessionDto,
} from './session-read.dto.js';
import { announcedBriefPath } from '../brief/announcements.js';

const timingOf = (c: CommitmentSummaryDto) =>
  deliveryTiming(c.status, c.closedAt?.slice(0, 10) ?? null, c.closedAtPrecision, c.target?.latestDate ?? null);

/** What became of a commitment, in one word a community member can read. */
export function outcomeOf(commitment: CommitmentSummaryDto): Outcome {
  switch (commitment.status) {
    case 'delivered': {
      // Known only to have closed no later than a day after its target: not counted as late.
      const late = timingOf(commitment) === 'late';
      return late ? 'delivered_late' : 'delivered';
    }
    case 'partially_delivered':
    case 'dropped':
    case 'superseded':
    case 'split':
      return commitment.status;
    case 'announced':
    case 'in_progress':
      return commitment.overdue ? 'overdue' : 'open';
    default:
      return assertNever(commitment.status);
  }
}

/**
 * What became of the promises made in a session, each count out of all made there. Stale counts
 * open ones with no news for too long, whatever their status; the delivery rate only from the minimum sample.
 */
export function scorecardOf(made: readonly CommitmentSummaryDto[]): SessionScorecardDto {
  const count = (test: (c: CommitmentSummaryDto) => boolean) => made.filter(test).length;
  const delivered = count((c) => c.status === 'delivered');
  const partiallyDelivered = count((c) => c.status === 'partially_delivered');
  return {
    promised: made.length,
    delivered,
    partiallyDelivered,
    deliveredOnTime: count((c) => timingOf(c) === 'on_time'),
    inProgress: count((c) => c.status === 'in_progress'),
    stillAnnounced: count((c) => c.status === 'announced'),
    stale: count((c) => c.stale),
    overdue: count((c) => c.overdue),
    dropped: count((c) => c.status === 'dropped'),
    superseded: count((c) => c.status === 'superseded'),
    minimumSample: MINIMUM_SAMPLE_TO_RATE,
    deliveryRate: figure(delivered + partiallyDelivered, made.length).rate,
  };
}

export class ListSessions extends Query<SessionSummaryDto[]> {}

/** The sessions announced before their day, latest day first; `status` keeps those still to come, held or cancelled. */
export class ListUpcomingSessions extends Query<UpcomingSessionDto[]> {
  constructor(readonly status?: UpcomingSessionDto['status']) {
    super();
  }
}

@QueryHandler(ListUpcomingSessions)
export class ListUpcomingSessionsHandler implements IQueryHandler<ListUpcomingSessions> {
  constructor(@Inject(READ_SQL) private readonly sql: ReadSql) {}

  async execute({ status }: ListUpcomingSessions): Promise<UpcomingSessionDto[]> {
    return (await listUpcomingSessions(this.sql, { status, limit: UPCOMING_LIST_LIMIT })).map(toUpcomingSession);
  }
}

/** As many as the feeds of announced sessions list. */
export const UPCOMING_LIST_LIMIT = 100;

export function toUpcomingSession(plan: UpcomingSessionView): UpcomingSessionDto {
  return {
    id: plan.sessionId,
    date: plan.date,
    title: plan.title,
    hosts: [...plan.hosts],
    teams: [...plan.teams],
    status: plan.status,
    cancelReason: plan.cancelReason,
    revision: plan.revision,
    lastChangedAt: new Date(plan.lastChangedAt).toISOString(),
    brief: announcedBriefPath(plan.sessionId),
    record: plan.status === 'held' ? `/sessions/${encodeURIComponent(plan.sessionId)}` : null,
  };
}

/** One session's details, or null: for pages that link to it. */
export class GetSession extends Query<SessionSummaryDto | null> {
  constructor(readonly sessionId: string) {
    super();
  }
}

@QueryHandler(GetSession)
export class GetSessionHandler implements IQueryHandler<GetSession> {
  constructor(@Inject(READ_SQL) private readonly sql: ReadSql) {}

  async execute({ sessionId }: GetSession): Promise<SessionSummaryDto | null> {
    const session = await getSession(this.sql, sessionId);
    return session ? toSessionSummary(session, 0, 0) : null;
  }
}

export class GetSessionRecord extends Query<SessionRecordDto> {
  constructor(
    readonly sessionId: string,
    /** The record as it stood at the end of that day: what had been promised and revisited there by then, and what had become of it. */
    readonly asOf?: AsOf,
    readonly mayBeStale = false,
  ) {
    super();
  }
}

@QueryHandler(ListSessions)
export class ListSessionsHandler implements IQueryHandler<ListSessions> {
  constructor(@Inject(READ_SQL) private readonly sql: ReadSql) {}

  async execute(): Promise<SessionSummaryDto[]> {
    return (await listSessions(this.sql)).map(({ session, made, revisited }) => toSessionSummary(session, made, revisited));
  }
}

@QueryHandler(GetSessionRecord)
export class GetSessionRecordHandler implements IQueryHandler<GetSessionRecord> {
  constructor(
    @Inject(READ_SQL) private readonly sql: ReadSql,
    private readonly days: ReadingDays,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly queries: QueryBus,
  ) {}

  async execute({ sessionId, asOf, mayBeStale }: GetSessionRecord): Promise<SessionRecordDto> {
    const session = await getSession(this.sql, sessionId);
    if (!session) throw new NotFoundError({ resource: 'Session', id: sessionId });
    const day = asOf ? this.days.of(asOf.date) : this.days.today();
    let madeRows: CommitmentView[];
    let revisits: readonly TimelineEntry[];
    let revisitedRows: CommitmentView[];
    if (asOf) {
      await this.existedBy(sessionId, asOf);
      const past = await this.queries.execute(new GetCommitmentsAsOf(asOf, mayBeStale));
      madeRows = past.views
        .filter((view) => view.sessionId === sessionId)
        .sort((a, b) => (a.commitmentId < b.commitmentId ? -1 : 1));
      revisits = past.revisits
        .filter((visit) => visit.sessionId === sessionId)
        .sort((a, b) => (a.commitmentId < b.commitmentId ? -1 : a.commitmentId > b.commitmentId ? 1 : a.revision - b.revision));
      revisitedRows = past.views.filter((view) => revisits.some((visit) => visit.commitmentId === view.commitmentId));
    } else {
      madeRows = await commitmentsMadeIn(this.sql, sessionId);
      revisits = await revisitsIn(this.sql, sessionId);
      revisitedRows = revisits.length
        ? await commitmentsById(this.sql, [...new Set(revisits.map((entry) => entry.commitmentId))])
        : [];
    }
    const byId = new Map(revisitedRows.map((row) => [row.commitmentId, row]));
    const entry = (row: CommitmentView, said: string | null): RecordEntryDto => {
      const commitment = toSummary(row, day);
      return { commitment, outcome: outcomeOf(commitment), said };
    };
    const made = madeRows.map((row) => entry(row, null));
    const revisited = revisits
      .filter((visit) => byId.has(visit.commitmentId))
      .map((visit) => entry(byId.get(visit.commitmentId)!, visit.text));
    const outcomes = Object.fromEntries(
      OUTCOMES.map((outcome) => [outcome, made.filter((item) => item.outcome === outcome).length]),
    ) as Record<Outcome, number>;
    return {
      ...toSessionSummary(session, made.length, new Set(revisits.map((visit) => visit.commitmentId)).size),
      made,
      revisited,
      outcomes,
      scorecard: scorecardOf(made.map((item) => item.commitment)),
      ...(asOf ? { asOf } : {}),
    };
  }

  /** A session looked at before it happened (or before the tracker learned of it) says so in words: one stream read. */
  private async existedBy(sessionId: string, asOf: AsOf): Promise<void> {
    const [first] = await this.store.readStream(sessionStreamId(sessionId), { maxCount: 1 });
    if (!first || isBefore(first, asOf.clock, endOfDayBound(asOf.date))) return;
    throw new NotFoundError(
      { resource: 'Session', id: sessionId },
      asOf.clock === 'recorded'
        ? `The tracker had not yet learned of this session by ${asOf.date}: it was first recorded on ${first.metadata.recordedAt.slice(0, 10)}.`
        : `This session had not happened by ${asOf.date}: it took place on ${first.metadata.occurredAt.slice(0, 10)}.`,
    );
  }
}

function toSessionSummary(session: SessionView, madeCount: number, revisitedCount: number): SessionSummaryDto {
  return {
    id: session.sessionId,
    date: session.date,
    title: session.title,
    kind: session.kind,
    hosts: [...session.hosts],
    sourceUrl: session.sourceUrl,
    madeCount,
    revisitedCount,
    revision: session.revision,
  };
}
