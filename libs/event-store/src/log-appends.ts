import { delegatingTo } from './delegating-event-store.js';
import type { EventStore } from './event-store.js';

/**
 * News, inside one process, that the log has grown: whatever follows the log (the projections)
 * wakes at once instead of at its next poll. Only a hint: followers still read the log itself,
 * and still poll, for appends made by other processes.
 */
export class LogAppends {
  private readonly listeners = new Set<(types: readonly string[]) => void>();

  /** `types`: the event types just appended, so a follower that reads none of them can sleep on. */
  announce(types: readonly string[]): void {
    for (const listener of [...this.listeners]) listener(types);
  }

  /** Calls `listener` after each append of this process; returns what stops it. */
  subscribe(listener: (types: readonly string[]) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}

/** The store, announcing each append once it has been written; everything else goes through untouched. */
export function announcingAppends(store: EventStore, appends: LogAppends): EventStore {
  return {
    ...delegatingTo(store),
    append: async (streamId, events, expectedRevision) => {
      const result = await store.append(streamId, events, expectedRevision);
      appends.announce(events.map((event) => event.type));
      return result;
    },
    appendMany: async (parts) => {
      const results = await store.appendMany(parts);
      appends.announce(parts.flatMap((part) => part.events.map((event) => event.type)));
      return results;
    },
  };
}
