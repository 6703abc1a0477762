import { UpcasterRegistry, type Upcaster } from '#event-store';

/**
 * Every change to a stored event's schema, oldest first: an upcaster per event type and version.
 * A released entry is never edited; a change is a new entry, and its v1 fixture in
 * test/fixtures/events-v1 must still load (test/event-schema-versions.int.spec.ts).
 * None yet: every event type is at version 1.
 */
const upcasters: readonly Upcaster[] = [];

export const eventSchemas = new UpcasterRegistry(upcasters);
