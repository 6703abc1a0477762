import {
  agreementTo,
  commitmentIn,
  isHedged,
  purposeFragment,
  selfAnswered,
  statusReport,
  type Commitment,
} from './commitment-language.js';
import type { Draft, DraftCandidate, DraftPerson, DraftStatement, Guess, NotesSpan } from './draft.js';
import { notesStructure, sentencesOf, type NamePrefix, type NotesLine } from './notes-structure.js';
import { sessionOf, slug } from './session-opening.js';
import { targetIn } from './targets.js';

/**
 * Published notes in, a draft out: the session from the opening, and every sentence of an
 * answer that commits its speaker, with its exact place in the notes. Questions are context,
 * never a source: what a question claims is not the answerer's promise. Nothing is decided
 * here for staff; each value carries how sure the drafter is.
 */

/** The longest quote a commitment takes (the session file's limit for a quote). */
const MAX_QUOTE = 500;
/** People in the notes who speak for themselves, not for the organisation. */
const PARTICIPANT = /\b(?:participant|attendee|audience|community member|questioner|asker|guest)\b/i;
/** A question asking how something will be done: a verbless answer names the way. */
const ASKS_HOW =
  /\b(?:how|what) (?:do|will|are|does) (?:you|we|they|the \w+) (?:plan|intend|going)\b|\bwhat are the plans\b|\bdo you plan\b|\bare there (?:any )?plans\b/i;
/** "We have formed a group in September": something done, its date no promise. */
const DONE = /\b(?:have|has|had)\s+(?:already\s+|just\s+|recently\s+)?\w+(?:ed|en)\b|\b(?:was|were)\b/i;
const ORDINAL_START = /^(?:\d{1,2}(?:st|nd|rd|th)\b|(?:first|second|third|fourth|fifth)(?:ly)?\b[,:]?)/i;
/** Words of a role that name a rank, not a team. */
const RANK_WORDS =
  /\b(?:vice[- ]president|president|director|manager|lead|head|chief|senior|principal|specialist|coordinator|officer|associate|assistant|member|policy|of|the)\b/gi;

const round = (value: number) => Math.round(Math.min(1, Math.max(0, value)) * 100) / 100;

/** The team a role names: "Vice President of Community Resilience & Sustainability" → that division. */
export function teamOfRole(role: string | null, name?: string): Guess<string> | null {
  const department = name ? /^(?:the\s+)?(.+?)\s+(?:department|team|office)$/i.exec(name) : null;
  if (department) return { value: department[1]!, confidence: 0.7 };
  if (!role) return null;
  if (/\bcounsel\b|\blegal\b/i.test(role)) return { value: 'Legal', confidence: 0.6 };
  const of = /\b(?:of|for)\s+(?:the\s+)?(.+?)(?:\s+(?:team|department|division))?$/i.exec(role);
  if (of && !/^(?:the )?(?:board|foundation)$/i.test(of[1]!)) return { value: of[1]!.trim(), confidence: 0.7 };
  const team = /^(.+?)\s+(?:team|department|division|committee)\b/i.exec(role);
  if (team) return { value: team[1]!.trim(), confidence: 0.6 };
  const rest = role.replace(RANK_WORDS, ' ').replace(/\s+/g, ' ').trim();
  return rest.length >= 2 ? { value: rest, confidence: 0.5 } : null;
}

/** A clause of a long sentence around its deciding words, still an exact span of the notes. */
function clipped(sentence: NotesSpan, at: number): NotesSpan {
  if (sentence.text.length <= MAX_QUOTE) return sentence;
  const text = sentence.text;
  const cuts = [
    0,
    ...[...text.matchAll(/[;:]\s+|,\s+(?=(?:but|and|so|while|however|which)\b)/g)].map((m) => m.index + m[0].length),
    text.length,
  ];
  let from = 0;
  let to = text.length;
  for (const cut of cuts) {
    if (cut <= at) from = cut;
    else if (cut > at) {
      to = cut;
      break;
    }
  }
  if (to - from > MAX_QUOTE) to = from + text.slice(from, from + MAX_QUOTE).lastIndexOf(' ');
  const piece = text.slice(from, to).replace(/[;,:\s]+$/, '');
  return { text: piece, start: sentence.start + from, end: sentence.start + from + piece.length };
}

export function draftSession(notes: string): Draft {
  const structure = notesStructure(notes);
  const session = sessionOf(notes, structure);
  const sessionDate = session.date.value;
  const hosts = session.hosts.value;
  const mainHost = hosts[0]!;
  const mainTeam = teamOfRole(mainHost.role, mainHost.name);

  const speakerOf = (prefix: NamePrefix | null, inOpening: boolean): Guess<DraftPerson> => {
    if (!prefix) return { value: mainHost, confidence: round(session.hosts.confidence * (inOpening ? 0.5 : 0.8)) };
    const first = prefix.name.split(/[ /]/)[0]!.toLowerCase();
    const host =
      hosts.find((person) => person.name.toLowerCase() === prefix.name.toLowerCase()) ??
      hosts.find((person) => person.name.toLowerCase().split(' ')[0] === first);
    return host
      ? { value: { name: host.name, role: prefix.role ?? host.role }, confidence: 0.85 }
      : { value: { name: prefix.name, role: prefix.role }, confidence: 0.75 };
  };

  const candidates: DraftCandidate[] = [];
  const ids = new Set<string>();
  const add = (line: NotesLine, sentence: NotesSpan, commitment: Commitment, speaker: Guess<DraftPerson>, base: number) => {
    const quote = clipped(sentence, commitment.at);
    const target = targetIn(quote.text, sessionDate);
    const strength =
      commitment.strength === 'vague' && target && /\bwant/i.test(commitment.decidingWords) ? 'hope' : commitment.strength;
    // Dated, so that like words in another session make another id.
    const stem = `${sessionDate ?? 'undated'}-${slug(quote.text, 40)}`;
    let id = stem;
    for (let n = 2; ids.has(id); n++) id = `${stem}-${n}`;
    ids.add(id);
    const owner = teamOfRole(speaker.value.role, speaker.value.name) ?? mainTeam;
    candidates.push({
      id,
      quote,
      question: line.question,
      section: line.section,
      speaker,
      ownerTeam: owner
        ? { value: owner.value, confidence: round(owner.confidence * speaker.confidence) }
        : { value: 'Team not named in the notes', confidence: 0 },
      strength: { value: strength, decidingWords: commitment.decidingWords, confidence: round(commitment.confidence) },
      target,
      confidence: round(base + (target ? 0.05 : 0) - (sentence.text.length > 300 ? 0.1 : 0)),
    });
  };

  const statements: DraftStatement[] = [];
  const said = (line: NotesLine, sentence: NotesSpan, speaker: Guess<DraftPerson>) => {
    if (!/\p{L}{3}/u.test(sentence.text)) return;
    statements.push({
      id: `said-${sentence.start}`,
      quote: clipped(sentence, 0),
      question: line.question,
      section: line.section,
      speaker,
    });
  };

  const roles = new Map<string, string>();
  let speaker: NamePrefix | null = null;
  let answered: NotesSpan | null = null;
  for (const line of structure.lines) {
    if (line.kind === 'heading' || line.kind === 'question') {
      speaker = null;
      continue;
    }
    if (line.prefix) {
      // "Patrick [Manager of T&S Ops]: …" once, "Patrick: …" after: the role is remembered.
      if (line.prefix.role) roles.set(line.prefix.name, line.prefix.role);
      speaker = { name: line.prefix.name, role: line.prefix.role ?? roles.get(line.prefix.name) ?? null };
    }
    if (speaker && PARTICIPANT.test(speaker.role ?? '')) continue;
    const inOpening = line.kind === 'opening';
    const who = speakerOf(speaker, inOpening);
    const sentences = sentencesOf(notes, line.body);
    let previous: Commitment | null = null;
    let lastWasCandidate = false;
    for (let index = 0; index < sentences.length; index++) {
      const sentence = sentences[index]!;
      const first = index === 0 && line.question !== null && answered !== line.question;
      const agreed = first
        ? (agreementTo(line.question!.text, sentence.text) ?? statusReport(line.question!.text, sentence.text))
        : null;
      // "…, would I step in? Yes.": the question and its answer are one promise.
      const next = sentences[index + 1];
      const selfAnswer = next && !inOpening ? selfAnswered(sentence.text, next.text) : null;
      if (selfAnswer) {
        const both = { text: notes.slice(sentence.start, next.end), start: sentence.start, end: next.end };
        add(line, both, { ...selfAnswer, at: next.start - sentence.start + selfAnswer.at }, who, selfAnswer.confidence);
        previous = selfAnswer;
        lastWasCandidate = true;
        index++;
        continue;
      }
      // The sentence's own words decide first; a bare "Yes" takes up the question's proposal.
      const found = commitmentIn(sentence.text) ?? agreed;
      if (inOpening) {
        // An announcement promises little: a follow-up, something dated after the session, or a
        // standing rule the speakers set for themselves ("I won't discuss specific cases").
        const target = targetIn(sentence.text, sessionDate);
        const ahead = target && sessionDate && (target.earliestDate ?? target.latestDate ?? '') > sessionDate;
        const standing = found?.strength === 'firm' && found.bySpeaker;
        if (found && (found.strength === 'follow_up' || ahead || standing))
          add(line, sentence, found, who, found.confidence - 0.15);
        else said(line, sentence, who);
        continue;
      }
      if (found) {
        add(line, sentence, found, who, found.confidence);
        previous = found;
        lastWasCandidate = true;
        continue;
      }
      // "That person will have three priorities. 1st keeping people safe.": items of a promise.
      if (previous && ORDINAL_START.test(sentence.text)) {
        const words = ORDINAL_START.exec(sentence.text)![0];
        add(line, sentence, { ...previous, decidingWords: words, at: 0, confidence: 0.4 }, who, 0.4);
        lastWasCandidate = true;
        continue;
      }
      // "We plan to start in January. Longer process to give a chance…": a verbless phrase that names one more.
      const fragment =
        lastWasCandidate || (line.question && ASKS_HOW.test(line.question.text)) ? purposeFragment(sentence.text) : null;
      if (fragment) {
        add(
          line,
          sentence,
          { ...fragment, strength: lastWasCandidate && previous ? previous.strength : 'vague' },
          who,
          fragment.confidence,
        );
        lastWasCandidate = true;
        continue;
      }
      lastWasCandidate = false;
      const target = targetIn(sentence.text, sessionDate);
      if (
        target &&
        sessionDate &&
        (target.latestDate ?? target.earliestDate ?? '') > sessionDate &&
        !isHedged(sentence.text) &&
        !DONE.test(sentence.text)
      ) {
        const at = sentence.text.indexOf(target.asSaid);
        add(
          line,
          sentence,
          { strength: 'vague', decidingWords: target.asSaid, at: Math.max(0, at), confidence: 0.35, bySpeaker: false },
          who,
          0.35,
        );
        continue;
      }
      said(line, sentence, who);
    }
    if (line.question) answered = line.question;
  }
  return { format: structure.format, session, candidates, statements };
}
