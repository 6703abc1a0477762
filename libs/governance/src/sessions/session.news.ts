import type { DomainEvent } from '../shared/index.js';
import type { SessionEvent } from './session.js';

type NewsRule = { readonly [Type in SessionEvent['type']]: (event: Extract<SessionEvent, { type: Type }>) => boolean };

/**
 * Which session events are news to those who follow it or a team it names: that it is announced,
 * that it moved to another day, that it is called off. A new title, other hosts or teams for the
 * same day are bookkeeping of the plan; its record as held and corrections of that record are the
 * record's (what is said there is news of its commitments). A new event type must say.
 */
const IS_NEWS: NewsRule = {
  SessionScheduled: () => true,
  SessionRescheduled: (event) => event.data.changes.date !== undefined,
  SessionCancelled: () => true,
  SessionRecorded: () => false,
  SessionCorrected: () => false,
};

/** News: announced, moved to another day, cancelled. */
export function isSessionNews(event: DomainEvent): boolean {
  const rule = (IS_NEWS as unknown as Readonly<Record<string, ((event: DomainEvent) => boolean) | undefined>>)[event.type];
  return rule !== undefined && rule(event);
}
