import { BadRequestException, Inject } from '@nestjs/common';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { GetCommitmentsAsOf } from '../commitments/commitments-as-of.js';
import { readDashboard, readDashboardAsOf, readDashboardAsOfViews, type TimeClock } from '#read-models';
import { READ_SQL, type ReadSql } from '#storage';
import { CLOCK, type Clock } from '../command-handling/clock.js';
import { ProjectionPositions } from '#projector';
import { ReadingDays } from '../reading/reading-days.js';
import type { DashboardDto } from './dashboard.dto.js';
import { KeptAnswers } from './kept-answers.js';

export class GetDashboard extends Query<DashboardDto> {
  constructor(
    readonly asOf?: { readonly date: string; readonly clock: TimeClock },
    /** False when the reader asked for a log position: then only an answer at least that recent will do. */
    readonly mayBeStale = false,
  ) {
    super();
  }
}

/** Aggregates at request time; an answer is kept while it is fresh (`KeptAnswers`). */
@QueryHandler(GetDashboard)
export class GetDashboardHandler implements IQueryHandler<GetDashboard> {
  private readonly kept: KeptAnswers<DashboardDto>;

  constructor(
    @Inject(READ_SQL) private readonly sql: ReadSql,
    private readonly positions: ProjectionPositions,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly days: ReadingDays,
    private readonly queries: QueryBus,
  ) {
    this.kept = new KeptAnswers(() => this.clock.now().getTime());
  }

  async execute({ asOf, mayBeStale }: GetDashboard): Promise<DashboardDto> {
    const today = this.clock.now().toISOString().slice(0, 10);
    if (asOf && asOf.date > today) {
      const reason = `must not be after today (${today})`;
      throw new BadRequestException({ message: `asOf: ${reason}`, errors: [{ field: 'asOf', reason }] });
    }
    const projection = asOf ? 'commitment_states' : 'commitments';
    return this.kept.get({
      key: `${projection} ${today} ${asOf?.date ?? ''} ${asOf?.clock ?? ''}`,
      mayBeStale,
      position: () => this.positions.current(projection),
      read: () => (asOf ? this.readAsOf(asOf, mayBeStale) : readDashboard(this.sql, today, this.days.of(today).staleSince)),
    });
  }

  /**
   * By recorded time `commitment_states` is exact and one indexed statement. By occurred time it
   * would let later-dated events recorded earlier show through, so the commitments are folded
   * from the log as the past list folds them: the two agree, and nothing dated later counts.
   */
  private async readAsOf(asOf: { date: string; clock: TimeClock }, mayBeStale: boolean): Promise<DashboardDto> {
    const { staleSince } = this.days.of(asOf.date);
    if (asOf.clock === 'recorded') return readDashboardAsOf(this.sql, asOf.date, asOf.clock, staleSince);
    const { views } = await this.queries.execute(new GetCommitmentsAsOf(asOf, mayBeStale));
    return readDashboardAsOfViews(this.sql, asOf.date, asOf.clock, views, staleSince);
  }
}
