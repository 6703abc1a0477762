import { figure, MINIMUM_SAMPLE_TO_RATE, type CalendarDate, type DatePrecision, type SlipKind } from '#governance';
import { DAY_PRECISION_WORDS, STATUS_LABELS, type ShownStatus } from './templates/status.js';

/** What a page needs of a commitment to say its status and its news in words. */
interface Described {
  readonly status: ShownStatus;
  readonly overdue: boolean;
  readonly due: boolean;
  readonly stale: boolean;
  readonly lastNewsOn: CalendarDate;
  readonly madeIn: { readonly date: CalendarDate };
}

interface TargetWords {
  readonly asSaid: string;
  readonly earliestDate?: CalendarDate | null;
  readonly latestDate?: CalendarDate | null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const parts = (date: CalendarDate) => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month: MONTHS[month - 1]!, day };
};

/** 2021-02-28 → "28 Feb 2021". */
export const dayInWords = (date: CalendarDate) => {
  const { year, month, day } = parts(date);
  return `${day} ${month} ${year}`;
};

/** A target's days for a page: "by" or "on" and the last day, or the first and the last; each day with its date and words. */
export interface WindowParts {
  readonly lead: '' | 'by ' | 'on ';
  readonly from: { readonly date: CalendarDate; readonly text: string } | null;
  readonly to: { readonly date: CalendarDate; readonly text: string };
}

export function windowParts(target: TargetWords | null): WindowParts | null {
  if (!target?.latestDate) return null;
  const { earliestDate, latestDate } = target;
  const to = { date: latestDate, text: dayInWords(latestDate) };
  if (!earliestDate) return { lead: 'by ', from: null, to };
  if (earliestDate === latestDate) return { lead: 'on ', from: null, to };
  const start = parts(earliestDate);
  const sameYear = start.year === parts(latestDate).year;
  return {
    lead: '',
    from: { date: earliestDate, text: sameYear ? `${start.day} ${start.month}` : dayInWords(earliestDate) },
    to,
  };
}

/** The days a target allows, in words: "1 Jan – 28 Feb 2021", "on 7 Sep 2022", "by 15 Sep 2022"; null when it names none. */
export function windowInWords(target: TargetWords | null): string | null {
  const window = windowParts(target);
  return window && `${window.lead}${window.from ? `${window.from.text} – ` : ''}${window.to.text}`;
}

/** "January or February 2021 (1 Jan – 28 Feb 2021)"; the words alone when they name no day. */
export function targetInWords(target: TargetWords | null): string {
  if (!target) return 'No time was named';
  const window = windowInWords(target);
  return window ? `${target.asSaid} (${window})` : target.asSaid;
}

/**
 * The badges a commitment's status shows, the same on every page and list: its status word, then
 * overdue or due, then stale, each only where it applies.
 */
export function statusBadges(c: Described): { status: ShownStatus; label: string }[] {
  const shown: ShownStatus[] = [c.status];
  if (c.overdue) shown.push('overdue');
  else if (c.due) shown.push('due');
  if (c.stale) shown.push('stale');
  return shown.map((status) => ({ status, label: STATUS_LABELS[status] }));
}

/** The same, as text: "Announced, overdue, stale". */
export const statusInWords = (c: Described) =>
  statusBadges(c)
    .map(({ label }, index) => (index === 0 ? label : label.toLowerCase()))
    .join(', ');

/** "Announced 2020-12-10 · no news since 2022-08-18", or "… · no news since" then, when nothing came after. */
export const newsInWords = (c: Described) =>
  `Announced ${c.madeIn.date} · ${c.lastNewsOn > c.madeIn.date ? `no news since ${c.lastNewsOn}` : 'no news since then'}`;

/** "3 of 8 delivered (38%)"; under the minimum sample "1 of 1 delivered: too few to rate". */
export function figureInWords(count: number, of: number, what: string): string {
  const { rate } = figure(count, of);
  return rate === null
    ? `${count} of ${of} ${what}: too few to rate (fewer than ${MINIMUM_SAMPLE_TO_RATE})`
    : `${count} of ${of} ${what} (${Math.round(rate * 100)}%)`;
}

/**
 * How a closed commitment closed, in words, before its day: "delivered on", "dropped on",
 * "delivered no later than" when the notes give only the day it was known by.
 */
export const closedInWords = (status: ShownStatus, precision: DatePrecision): string =>
  `${STATUS_LABELS[status].toLowerCase()} ${DAY_PRECISION_WORDS[precision] || 'on '}`.trim();

export const SLIP_WORDS: Readonly<Record<SlipKind, string>> = {
  extension: 'an extension, announced before the old target had passed',
  late_slip: 'a late slip, announced after the old target had passed',
};

/** Everything the templates say in words, handed to every page. */
export const words = {
  day: dayInWords,
  target: targetInWords,
  window: windowParts,
  status: statusBadges,
  news: newsInWords,
  figure: figureInWords,
  slip: (kind: SlipKind | null) => (kind ? SLIP_WORDS[kind] : null),
};
