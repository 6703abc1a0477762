import { BadRequestException, Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { readDashboard, readDashboardAsOf, type Sql, type TimeClock } from '#read-models';
import { CLOCK, type Clock } from '../command-handling/clock.js';
import { ProjectionPositions } from '#projector';
import type { DashboardDto } from './dashboard.dto.js';

const KEPT_ANSWERS = 16;
/**
 * The freshness bound: an answer no older than this may be served to a reader who did not ask
 * for a position, without asking how far the read model has got (its Cache-Control allows as
 * much). Past it, only an answer computed at the read model's current position is served. Also
 * bounds staleness where the position stays put, as when a rebuild swaps in tables at the same position.
 */
export const KEPT_FOR_MS = 5000;

export class GetDashboard extends Query<DashboardDto> {
  constructor(
    readonly asOf?: { readonly date: string; readonly clock: TimeClock },
    /** False when the reader asked for a log position: then only an answer at least that recent will do. */
    readonly mayBeStale = false,
  ) {
    super();
  }
}

interface Kept {
  readonly answer: Promise<DashboardDto>;
  /** The read model's checkpoint when the read began: the answer holds everything up to it. */
  readonly position: string;
  /** When the read began, by the api's clock. */
  readonly at: number;
  /** Order in which reads began (the clock may step back). */
  readonly order: number;
  done: boolean;
}

/**
 * Aggregates at request time. An answer depends only on the day and on how far its read model
 * has applied the log, so it is kept under those: a burst of reads between two changes costs one
 * query, and readers arriving while it runs share it. A reader that did not ask for a position
 * gets the latest answer to its question while that is under KEPT_FOR_MS old, without even
 * asking how far the read model has got (its Cache-Control allows as much). After that, while a
 * new answer is read, it gets the previous one only if that was computed at the current
 * position (stale while revalidating, never staler than the read model); otherwise it waits.
 */
@QueryHandler(GetDashboard)
export class GetDashboardHandler implements IQueryHandler<GetDashboard> {
  private readonly sql: Sql = (text, parameters) => this.dataSource.query(text, parameters as unknown[]);
  private readonly answers = new Map<string, Kept>();
  /** Per question (day, asOf) whatever the position: the latest answer read to the end. */
  private readonly latest = new Map<string, Kept>();
  private reads = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly positions: ProjectionPositions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ asOf, mayBeStale }: GetDashboard): Promise<DashboardDto> {
    const today = this.clock.now().toISOString().slice(0, 10);
    if (asOf && asOf.date > today) {
      const reason = `must not be after today (${today})`;
      throw new BadRequestException({ message: `asOf: ${reason}`, errors: [{ field: 'asOf', reason }] });
    }
    const projection = asOf ? 'commitment_states' : 'commitments';
    const question = `${projection} ${today} ${asOf?.date ?? ''} ${asOf?.clock ?? ''}`;
    const now = this.clock.now().getTime();
    // A clock that stepped back makes nothing fresh.
    const fresh = (kept: Kept) => now - kept.at >= 0 && now - kept.at < KEPT_FOR_MS;
    const recent = this.latest.get(question);
    if (mayBeStale && recent && fresh(recent)) return recent.answer;
    const position = await this.positions.current(projection);
    const key = `${position} ${question}`;
    let kept = this.answers.get(key);
    if (!kept || !fresh(kept)) {
      kept = this.read(key, position, question, now, () =>
        asOf ? readDashboardAsOf(this.sql, asOf.date, asOf.clock) : readDashboard(this.sql, today),
      );
    }
    if (kept.done || !mayBeStale) return kept.answer;
    // Stale while revalidating only at the same position: an answer from before a change is never served past the bound.
    return recent?.position === position ? recent.answer : kept.answer;
  }

  private read(key: string, position: string, question: string, now: number, read: () => Promise<DashboardDto>): Kept {
    const kept: Kept = { answer: read(), position, at: now, order: ++this.reads, done: false };
    this.answers.delete(key);
    this.answers.set(key, kept);
    kept.answer.then(
      () => {
        kept.done = true;
        // A read that started earlier but ended later does not replace a newer answer.
        if ((this.latest.get(question)?.order ?? -Infinity) > kept.order) return;
        this.latest.delete(question);
        this.latest.set(question, kept);
        if (this.latest.size > KEPT_ANSWERS) this.latest.delete(this.latest.keys().next().value!);
      },
      () => {
        if (this.answers.get(key) === kept) this.answers.delete(key);
      },
    );
    if (this.answers.size > KEPT_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
    return kept;
  }
}
