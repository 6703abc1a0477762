import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, LOG_START, type EventStore, type LogCursor } from '#event-store';
import { ProjectionPositions } from '#projector';
import { CommitmentsAsOfFold, endOfDayBound, type AsOfClock, type CommitmentsAsOf } from '#read-models';
import { CLOCK, type Clock } from '../command-handling/clock.js';
import { KeptAnswers } from '../dashboard/kept-answers.js';

export interface AsOf {
  readonly date: string;
  readonly clock: AsOfClock;
}

/** Events read from the log per page while folding the past. */
const LOG_PAGE = 2000;

/** Every commitment as it stood at the end of a day, by one clock: for the past list and the past session record. */
export class GetCommitmentsAsOf extends Query<CommitmentsAsOf> {
  constructor(
    readonly asOf: AsOf,
    /** False when the reader asked for a log position: then only an answer at least that recent will do. */
    readonly mayBeStale = false,
  ) {
    super();
  }
}

/**
 * One fold over the log up to the day (`CommitmentsAsOfFold`), kept per day and clock while the
 * commitments read model stays where it was, so readers paging or filtering a past list share it.
 */
@QueryHandler(GetCommitmentsAsOf)
export class GetCommitmentsAsOfHandler implements IQueryHandler<GetCommitmentsAsOf> {
  private readonly kept: KeptAnswers<CommitmentsAsOf>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly positions: ProjectionPositions,
    @Inject(CLOCK) clock: Clock,
  ) {
    this.kept = new KeptAnswers(() => clock.now().getTime());
  }

  execute({ asOf, mayBeStale }: GetCommitmentsAsOf): Promise<CommitmentsAsOf> {
    return this.kept.get({
      key: `${asOf.date} ${asOf.clock}`,
      mayBeStale,
      position: () => this.positions.current('commitments'),
      read: () => this.fold(asOf),
    });
  }

  private async fold(asOf: AsOf): Promise<CommitmentsAsOf> {
    const fold = new CommitmentsAsOfFold(asOf.clock, endOfDayBound(asOf.date));
    let after: LogCursor = LOG_START;
    for (;;) {
      const page = await this.store.readAll({ after, maxCount: LOG_PAGE });
      if (page.events.length === 0) break;
      fold.add(page.events);
      after = page.next;
    }
    return fold.result();
  }
}
