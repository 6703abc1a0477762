import type { ICalCalendar } from 'ical-generator';
import { ICalEventStatus } from 'ical-generator';
import type { UpcomingSessionView } from '#read-models';
import { printable } from '../feeds/feed-text.js';
import { dayInWords } from '../pages/words.js';

/**
 * How an announced session is told in feeds and calendars: one calendar event per session (its id
 * names it, SEQUENCE its plan's revision, so a calendar replaces its copy when it is rescheduled),
 * cancelled ones marked so, each linking to its brief.
 */

export const announcedEventId = (sessionId: string) => `session-${sessionId}@commitment-tracker`;

/** The brief of an announced session, as an address on the tracker. */
export const announcedBriefPath = (sessionId: string) => `/brief?${new URLSearchParams({ session: sessionId })}`;

export function announcementTitle(plan: Pick<UpcomingSessionView, 'title' | 'date' | 'status'>): string {
  const when = dayInWords(plan.date);
  switch (plan.status) {
    case 'scheduled':
      return `Upcoming: ${plan.title}, ${when}`;
    case 'held':
      return `Held: ${plan.title}, ${when}`;
    case 'cancelled':
      return `Cancelled: ${plan.title}, ${when}`;
  }
}

export function announcementText(
  plan: Pick<UpcomingSessionView, 'hosts' | 'teams' | 'status' | 'cancelReason'>,
  briefUrl: string,
): string {
  const hosts = `Hosts: ${plan.hosts.map((host) => (host.role ? `${host.name} (${host.role})` : host.name)).join('; ')}.`;
  const teams = plan.teams.length ? ` Teams to brief: ${plan.teams.join(', ')}.` : '';
  const cancelled = plan.status === 'cancelled' ? ` Cancelled: ${plan.cancelReason ?? ''}` : '';
  return `${hosts}${teams}${cancelled}\nThe brief: ${briefUrl}`;
}

/** An all-day event on the session's day for the announcement, and what to say in it. */
export function addAnnouncedEvent(
  calendar: ICalCalendar,
  plan: Pick<UpcomingSessionView, 'sessionId' | 'date' | 'title' | 'status' | 'revision'>,
  summary: string,
  description: string,
  url: string,
): void {
  const day = new Date(`${plan.date}T00:00:00Z`);
  calendar.createEvent({
    id: announcedEventId(plan.sessionId),
    sequence: plan.revision,
    start: day,
    end: new Date(day.getTime() + 86_400_000),
    allDay: true,
    status: plan.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    summary: printable(summary),
    description: printable(description),
    url,
  });
}
