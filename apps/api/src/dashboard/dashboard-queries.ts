import { BadRequestException, Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { readDashboard, readDashboardAsOf, type Sql, type TimeClock } from '#read-models';
import { CLOCK, type Clock } from '../command-handling/clock.js';
import { ProjectionPositions } from '../projector/projection-positions.js';
import type { DashboardDto } from './dashboard.dto.js';

const KEPT_ANSWERS = 16;
// Also bounds staleness where the position stays put, as when a rebuild swaps in tables at the same position.
const KEPT_FOR_MS = 5000;

export class GetDashboard extends Query<DashboardDto> {
  constructor(readonly asOf?: { readonly date: string; readonly clock: TimeClock }) {
    super();
  }
}

/**
 * Aggregates at request time. An answer depends only on the day and on how far its read model
 * has applied the log, so it is kept under those: a burst of reads between two changes costs one
 * query, and readers arriving while it runs share it.
 */
@QueryHandler(GetDashboard)
export class GetDashboardHandler implements IQueryHandler<GetDashboard> {
  private readonly sql: Sql = (text, parameters) => this.dataSource.query(text, parameters as unknown[]);
  private readonly answers = new Map<string, { readonly answer: Promise<DashboardDto>; readonly at: number }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly positions: ProjectionPositions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ asOf }: GetDashboard): Promise<DashboardDto> {
    const today = this.clock.now().toISOString().slice(0, 10);
    if (asOf && asOf.date > today) {
      const reason = `must not be after today (${today})`;
      throw new BadRequestException({ message: `asOf: ${reason}`, errors: [{ field: 'asOf', reason }] });
    }
    const projection = asOf ? 'commitment_states' : 'commitments';
    const key = `${projection}@${await this.positions.current(projection)} ${today} ${asOf?.date ?? ''} ${asOf?.clock ?? ''}`;
    return this.remembered(key, () =>
      asOf ? readDashboardAsOf(this.sql, asOf.date, asOf.clock) : readDashboard(this.sql, today),
    );
  }

  private remembered(key: string, read: () => Promise<DashboardDto>): Promise<DashboardDto> {
    const now = performance.now();
    const kept = this.answers.get(key);
    if (kept && now - kept.at < KEPT_FOR_MS) return kept.answer;
    const answer = read();
    this.answers.delete(key);
    this.answers.set(key, { answer, at: now });
    answer.catch(() => {
      if (this.answers.get(key)?.answer === answer) this.answers.delete(key);
    });
    if (this.answers.size > KEPT_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
    return answer;
  }
}
