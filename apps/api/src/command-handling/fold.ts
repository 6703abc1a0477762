import type { Decider, DomainCommand, DomainEvent } from '#governance';
import type { RecordedEvent } from '#event-store';

/** A stream's events folded through a decider's `evolve`. */
export function fold<C extends DomainCommand, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  history: readonly Pick<RecordedEvent, 'type' | 'data'>[],
): S {
  return history.reduce(
    (state, event) => decider.evolve(state, { type: event.type, data: event.data } as unknown as E),
    decider.initialState,
  );
}
