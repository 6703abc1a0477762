import { delegatingTo } from '../delegating-event-store.js';
import type { EventData, EventStore, RecordedEvent } from '../event-store.js';

/**
 * One schema change of one event type: how an event stored at `fromVersion` reads at the next
 * version. Pure. It may rename the type too (the registry then continues with the new type's chain).
 */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  upcast(event: { readonly type: string; readonly data: EventData }): { readonly type: string; readonly data: EventData };
}

/** Every event type's chain of upcasters, applied when events are read, never when written. */
export class UpcasterRegistry {
  private readonly byKey = new Map<string, Upcaster>();

  constructor(upcasters: readonly Upcaster[]) {
    for (const upcaster of upcasters) {
      if (!Number.isInteger(upcaster.fromVersion) || upcaster.fromVersion < 1) {
        throw new Error(`Upcaster for ${upcaster.type}: fromVersion must be an integer >= 1`);
      }
      const key = keyOf(upcaster.type, upcaster.fromVersion);
      if (this.byKey.has(key)) throw new Error(`Two upcasters for ${upcaster.type} v${upcaster.fromVersion}`);
      this.byKey.set(key, upcaster);
    }
  }

  /** The version new events of `type` are written at: one past its last upcaster. */
  currentVersion(type: string): number {
    let version = 1;
    while (this.byKey.has(keyOf(type, version))) version++;
    return version;
  }

  /** The event as the current code reads it; an event already current is returned as it is. */
  upcast(event: RecordedEvent): RecordedEvent {
    let { type, data } = event;
    let version = event.metadata.schemaVersion;
    for (let upcaster = this.byKey.get(keyOf(type, version)); upcaster; upcaster = this.byKey.get(keyOf(type, version))) {
      ({ type, data } = upcaster.upcast({ type, data }));
      version++;
    }
    if (version === event.metadata.schemaVersion) return event;
    return { ...event, type, data, metadata: { ...event.metadata, schemaVersion: version } };
  }
}

const keyOf = (type: string, version: number) => `${type}\u0000${version}`;

/**
 * The store as readers see it: every event read (a stream, the log, a subscription) is upcast
 * to its current version. Appends go through untouched; the stored events are never rewritten.
 */
export function upcastingEventStore(store: EventStore, registry: UpcasterRegistry): EventStore {
  const upcastAll = (events: readonly RecordedEvent[]) => events.map((event) => registry.upcast(event));
  return {
    ...delegatingTo(store),
    readStream: async (streamId, options) => upcastAll(await store.readStream(streamId, options)),
    readAll: async (options) => {
      const page = await store.readAll(options);
      return { ...page, events: upcastAll(page.events) };
    },
    subscribeToAll: (options) => store.subscribeToAll({ ...options, onEvents: (events) => options.onEvents(upcastAll(events)) }),
  };
}
