import { chrono } from './chrono.js';
import type { DraftTarget } from './draft.js';

/**
 * Targets from the words around a promise, resolved against the session's day: a month said
 * without a year is its next occurrence from the session on, and fuzzy phrases become windows
 * (an earliest and a latest day, either null when the words allow none).
 */

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const NUMBER_WORDS: Readonly<Record<string, number>> = { a: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, couple: 2 };

const pad = (value: number) => String(value).padStart(2, '0');
const day = (year: number, month: number, date: number) => `${year}-${pad(month)}-${pad(date)}`;
const lastDayOf = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const endOfMonth = (year: number, month: number) => day(year, month, lastDayOf(year, month));
const parts = (iso: string) => iso.split('-').map(Number) as [number, number, number];
const addDays = (iso: string, days: number) => {
  const [year, month, date] = parts(iso);
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
};
/** The end of the month `months` after the session's month: "in a couple of months" is open until then. */
const endOfMonthsAfter = (iso: string, months: number) => {
  const [year, month] = parts(iso);
  const at = new Date(Date.UTC(year, month - 1 + months, 1));
  return endOfMonth(at.getUTCFullYear(), at.getUTCMonth() + 1);
};
/** The year of a month named without one: from the session's month on. */
const yearOfMonth = (sessionDate: string, month: number) => {
  const [year, sessionMonth] = parts(sessionDate);
  return month >= sessionMonth ? year : year + 1;
};

interface Window {
  readonly asSaid: string;
  readonly index: number;
  readonly earliestDate: string | null;
  readonly latestDate: string | null;
  readonly confidence: number;
}

type Rule = {
  readonly pattern: RegExp;
  readonly window: (match: RegExpExecArray, sessionDate: string) => Omit<Window, 'asSaid' | 'index'>;
};

const MONTH = `(${MONTHS.join('|')})`;
const YEAR = '(?:,?\\s+(\\d{4}))?';
const monthNumber = (name: string) => MONTHS.indexOf(name.toLowerCase()) + 1;
const yearOr = (sessionDate: string, month: number, said: string | undefined) =>
  said ? Number(said) : yearOfMonth(sessionDate, month);
const SEASONS: Readonly<Record<string, readonly [number, number]>> = {
  spring: [3, 5],
  summer: [6, 8],
  autumn: [9, 11],
  fall: [9, 11],
  winter: [12, 2],
};

/** Phrases chrono does not read as windows, tried first; the longest match at a place wins. */
const RULES: readonly Rule[] = [
  {
    // "January or February", "January or February 2021", "January and February"
    pattern: new RegExp(`\\b${MONTH}\\s+(?:or|and|to|through)\\s+${MONTH}${YEAR}`, 'gi'),
    window: (match, sessionDate) => {
      const first = monthNumber(match[1]!);
      const second = monthNumber(match[2]!);
      const firstYear = yearOr(sessionDate, first, match[3]);
      const secondYear = second < first ? firstYear + 1 : firstYear;
      return {
        earliestDate: day(firstYear, first, 1),
        latestDate: endOfMonth(secondYear, second),
        confidence: 0.8,
      };
    },
  },
  {
    // "mid-September", "by mid-September", "early March 2021", "by the end of March", "late 2023"
    pattern: new RegExp(`\\b(by\\s+|before\\s+|in\\s+)?(?:the\\s+)?(early|mid|late|end of)[-\\s]+${MONTH}${YEAR}`, 'gi'),
    window: (match, sessionDate) => {
      const by = /^(by|before)/i.test(match[1] ?? '');
      const part = match[2]!.toLowerCase();
      const month = monthNumber(match[3]!);
      const year = yearOr(sessionDate, month, match[4]);
      const last = lastDayOf(year, month);
      const [from, to] =
        part === 'early' ? [1, 10] : part === 'mid' ? [11, 20] : part === 'late' ? [21, last] : [Math.min(21, last), last];
      // "by" a point means no later than that point: the middle of a month is its 15th.
      const latest = by && part === 'mid' ? 15 : to;
      return {
        earliestDate: by ? null : day(year, month, from),
        latestDate: day(year, month, latest),
        confidence: 0.7,
      };
    },
  },
  {
    pattern: /\b(by|before|until)\s+the\s+end\s+of\s+(?:the|this)\s+year\b/gi,
    window: (_match, sessionDate) => ({ earliestDate: null, latestDate: `${parts(sessionDate)[0]}-12-31`, confidence: 0.8 }),
  },
  {
    pattern: /\b(?:later\s+this\s+year|this\s+year|(?:at|towards?|by)\s+the\s+end\s+of\s+(?:the|this)\s+year)\b/gi,
    window: (_match, sessionDate) => ({
      earliestDate: sessionDate,
      latestDate: `${parts(sessionDate)[0]}-12-31`,
      confidence: 0.7,
    }),
  },
  {
    pattern: /\bnext\s+year\b/gi,
    window: (_match, sessionDate) => {
      const year = parts(sessionDate)[0] + 1;
      return { earliestDate: `${year}-01-01`, latestDate: `${year}-12-31`, confidence: 0.7 };
    },
  },
  {
    pattern: /\b(?:by|before)\s+the\s+end\s+of\s+(?:the|this)\s+month\b/gi,
    window: (_match, sessionDate) => {
      const [year, month] = parts(sessionDate);
      return { earliestDate: null, latestDate: endOfMonth(year, month), confidence: 0.7 };
    },
  },
  {
    // "in the Spring", "spring 2021": northern seasons, as the notes' movement mostly means them
    pattern: /\b(?:(?:in|by|during|this|next)\s+(?:the\s+)?)(spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?(\d{4}))?\b/gi,
    window: (match, sessionDate) => {
      const [first, last] = SEASONS[match[1]!.toLowerCase()]!;
      const [sessionYear, sessionMonth] = parts(sessionDate);
      const year = match[2] ? Number(match[2]) : sessionMonth > (last < first ? last + 12 : last) ? sessionYear + 1 : sessionYear;
      const lastYear = last < first ? year + 1 : year;
      return { earliestDate: day(year, first, 1), latestDate: endOfMonth(lastYear, last), confidence: 0.5 };
    },
  },
  {
    // "in a couple of months", "in two weeks", "within a few weeks"
    pattern:
      /\b(?:in|within)\s+(?:the\s+next\s+)?(a|one|two|three|four|five|six|\d+|a\s+couple\s+of|a\s+few|several)\s+(weeks?|months?)\b/gi,
    window: (match, sessionDate) => {
      const amount = match[1]!
        .toLowerCase()
        .replace(/\s+of$/, '')
        .replace(/^a\s+/, '');
      const count = /^\d+$/.test(amount) ? Number(amount) : (NUMBER_WORDS[amount] ?? null);
      const weeks = match[2]!.toLowerCase().startsWith('week');
      if (count === null) return { earliestDate: sessionDate, latestDate: null, confidence: 0.4 };
      return {
        earliestDate: sessionDate,
        latestDate: weeks ? addDays(sessionDate, count * 7) : endOfMonthsAfter(sessionDate, count),
        confidence: 0.5,
      };
    },
  },
  {
    pattern:
      /\b(?:in\s+the\s+(?:coming|next\s+few)\s+(?:days|weeks|months)|as\s+soon\s+as\s+(?:we\s+can|possible|it\s+is\s+ready)|coming\s+soon|very\s+soon|soon|in\s+the\s+future|shortly)\b/gi,
    window: (_match, sessionDate) => ({ earliestDate: sessionDate, latestDate: null, confidence: 0.6 }),
  },
  {
    pattern:
      /\b(?:as\s+soon\s+as\s+the\s+(?:call|meeting|session)\s+ends|after\s+the\s+end\s+of\s+this\s+(?:call|meeting|session))\b/gi,
    window: (_match, sessionDate) => ({ earliestDate: sessionDate, latestDate: sessionDate, confidence: 0.7 }),
  },
];

const dateOf = (value: Date) => value.toISOString().slice(0, 10);

/** chrono's dates, widened to what they leave open: a month without a day is the whole month. */
function chronoWindows(sentence: string, sessionDate: string): Window[] {
  const reference = { instant: new Date(`${sessionDate}T12:00:00Z`), timezone: 0 };
  const { en } = chrono();
  return en.parse(sentence, reference, { forwardDate: true }).flatMap((result): Window[] => {
    // A duration ("1-2 weeks") or the present ("now") names no day of its own.
    if (/^(?:\d+|an?|one|two|few)\s*(?:days?|weeks?|months?|years?)$|^(?:now|right now|today|tonight)$/i.test(result.text.trim()))
      return [];
    const start = result.start;
    const before = sentence.slice(Math.max(0, result.index - 8), result.index);
    const by = /\b(by|before|until)\s+$/i.test(before);
    const asSaid = by ? `${before.match(/(by|before|until)\s+$/i)![0]}${result.text}` : result.text;
    const index = by ? result.index - before.match(/(by|before|until)\s+$/i)![0].length : result.index;
    const year = start.get('year')!;
    const month = start.get('month')!;
    if (start.isCertain('day')) {
      const on = dateOf(start.date());
      const until = result.end ? dateOf(result.end.date()) : on;
      return [{ asSaid, index, earliestDate: by ? null : on, latestDate: until, confidence: 0.85 }];
    }
    if (start.isCertain('month')) {
      const resolvedYear = start.isCertain('year') ? year : yearOfMonth(sessionDate, month);
      return [
        {
          asSaid,
          index,
          earliestDate: by ? null : day(resolvedYear, month, 1),
          latestDate: endOfMonth(resolvedYear, month),
          confidence: 0.8,
        },
      ];
    }
    if (start.isCertain('year') && /^(in\s+)?\d{4}$/i.test(result.text.trim())) {
      return [{ asSaid, index, earliestDate: by ? null : `${year}-01-01`, latestDate: `${year}-12-31`, confidence: 0.6 }];
    }
    return [];
  });
}

/**
 * The target a sentence names, or null. The first phrase wins when several overlap at a place;
 * a day before the session is no target (it tells what happened, not what was promised).
 */
export function targetIn(sentence: string, sessionDate: string | null): DraftTarget | null {
  if (sessionDate === null) return null;
  const found: Window[] = [];
  for (const rule of RULES) {
    for (const match of sentence.matchAll(rule.pattern)) {
      found.push({ asSaid: match[0].trim(), index: match.index, ...rule.window(match as RegExpExecArray, sessionDate) });
    }
  }
  const taken = (window: Window) =>
    found.some((other) => window.index < other.index + other.asSaid.length && other.index < window.index + window.asSaid.length);
  for (const window of chronoWindows(sentence, sessionDate)) if (!taken(window)) found.push(window);
  const ahead = found
    .filter((window) => (window.latestDate ?? '9999-12-31') >= sessionDate)
    .sort((a, b) => a.index - b.index || b.asSaid.length - a.asSaid.length);
  const first = ahead[0];
  if (!first) return null;
  // Hedged time ("probably around March") is still a target, held less surely.
  const hedged = /\b(probably|perhaps|maybe|around|roughly|about)\s*$/i.test(sentence.slice(0, first.index));
  return {
    asSaid: first.asSaid,
    earliestDate: first.earliestDate,
    latestDate: first.latestDate,
    confidence: Math.round((hedged ? first.confidence - 0.15 : first.confidence) * 100) / 100,
  };
}
