import type { RecordedEvent } from '#event-store';
import { commitmentIdOfStream, type CommitmentEvent } from '#governance';
import { asRecorded } from '../projection/projection.js';
import { applyToCommitmentView, type CommitmentView, type TimelineEntry } from './commitment-view.js';
import { withHistoryWords } from './search-document.js';

export type AsOfClock = 'occurred' | 'recorded';

/** The first instant after the end of `day` (UTC): everything stamped before it belongs to that day or earlier. */
export const endOfDayBound = (day: string) => new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString();

/** An event belongs to the past view when its stamp on that clock comes before the bound. */
export const isBefore = (event: RecordedEvent, clock: AsOfClock, bound: string) =>
  new Date(clock === 'recorded' ? event.metadata.recordedAt : event.metadata.occurredAt).toISOString() < bound;

/** Every commitment as it stood at an instant, with what it takes to list, search and count it there. */
export interface CommitmentsAsOf {
  readonly views: readonly (CommitmentView & { readonly searchHistory: string })[];
  /** The revisits said by then, in log order: a session's record as it stood. */
  readonly revisits: readonly TimelineEntry[];
}

/**
 * Commitments as of an instant, folded from the log with the read model's own fold: each stream
 * in its own order, skipping the events stamped at or after the bound on the chosen clock. That is
 * exactly what one commitment's page shows for the same day and clock (it folds its one stream the
 * same way), so the past list, the past session record and each past commitment agree. It holds
 * one view per commitment (memory bounded by the number of commitments, not of events) and is fed
 * the log page by page.
 */
export class CommitmentsAsOfFold {
  private readonly views = new Map<string, CommitmentView>();
  private readonly histories = new Map<string, string>();
  private readonly revisits: TimelineEntry[] = [];

  constructor(
    private readonly clock: AsOfClock,
    private readonly bound: string,
  ) {}

  add(events: readonly RecordedEvent[]): void {
    for (const event of events) {
      const id = commitmentIdOfStream(event.streamId);
      if (id === null || !isBefore(event, this.clock, this.bound)) continue;
      const { view, entry } = applyToCommitmentView(this.views.get(id) ?? null, event);
      if (view) this.views.set(id, view);
      if (!entry) continue;
      this.histories.set(id, withHistoryWords(this.histories.get(id) ?? '', asRecorded<CommitmentEvent>(event)));
      if (entry.eventType === 'CommitmentRevisited') this.revisits.push({ ...entry, commitmentId: id });
    }
  }

  result(): CommitmentsAsOf {
    return {
      views: Array.from(this.views, ([id, view]) => ({ ...view, searchHistory: this.histories.get(id) ?? '' })),
      revisits: [...this.revisits],
    };
  }
}
