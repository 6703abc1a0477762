import {
  isDue,
  isOpenStatus,
  isOverdue,
  isStale,
  staleCutoff,
  type CalendarDate,
  type CommitmentStatus,
  type DatePrecision,
} from '#governance';
import type { CommitmentView, TimelineEntry } from '#read-models';
import { dayInWords, targetInWords } from '../pages/words.js';

/**
 * The pre-session brief: for an upcoming session, per team, what to ask about. Pure: the rows
 * come from the read models, the day from the caller; every rule is the domain's (open, overdue,
 * due, stale, slipped) or the news definition of the read model (`lastNewsOn`, news entries).
 */

/** The brief's sections, in the order an item is placed: each item is listed once, in the first that applies. */
export const BRIEF_SECTIONS = ['overdue', 'due_before_next', 'slipped', 'stale', 'changed', 'revisited', 'open'] as const;
export type BriefSection = (typeof BRIEF_SECTIONS)[number];

export const BRIEF_SECTION_TITLES: Readonly<Record<BriefSection, string>> = {
  overdue: 'Overdue',
  due_before_next: 'Due before the next likely session',
  slipped: 'Slipped',
  stale: 'Stale: no news for a long time',
  changed: 'Changed since the last session',
  revisited: 'Revisited before, still open',
  open: 'Other open commitments',
};

/** A commitment's latest news: its history line, and the day it happened. */
export interface BriefNews {
  readonly on: CalendarDate;
  readonly text: string;
  readonly eventType: string;
  readonly datePrecision: DatePrecision;
}

export interface BriefItem {
  readonly id: string;
  readonly summary: string;
  readonly ownerTeam: string;
  readonly status: CommitmentStatus;
  readonly strength: string;
  readonly speaker: string;
  readonly madeIn: { readonly sessionId: string; readonly date: CalendarDate };
  readonly target: {
    readonly asSaid: string;
    readonly earliestDate: CalendarDate | null;
    readonly latestDate: CalendarDate | null;
  } | null;
  /** Derived on the session's day, as every page derives them on its reading day. */
  readonly overdue: boolean;
  readonly due: boolean;
  readonly stale: boolean;
  readonly slipCount: number;
  readonly extensionCount: number;
  readonly lateSlipCount: number;
  readonly revisitedIn: readonly string[];
  readonly lastNewsOn: CalendarDate;
  readonly lastNews: BriefNews | null;
  /** When the tracker last learned anything about it (a correction too): when the brief last changed. */
  readonly lastRecordedAt: string;
  /** The section it is listed in, and every section it qualifies for. */
  readonly section: BriefSection;
  readonly reasons: readonly BriefSection[];
  readonly askAbout: string;
}

export interface BriefTeam {
  readonly name: string;
  /** Open commitments of the team (closed ones appear only when they changed since the last session). */
  readonly open: number;
  readonly sections: readonly { readonly key: BriefSection; readonly title: string; readonly items: readonly BriefItem[] }[];
}

export interface Brief {
  readonly date: CalendarDate;
  readonly hosts: readonly string[];
  /** The session this brief is for, once it is recorded. */
  readonly sessionId: string | null;
  /** The session as announced before its day, when it was: its plan, and whether it is to come, held or cancelled. */
  readonly announced: BriefAnnouncement | null;
  readonly lastSession: { readonly id: string; readonly date: CalendarDate; readonly title: string } | null;
  readonly nextLikelySession: CalendarDate;
  /** How the next likely session's day was found. */
  readonly nextLikelyFrom: 'given' | 'usual_gap' | 'default_gap';
  readonly staleSince: CalendarDate;
  readonly staleAfterMonths: number;
  readonly teams: readonly BriefTeam[];
}

export interface BriefAnnouncement {
  readonly id: string;
  readonly title: string;
  readonly status: 'scheduled' | 'held' | 'cancelled';
  readonly cancelReason: string | null;
  /** The plan's revision: a calendar entry's SEQUENCE. */
  readonly revision: number;
  readonly lastChangedAt: string;
}

/** When fewer than two sessions are recorded there is no usual gap: a quarter. */
export const DEFAULT_SESSION_GAP_DAYS = 91;
const DAY_MS = 86_400_000;
const addDays = (date: CalendarDate, days: number): CalendarDate =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const daysBetween = (from: CalendarDate, to: CalendarDate) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

/** The next likely session: the session's day plus the median gap between the recorded sessions' days. */
export function nextLikelySession(
  date: CalendarDate,
  recordedDates: readonly CalendarDate[],
): { date: CalendarDate; from: 'usual_gap' | 'default_gap' } {
  const days = [...new Set(recordedDates)].sort();
  const gaps = days
    .slice(1)
    .map((day, index) => daysBetween(days[index]!, day))
    .sort((a, b) => a - b);
  if (gaps.length === 0) return { date: addDays(date, DEFAULT_SESSION_GAP_DAYS), from: 'default_gap' };
  const middle = Math.floor(gaps.length / 2);
  const median = gaps.length % 2 ? gaps[middle]! : Math.round((gaps[middle - 1]! + gaps[middle]!) / 2);
  return { date: addDays(date, median), from: 'usual_gap' };
}

/** Open, and its latest day falls on or after the session's day and before the next one. */
export const isDueBefore = (
  status: string,
  targetLatestDate: CalendarDate | null,
  day: CalendarDate,
  next: CalendarDate,
): boolean => isOpenStatus(status) && targetLatestDate !== null && day <= targetLatestDate && targetLatestDate < next;

const days = (count: number) => (count === 1 ? '1 day' : `${count} days`);
const times = (count: number) => (count === 1 ? 'once' : count === 2 ? 'twice' : `${count} times`);

/** The short question for the session, from the section the item is in. */
function askAbout(view: CommitmentView, section: BriefSection, day: CalendarDate, news: BriefNews | null): string {
  const target = targetInWords(
    view.targetAsSaid === null
      ? null
      : { asSaid: view.targetAsSaid, earliestDate: view.targetEarliestDate, latestDate: view.targetLatestDate },
  );
  switch (section) {
    case 'overdue':
      return `Its target, ${target}, passed ${days(daysBetween(view.targetLatestDate!, day))} before the session: is it still coming, and by when?`;
    case 'due_before_next':
      return `Due ${target}, before the next session: will it be ready in time?`;
    case 'slipped':
      return `Its target moved later ${times(view.slipCount)}, now ${target}: does this date hold?`;
    case 'stale':
      return `No news since ${dayInWords(view.lastNewsOn)}: where does it stand?`;
    case 'changed':
      if (!isOpenStatus(view.status))
        return `${news ? `${news.text} ` : ''}Is that the end of it, and where can people see the result?`;
      return `Since the last session: ${news ? news.text : 'news'} What is the next step?`;
    case 'revisited':
      return `Asked about in ${view.revisitedIn.length === 1 ? 'one session' : `${view.revisitedIn.length} sessions`} already and still open: what is left, and when?`;
    case 'open':
      return view.targetLatestDate === null ? 'No date was named: when can people expect it?' : `Due ${target}: is it on track?`;
  }
}

/** The sections a commitment qualifies for on the session's day. */
export function reasonsFor(
  view: CommitmentView,
  day: CalendarDate,
  next: CalendarDate,
  staleSince: CalendarDate,
  lastSessionDate: CalendarDate | null,
): BriefSection[] {
  const open = isOpenStatus(view.status);
  const checks: Readonly<Record<BriefSection, boolean>> = {
    overdue: isOverdue(view.status, view.targetLatestDate, day),
    due_before_next: isDueBefore(view.status, view.targetLatestDate, day, next),
    slipped: open && view.slipCount > 0,
    stale: isStale(view.status, view.lastNewsOn, staleSince),
    changed: lastSessionDate !== null && view.lastNewsOn > lastSessionDate && view.lastNewsOn <= day,
    revisited: open && view.revisitedIn.length > 0,
    open,
  };
  return BRIEF_SECTIONS.filter((section) => checks[section]);
}

export interface BriefInput {
  readonly date: CalendarDate;
  readonly hosts: readonly string[];
  readonly sessionId: string | null;
  readonly announced: BriefAnnouncement | null;
  readonly teams: readonly string[];
  readonly lastSession: Brief['lastSession'];
  readonly next: { readonly date: CalendarDate; readonly from: Brief['nextLikelyFrom'] };
  readonly staleAfterMonths: number;
  /** The teams' commitments: open ones, and closed ones whose news came after the last session. */
  readonly commitments: readonly CommitmentView[];
  /** Each commitment's latest news entry, by commitment id. */
  readonly lastNews: ReadonlyMap<string, TimelineEntry>;
}

const newsOf = (entry: TimelineEntry | undefined): BriefNews | null =>
  entry
    ? { on: entry.occurredAt.slice(0, 10), text: entry.text, eventType: entry.eventType, datePrecision: entry.datePrecision }
    : null;

export function buildBrief(input: BriefInput): Brief {
  const { date, next } = input;
  const staleSince = staleCutoff(date, input.staleAfterMonths);
  const lastDay = input.lastSession?.date ?? null;
  const teams = input.teams.map((name): BriefTeam => {
    // What was promised on the session's day or later did not exist before it.
    const own = input.commitments.filter(
      (view) => view.ownerTeam.toLowerCase() === name.toLowerCase() && view.sessionDate < date,
    );
    const items = own.flatMap((view): BriefItem[] => {
      const reasons = reasonsFor(view, date, next.date, staleSince, lastDay);
      if (reasons.length === 0) return [];
      const section = reasons[0]!;
      const news = newsOf(input.lastNews.get(view.commitmentId));
      const target =
        view.targetAsSaid === null
          ? null
          : { asSaid: view.targetAsSaid, earliestDate: view.targetEarliestDate, latestDate: view.targetLatestDate };
      return [
        {
          id: view.commitmentId,
          summary: view.summary,
          ownerTeam: view.ownerTeam,
          status: view.status,
          strength: view.strength,
          speaker: view.speakerName,
          madeIn: { sessionId: view.sessionId, date: view.sessionDate },
          target,
          overdue: isOverdue(view.status, view.targetLatestDate, date),
          due: isDue(view.status, target && { earliestDate: target.earliestDate, latestDate: target.latestDate }, date),
          stale: isStale(view.status, view.lastNewsOn, staleSince),
          slipCount: view.slipCount,
          extensionCount: view.extensionCount,
          lateSlipCount: view.lateSlipCount,
          revisitedIn: view.revisitedIn,
          lastNewsOn: view.lastNewsOn,
          lastNews: news,
          lastRecordedAt: view.lastRecordedAt,
          section,
          reasons,
          askAbout: askAbout(view, section, date, news),
        },
      ];
    });
    // Soonest deadline first within a section; no deadline last.
    const order = (item: BriefItem) => item.target?.latestDate ?? '9999-12-31';
    return {
      name: own[0]?.ownerTeam ?? name,
      open: own.filter((view) => isOpenStatus(view.status)).length,
      sections: BRIEF_SECTIONS.map((key) => ({
        key,
        title: BRIEF_SECTION_TITLES[key],
        items: items
          .filter((item) => item.section === key)
          .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      })),
    };
  });
  return {
    date,
    hosts: input.hosts,
    sessionId: input.sessionId,
    announced: input.announced,
    lastSession: input.lastSession,
    nextLikelySession: next.date,
    nextLikelyFrom: next.from,
    staleSince,
    staleAfterMonths: input.staleAfterMonths,
    teams,
  };
}

/** Every item of the brief, most pressing first: the revisit targets to offer first when the session is recorded. */
export const briefItems = (brief: Brief): BriefItem[] =>
  BRIEF_SECTIONS.flatMap((key) => brief.teams.flatMap((team) => team.sections.find((s) => s.key === key)?.items ?? []));
