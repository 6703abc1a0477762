import type { NotesSpan } from './draft.js';

/**
 * The shape published notes share, whatever their wording: an opening, sections under short
 * headings, questions as bulleted or numbered lines, and answers below them, often prefixed by
 * the answerer's name ("Patrick: …", "Amanda (General Counsel): …"). Plain text as copied from
 * the page, or the page's wikitext (`== Heading ==`, `*`/`#`/`:` lists, `'''Name:'''`).
 * Every piece keeps its offsets into the notes as given.
 */

export type NotesFormat = 'text' | 'wikitext';

export interface NamePrefix {
  readonly name: string;
  readonly role: string | null;
}

export interface NotesLine {
  readonly kind: 'heading' | 'question' | 'answer' | 'opening';
  /** The line's words after its bullet, number and name prefix. */
  readonly body: NotesSpan;
  readonly prefix: NamePrefix | null;
  readonly section: string | null;
  /** For an answer: the question it answers. */
  readonly question: NotesSpan | null;
}

export interface NotesStructure {
  readonly format: NotesFormat;
  readonly title: NotesSpan | null;
  /** The text before the first question: who hosts, when, where the notes are published. */
  readonly opening: NotesSpan;
  readonly lines: readonly NotesLine[];
}

const WIKITEXT = /^\s*={2,}[^=\n]+={2,}\s*$|'''|\[\[|\{\{/m;
const WIKI_HEADING = /^\s*(={2,})\s*(.+?)\s*\1\s*$/;
const MARKER = /^[ \t]*(?:[•●◦▪‣*#;:\-–]+[ \t]*|\(?\d{1,3}[.)][ \t]*|q(?:uestion)?\s*\d*\s*[:.][ \t]*)/i;
const ANSWER_MARKER = /^[ \t]*(?::+|a(?:nswer)?\s*[:.])[ \t]*/i;
const QUESTION_LABEL = /^[ \t]*q(?:uestion)?\s*\d*\s*[:.]/i;
// A person's name (1–4 capitalised words, "Addison Bryant/Barkeep49"), an optional role in brackets, a colon.
const NAME = String.raw`[A-Z][\p{L}'’.-]*(?:[ /][A-Z0-9][\p{L}\d'’.-]*){0,3}`;
const PREFIX = new RegExp(
  String.raw`^(?:'''|\*\*)?(?:From (?:the )?(?<from>[A-Z][\p{L}&' ]{2,60})|(?<name>${NAME})(?:\s*[[(](?<role>[^\])\n]{1,120})[\])])?)(?:'''|\*\*)?\s*:(?:'''|\*\*)?\s+(?=\S)`,
  'u',
);
/** Words that start a line with a colon but name no one: "On the Code…:", "Note:". */
const NOT_A_NAME =
  /^(?:on|in|for|the|a|an|note|notes|update|edit|answer|question|re|see|also|from|about|regarding|summary|topic|q|a|first|second|third|fourth|finally|also|however|yes|no|overall|similarly|generally)$/i;

interface RawLine {
  readonly text: string;
  readonly start: number;
}

function splitLines(notes: string): RawLine[] {
  const lines: RawLine[] = [];
  let start = 0;
  for (const text of notes.split('\n')) {
    lines.push({ text: text.endsWith('\r') ? text.slice(0, -1) : text, start });
    start += text.length + 1;
  }
  return lines;
}

const span = (notes: string, start: number, end: number): NotesSpan => ({ text: notes.slice(start, end), start, end });

/** Leading and trailing blanks and wiki emphasis off a span, offsets kept. */
function trimmed(notes: string, start: number, end: number): NotesSpan {
  let from = start;
  let to = end;
  while (from < to && /\s/.test(notes[from]!)) from++;
  while (to > from && /\s/.test(notes[to - 1]!)) to--;
  return span(notes, from, to);
}

function namePrefixOf(text: string): { prefix: NamePrefix; length: number } | null {
  const match = PREFIX.exec(text);
  if (!match?.groups) return null;
  const { from, name, role } = match.groups;
  if (from) return { prefix: { name: from.trim(), role: null }, length: match[0].length };
  const words = name!.split(/[ /]/);
  if (NOT_A_NAME.test(words[0]!) || words.some((word) => /^(?:of|and|the|on)$/i.test(word))) return null;
  return { prefix: { name: name!, role: role?.trim() ?? null }, length: match[0].length };
}

/** A short line of its own, capitalised, without a sentence's end: "Board Elections 2022", "Questions and Answers". */
function isPlainHeading(line: RawLine, previous: RawLine | undefined, next: RawLine | undefined): boolean {
  const text = line.text.trim();
  if (text === '' || /^\s/.test(line.text) || MARKER.test(line.text)) return false;
  if (text.length > 80 || /[.?!:,;]$/.test(text) || !/^[\p{Lu}\d]/u.test(text)) return false;
  if (text.split(/\s+/).length > 10) return false;
  return (previous === undefined || previous.text.trim() === '') && next !== undefined;
}

const looksLikeQuestion = (marker: string, body: string) =>
  /\?/.test(body) || /\d/.test(marker) || QUESTION_LABEL.test(marker) || /^[ \t]*;/.test(marker);

export function notesStructure(notes: string): NotesStructure {
  const format: NotesFormat = WIKITEXT.test(notes) ? 'wikitext' : 'text';
  const raw = splitLines(notes);
  const lines: NotesLine[] = [];
  let title: NotesSpan | null = null;
  let section: string | null = null;
  let question: NotesSpan | null = null;
  let openingEnd: number | null = null;

  raw.forEach((line, index) => {
    const text = line.text;
    if (text.trim() === '') return;
    const end = line.start + text.length;
    if (title === null) {
      const heading = WIKI_HEADING.exec(text);
      title = heading
        ? trimmed(notes, line.start + text.indexOf(heading[2]!), line.start + text.indexOf(heading[2]!) + heading[2]!.length)
        : trimmed(notes, line.start, end);
      if (!heading || format === 'text') return;
    }
    const wikiHeading = WIKI_HEADING.exec(text);
    if (wikiHeading || (format === 'text' && isPlainHeading(line, raw[index - 1], raw[index + 1]))) {
      const words = wikiHeading ? wikiHeading[2]! : text.trim();
      const at = line.start + text.indexOf(words);
      section = words;
      question = null;
      lines.push({ kind: 'heading', body: span(notes, at, at + words.length), prefix: null, section, question: null });
      return;
    }
    const answerMarker = format === 'wikitext' ? ANSWER_MARKER.exec(text) : null;
    const marker = answerMarker ? null : MARKER.exec(text);
    const afterMarker = (answerMarker ?? marker)?.[0].length ?? 0;
    const named = namePrefixOf(text.slice(afterMarker).replace(/^[ \t]+/, ''));
    const leading = afterMarker + (text.slice(afterMarker).length - text.slice(afterMarker).replace(/^[ \t]+/, '').length);
    const bodyStart = line.start + leading + (named?.length ?? 0);
    const body = trimmed(notes, bodyStart, end);
    if (body.text === '') return;
    if (marker && looksLikeQuestion(marker[0], body.text)) {
      openingEnd ??= line.start;
      question = trimmed(notes, line.start + marker[0].length, end);
      lines.push({ kind: 'question', body, prefix: named?.prefix ?? null, section, question: null });
      return;
    }
    const kind = openingEnd === null && question === null ? 'opening' : 'answer';
    lines.push({ kind, body, prefix: named?.prefix ?? null, section, question });
  });
  const openingStop = openingEnd ?? notes.length;
  return { format, title, opening: span(notes, 0, openingStop), lines };
}

/** Sentence ends that are not: "e.g.", "Dr.", initials, numbered lists' "1.". */
const ABBREVIATION = /(?:\b(?:e\.g|i\.e|etc|vs|mr|mrs|ms|dr|st|no|approx|cf|incl)|\b[A-Z]|^\d{1,2})\.$/i;

/** The sentences of a span, each with its offsets into the notes. */
export function sentencesOf(notes: string, within: NotesSpan): NotesSpan[] {
  const sentences: NotesSpan[] = [];
  const text = within.text;
  const boundary = /[.!?…]+["”’)\]]*(?=\s+(?:[\p{Lu}\d“"‘'([]|$)|$)/gu;
  let from = 0;
  for (const match of text.matchAll(boundary)) {
    const stop = match.index + match[0].length;
    if (ABBREVIATION.test(text.slice(Math.max(from, stop - 8), stop)) && stop < text.length) continue;
    const sentence = trimmed(notes, within.start + from, within.start + stop);
    if (sentence.text !== '') sentences.push(sentence);
    from = stop;
  }
  const rest = trimmed(notes, within.start + from, within.end);
  if (rest.text !== '') sentences.push(rest);
  return sentences;
}
