import { chrono } from './chrono.js';
import type { SessionKind } from '#governance';
import type { DraftPerson, DraftSession, Guess } from './draft.js';
import type { NotesStructure } from './notes-structure.js';
import { sentencesOf } from './notes-structure.js';

/**
 * The session's date, title, kind, hosts and source link, from the notes' opening: the part
 * before the first question, where notes say who led the session, when, and where.
 */

const TITLE_WORDS = String.raw`(?:Vice[- ]President|President|Director|Manager|Lead|Head|Chief|General Counsel|Counsel|Executive|Chair(?:person)?|Trustee|Officer|CEO|CTO|CFO|COO|Senior|Principal|Specialist|Coordinator)`;
const PERSON = String.raw`[A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+){1,3}`;
const NAME_COMMA_ROLE = new RegExp(String.raw`(${PERSON}),\s+(?:the\s+|its\s+|our\s+)?(${TITLE_WORDS}\b[^,.;()]*)`, 'gu');
const NAME_BRACKET_ROLE = new RegExp(String.raw`(${PERSON})\s+\(([^)]*\b${TITLE_WORDS}\b[^)]*)\)`, 'gu');
/** Sentences about who led or answered, not who facilitated or took the notes. */
const HOSTING = /\b(?:led|hosted|hosting|hosts?|answer(?:ed|s)?|provided answers|presented|chaired|with)\b/i;
const NOT_HOSTING = /\b(?:facilitat\w*|notes were|prepared by|read out|took notes|note[- ]?takers?)\b/i;

const round = (value: number) => Math.round(value * 100) / 100;
const guess = <Value>(value: Value, confidence: number): Guess<Value> => ({ value, confidence: round(confidence) });

export function slug(text: string, maxLength = 60): string {
  const words = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  let out = '';
  for (const word of words) {
    if ((out ? out.length + 1 : 0) + word.length > maxLength) break;
    out = out ? `${out}-${word}` : word;
  }
  return out.length >= 2 ? out : `x${out}0`.slice(0, 3);
}

function hostsOf(notes: string, structure: NotesStructure): Guess<readonly DraftPerson[]> {
  const found = new Map<string, DraftPerson>();
  let leadFound = false;
  for (const sentence of sentencesOf(notes, structure.opening)) {
    if (!HOSTING.test(sentence.text) || NOT_HOSTING.test(sentence.text)) continue;
    for (const pattern of [NAME_COMMA_ROLE, NAME_BRACKET_ROLE]) {
      for (const match of sentence.text.matchAll(pattern)) {
        const name = match[1]!.replace(/^(?:Besides|With|And|By|Led by)\s+/i, '');
        if (!found.has(name)) found.set(name, { name, role: match[2]!.trim() });
        if (/\b(?:led|hosted)\b/i.test(sentence.text)) leadFound = true;
      }
    }
  }
  if (found.size > 0) return guess([...found.values()], leadFound ? 0.8 : 0.6);
  // No one introduced: whoever answers most, by their prefix.
  const counts = new Map<string, number>();
  for (const line of structure.lines)
    if (line.kind === 'answer' && line.prefix) counts.set(line.prefix.name, (counts.get(line.prefix.name) ?? 0) + 1);
  const [top] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  return top ? guess([{ name: top[0], role: null }], 0.3) : guess([{ name: 'Host not named in the notes', role: null }], 0);
}

function dateOf(notes: string, structure: NotesStructure): Guess<string | null> {
  const title = structure.title?.text ?? '';
  const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(title) ?? /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(structure.opening.text);
  if (iso) return guess(iso[0], iso.index !== undefined && title.includes(iso[0]) ? 0.95 : 0.8);
  const dated = chrono()
    .en.parse(`${title}\n${structure.opening.text}`, { instant: new Date('2000-01-01T12:00:00Z'), timezone: 0 })
    .find((result) => result.start.isCertain('day') && result.start.isCertain('year'));
  return dated ? guess(dated.start.date().toISOString().slice(0, 10), 0.7) : guess(null, 0);
}

function kindOf(text: string): Guess<SessionKind> {
  if (/\bconversation (?:hour|meeting)s?\b/i.test(text)) return guess('conversation_hour', 0.7);
  if (/\boffice hours?\b/i.test(text)) return guess('office_hour', 0.7);
  if (/\bboard\b[^.\n]{0,40}\b(?:q&a|questions)\b/i.test(text)) return guess('board_qa', 0.6);
  return guess('other', 0.3);
}

function sourceOf(notes: string, structure: NotesStructure): Guess<string | null> {
  const link = /https?:\/\/[^\s<>"'\])|]+/.exec(structure.opening.text) ?? /https?:\/\/[^\s<>"'\])|]+/.exec(notes);
  if (link) return guess(link[0].replace(/[.,;]+$/, ''), link.index < structure.opening.end ? 0.85 : 0.5);
  // Notes copied from a wiki page start with its title, which is its address on Meta-Wiki.
  const title = structure.title?.text ?? '';
  if (/^[^.?!]{3,150}$/.test(title) && title.includes('/'))
    return guess(`https://meta.wikimedia.org/wiki/${encodeURI(title.trim().replaceAll(' ', '_'))}`, 0.5);
  return guess(null, 0);
}

export function sessionOf(notes: string, structure: NotesStructure): DraftSession {
  const titleText = (structure.title?.text ?? 'Untitled session').replace(/'''|''|\[\[|\]\]|\{\{|\}\}/g, '').trim();
  const hosts = hostsOf(notes, structure);
  const date = dateOf(notes, structure);
  const kind = kindOf(structure.opening.text);
  const mainHost = hosts.value[0]?.name;
  const title =
    mainHost && hosts.confidence > 0 && !titleText.includes(mainHost)
      ? `${kind.value === 'conversation_hour' ? 'Conversation Hour' : kind.value === 'office_hour' ? 'Office hours' : 'Session'} with ${mainHost} (${titleText.split('/').pop()})`
      : titleText;
  return {
    id: guess(slug(`${kind.value.replace('_', '-')} ${date.value ?? titleText}`), date.value ? 0.8 : 0.3),
    date,
    title: guess(title.slice(0, 200), 0.6),
    kind,
    hosts,
    sourceUrl: sourceOf(notes, structure),
  };
}
