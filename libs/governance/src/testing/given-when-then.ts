import type { Decider, DomainCommand, DomainEvent } from '../shared/index.js';

type ErrorClass = new (...args: never[]) => Error;

/**
 * `given(history).when(command).then(events)` or `.thenThrows(ErrorClass, /sentence/)`:
 * folds the history with `evolve`, runs `decide`, and asserts on events, never on calls.
 */
export function specification<C extends DomainCommand, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  return {
    given: (history: readonly E[]) => ({
      when: (command: C) => {
        const decide = () => decider.decide(command, history.reduce(decider.evolve, decider.initialState));
        return {
          then: (expected: readonly E[]) => expect(decide()).toEqual(expected),
          thenThrows: (errorClass: ErrorClass, message?: RegExp) => {
            expect(decide).toThrow(errorClass);
            if (message) expect(decide).toThrow(message);
          },
          /** The state after the decided events: checks `evolve` agrees with `decide`. */
          thenState: (expected: S) => {
            const events = decide();
            expect([...history, ...events].reduce(decider.evolve, decider.initialState)).toEqual(expected);
          },
        };
      },
    }),
  };
}
