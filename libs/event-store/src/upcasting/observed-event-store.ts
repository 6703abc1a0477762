import { delegatingTo } from '../delegating-event-store.js';
import type { EventStore } from '../event-store.js';

/** Told how long each append took, in seconds, and whether it was written or refused. */
export type AppendObserver = (seconds: number, outcome: 'ok' | 'error', operation: 'append' | 'appendMany') => void;

/** The store with its appends timed; reads go through untouched. */
export function observedEventStore(store: EventStore, observe: AppendObserver): EventStore {
  const timed = async <T>(operation: 'append' | 'appendMany', work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      const result = await work();
      observe((performance.now() - started) / 1000, 'ok', operation);
      return result;
    } catch (error) {
      observe((performance.now() - started) / 1000, 'error', operation);
      throw error;
    }
  };
  return {
    ...delegatingTo(store),
    append: (streamId, events, expectedRevision) => timed('append', () => store.append(streamId, events, expectedRevision)),
    appendMany: (appends) => timed('appendMany', () => store.appendMany(appends)),
  };
}
