import type { EventStore } from './event-store.js';

/** Every part of `store` passed on as it is: a wrapper spreads it, then replaces the parts it changes. */
export function delegatingTo(store: EventStore): EventStore {
  return {
    atomicMultiStream: store.atomicMultiStream,
    append: (streamId, events, expectedRevision) => store.append(streamId, events, expectedRevision),
    appendMany: (appends) => store.appendMany(appends),
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    settled: (timeoutMs) => store.settled(timeoutMs),
    subscribeToAll: (options) => store.subscribeToAll(options),
    health: () => store.health(),
    close: () => store.close(),
  };
}
