import { Global, Inject, Injectable, Module, type DynamicModule } from '@nestjs/common';
import { staleCutoff, type CalendarDate } from '#governance';
import { CLOCK, type Clock } from '../command-handling/clock.js';

const STALE_AFTER_MONTHS = Symbol('STALE_AFTER_MONTHS');

/** The day an answer is for, and what follows from it: news from `staleSince` on is recent. */
export interface ReadingDay {
  readonly today: CalendarDate;
  /** `staleCutoff(today, staleAfterMonths)`: an open commitment with no news since before this day is stale. */
  readonly staleSince: CalendarDate;
  readonly staleAfterMonths: number;
}

/** Today (from the one clock) or a past day, with its stale cutoff from the configured period (STALE_AFTER_MONTHS). */
@Injectable()
export class ReadingDays {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(STALE_AFTER_MONTHS) readonly staleAfterMonths: number,
  ) {}

  today(): ReadingDay {
    return this.of(this.clock.now().toISOString().slice(0, 10));
  }

  of(today: CalendarDate): ReadingDay {
    return { today, staleSince: staleCutoff(today, this.staleAfterMonths), staleAfterMonths: this.staleAfterMonths };
  }
}

@Global()
@Module({})
export class ReadingDaysModule {
  static forRoot(staleAfterMonths: number): DynamicModule {
    return {
      module: ReadingDaysModule,
      providers: [{ provide: STALE_AFTER_MONTHS, useValue: staleAfterMonths }, ReadingDays],
      exports: [ReadingDays],
    };
  }
}
