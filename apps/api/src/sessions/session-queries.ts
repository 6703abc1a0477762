import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { CommitmentEntity, SessionEntity, TimelineEntryEntity } from '#read-models';
import { CLOCK, type Clock } from '../command-handling/clock.js';
import { NotFoundError } from '../command-handling/errors.js';
import { DATABASE, type Database } from '#storage';
import { readModelQuery, type ReadModelQuery } from '#storage';
import type { CommitmentSummaryDto } from '../commitments/commitment-read.dto.js';
import { toSummary } from '../commitments/commitment-queries.js';
import {
  OUTCOMES,
  type Outcome,
  type RecordEntryDto,
  type SessionRecordDto,
  type SessionSummaryDto,
} from './session-read.dto.js';

/** What became of a commitment, in one word a community member can read. */
export function outcomeOf(commitment: CommitmentSummaryDto): Outcome {
  switch (commitment.status) {
    case 'delivered': {
      const late =
        commitment.target?.latestDate && commitment.closedAt && commitment.closedAt.slice(0, 10) > commitment.target.latestDate;
      return late ? 'delivered_late' : 'delivered';
    }
    case 'partially_delivered':
    case 'dropped':
    case 'superseded':
      return commitment.status;
    default:
      return commitment.overdue ? 'overdue' : 'open';
  }
}

export class ListSessions extends Query<SessionSummaryDto[]> {}

/** One session's details, or null: for pages that link to it. */
export class GetSession extends Query<SessionSummaryDto | null> {
  constructor(readonly sessionId: string) {
    super();
  }
}

// Asked on every commitment page: one prepared statement, no entity mapping.
const GET_SESSION = `
  select session_id as "sessionId", date::text as date, title, kind, hosts, source_url as "sourceUrl", revision,
         last_position as "lastPosition"
    from sessions
   where session_id = $1`;

@QueryHandler(GetSession)
export class GetSessionHandler implements IQueryHandler<GetSession> {
  private readonly sql: ReadModelQuery;

  constructor(dataSource: DataSource, @Inject(DATABASE) database: Database) {
    this.sql = readModelQuery(dataSource, database);
  }

  async execute({ sessionId }: GetSession): Promise<SessionSummaryDto | null> {
    const [session] = await this.sql<SessionEntity>(GET_SESSION, [sessionId]);
    return session ? toSessionSummary(session, 0, 0) : null;
  }
}

export class GetSessionRecord extends Query<SessionRecordDto> {
  constructor(readonly sessionId: string) {
    super();
  }
}

@QueryHandler(ListSessions)
export class ListSessionsHandler implements IQueryHandler<ListSessions> {
  constructor(@InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>) {}

  async execute(): Promise<SessionSummaryDto[]> {
    const rows = await this.sessions
      .createQueryBuilder('s')
      .addSelect('(select count(*) from commitments c where c.session_id = s.session_id)::int', 'made_count')
      .addSelect(
        `(select count(distinct t.commitment_id) from commitment_timeline t
           where t.session_id = s.session_id and t.event_type = 'CommitmentRevisited')::int`,
        'revisited_count',
      )
      .orderBy('s.date', 'DESC')
      .addOrderBy('s.session_id')
      .getRawAndEntities();
    return rows.entities.map((session, index) =>
      toSessionSummary(session, rows.raw[index].made_count as number, rows.raw[index].revisited_count as number),
    );
  }
}

@QueryHandler(GetSessionRecord)
export class GetSessionRecordHandler implements IQueryHandler<GetSessionRecord> {
  constructor(
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    @InjectRepository(CommitmentEntity) private readonly commitments: Repository<CommitmentEntity>,
    @InjectRepository(TimelineEntryEntity) private readonly timeline: Repository<TimelineEntryEntity>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ sessionId }: GetSessionRecord): Promise<SessionRecordDto> {
    const session = await this.sessions.findOneBy({ sessionId });
    if (!session) throw new NotFoundError(`Session ${sessionId} was not found.`);
    const today = this.clock.now().toISOString().slice(0, 10);
    const madeRows = await this.commitments.find({ where: { sessionId }, order: { commitmentId: 'ASC' } });
    const revisits = await this.timeline.find({
      where: { sessionId, eventType: 'CommitmentRevisited' },
      order: { commitmentId: 'ASC', revision: 'ASC' },
    });
    const revisitedRows = revisits.length
      ? await this.commitments.find({ where: { commitmentId: In([...new Set(revisits.map((entry) => entry.commitmentId))]) } })
      : [];
    const byId = new Map(revisitedRows.map((row) => [row.commitmentId, row]));
    const entry = (row: CommitmentEntity, said: string | null): RecordEntryDto => {
      const commitment = toSummary(row, today);
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
    };
  }
}

function toSessionSummary(session: SessionEntity, madeCount: number, revisitedCount: number): SessionSummaryDto {
  return {
    id: session.sessionId,
    date: session.date,
    title: session.title,
    kind: session.kind,
    hosts: session.hosts,
    sourceUrl: session.sourceUrl,
    madeCount,
    revisitedCount,
    revision: session.revision,
  };
}
