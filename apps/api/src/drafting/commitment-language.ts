import type { Strength } from '#governance';

/**
 * How a sentence commits its speaker, read from its words. Each cue is a phrase shape, not a
 * topic: "we will", "we are planning", "I hope", "follow up in writing". Hedges cancel a
 * sentence; a cue in the past or the conditional is not a promise.
 */

export interface Commitment {
  readonly strength: Strength;
  /** The words that decided it, exactly as in the sentence. */
  readonly decidingWords: string;
  /** Where those words start in the sentence. */
  readonly at: number;
  readonly confidence: number;
}

interface Cue {
  readonly strength: Strength;
  readonly pattern: RegExp;
  readonly confidence: number;
}

const WE = String.raw`(?:we|we['’]re|we['’]ll|we['’]ve|i|i['’]m|i['’]ll|they|our (?:team|department|office)|the (?:[\w&]+ ){0,4}(?:team|foundation|wmf|department|committee|board|office|council)|wmf|t&s|this person|that person|(?:he|she) and (?:his|her) team|\w+ and (?:his|her|their) team)`;
// Between the doer and the cue: anything but the end of a clause.
const GAP = String.raw`[^.!?;]*?`;

/** In order of precedence: a sentence that both hopes and wills is a hope. */
const CUES: readonly Cue[] = [
  {
    strength: 'follow_up',
    pattern:
      /\bfollow(?:ing)?[-\s]up\b|\b(?:answer|respond|reply)(?:ed)?\b[\w\s]{0,40}\bin writing\b|\bget back to (?:you|them|the)\b/i,
    confidence: 0.75,
  },
  {
    strength: 'follow_up',
    pattern:
      /\b(?:will|'ll|’ll|going to)\s+(?:share|publish|post|announce|update|report back|let (?:you|people|everyone) know)\b|\bannouncements? (?:are )?coming\b/i,
    confidence: 0.7,
  },
  {
    strength: 'hope',
    pattern:
      /\b(?:we|i)\s+(?:certainly\s+|really\s+|do\s+)?hope\b|\bhoping\b|\bhopefully\b|\b(?:it is|it['’]s) my hope\b|\bmy (?:own )?hope\b|\bwould (?:like|love) to\b|\blook forward to\b|\bwe wish\b/i,
    confidence: 0.65,
  },
  {
    strength: 'plan',
    pattern:
      /\b(?:plan(?:s|ning)? (?:to|on)|we plan\b|are planning|is planning|intend(?:s|ing)? to|(?:the |our )?intention (?:of [\w\s]+ )?is to|aim(?:s|ing)? to|(?:are|is|am|['’]re|['’]m) going to|is something (?:that )?we are working on|(?:are|is|am|['’]re|['’]m) (?:now |currently |already |also |still )?(?:working on|working towards|moving towards|piloting|experimenting|exploring|discussing|developing|preparing|building|hiring|starting|launching|looking (?:at|into)|rethinking|putting together|announcing|holding)|to be (?:discussed|decided|addressed|announced|shared|published|reviewed)|part of (?:the |our )?phase|phase (?:2|two) conversations|exploring ways)\b/i,
    confidence: 0.65,
  },
  {
    strength: 'firm',
    pattern:
      /\b(?:have|has|take|bear)\s+(?:a\s+|the\s+)?(?:certain\s+|clear\s+|real\s+)?responsibility\s+to\b|\b(?:are|am|is)\s+responsible\s+for\b|\b(?:will|shall)\s+(?:not\s+|never\s+|always\s+|continue\b|have to\b|be\b)?|\bwon['’]t\b|['’]ll\b|\bcommit(?:ted|ment)? to\b|\b(?:have|has) to\b|\bmust\b|\bnot planning to\b|\bare not going to\b/i,
    confidence: 0.7,
  },
  {
    strength: 'vague',
    pattern:
      /\bnot taking (?:this|it|that) off (?:of )?the table\b|\b(?:remains?|stays?|is still) on the table\b|\b(?:want(?:s)? to|need to|should|(?:are|am|is|['’]re|['’]m) trying to|room to improve|long way to go|continue to work|would like|something we need)\b/i,
    confidence: 0.45,
  },
];

/** Words that withdraw a promise in the same sentence. */
const HEDGES =
  /\b(?:can(?:['’]t|not| not) promise|(?:not|n['’]t) (?:been )?decided|(?:not|n['’]t) (?:sure|certain)|(?:it['’]s|it is) (?:too )?early (?:for me )?to (?:talk|say)|(?:don['’]t|do not) know|no answer to that yet|may be wrong|might be wrong|(?:can['’]t|cannot) (?:say|commit|tell)|not in a position to|i don['’]t have an answer)\b/i;

/** A cue inside these is reported speech or past action, not a promise made here. */
const NOT_A_PROMISE =
  /\b(?:i will (?:start|begin|say|note|tell|add|answer|clarify|defend)|as i said|we (?:would|could) (?:have|never)|should have|would have|if (?:we|i) (?:will|were))\b/i;

/** "I will start by…", "that should also hold true": speech about the talk itself. */
const SPEECH_ACT =
  /\b(?:will|going to|should|['’]ll|want to|wanted to) (?:start by|begin by|say|note|reiterate|mention|tell you|add that|answer|ask)\b/i;

export const isHedged = (sentence: string) => HEDGES.test(sentence);

/** The cue with the highest precedence in the sentence, or null when it makes no promise. */
export function commitmentIn(sentence: string): Commitment | null {
  if (isHedged(sentence)) return null;
  // Talk about the talk ("I'll reiterate that…") is blanked, not the whole sentence: what follows may still promise.
  const searched = [SPEECH_ACT, NOT_A_PROMISE].reduce(
    (text, pattern) => text.replace(new RegExp(pattern.source, 'gi'), (words) => ' '.repeat(words.length)),
    sentence,
  );
  for (const cue of CUES) {
    const match = cue.pattern.exec(searched);
    if (!match) continue;
    const decidingWords = match[0].trim();
    const subject = new RegExp(`\\b${WE}\\b${GAP}\\s*$`, 'i').test(searched.slice(0, match.index + 1));
    // Someone must be doing it: a first person, a team, the Foundation; else it is held less surely.
    // A wish or a follow-up without anyone to carry it ("if you want to…", "thanks for following up") promises nothing.
    if ((cue.strength === 'vague' || cue.strength === 'follow_up') && !subject) continue;
    // A wish is someone's own: "we need to", "I want to", not "the work we need to do".
    const before = searched.slice(0, match.index);
    if (
      cue.strength === 'vague' &&
      !/[a-z]/i.test(decidingWords.slice(0, 3)) === false &&
      !new RegExp(`\\b${WE}(?:\\s+[\\w’']+){0,3}\\s*$`, 'i').test(before) &&
      /^(?:want|need|should|are|am|is|['’])/i.test(decidingWords)
    )
      continue;
    // "This Christmas is going to be different", "this will protect…": a prediction, not a promise.
    if (
      !subject &&
      BARE_FUTURE.test(decidingWords) &&
      !/^\s*(?:be\s+)?(?:\w+ed|held|done|made|given|kept|taken|shown)\b/i.test(searched.slice(match.index + match[0].length))
    )
      continue;
    if (
      cue.strength === 'vague' &&
      NEGATED_WISH.test(searched.slice(Math.max(0, match.index - 12), match.index + match[0].length))
    )
      continue;
    const confidence = cue.confidence + (subject ? 0.1 : -0.2);
    return { strength: cue.strength, decidingWords, at: match.index + match[0].indexOf(decidingWords), confidence };
  }
  return null;
}

const BARE_FUTURE = /^(?:will|shall|won['’]t|will not|['’]ll|(?:are|is|am|['’]re|['’]m) going to|will be|will have to)$/i;

/** "We do not want to…": a wish not to is no promise to do. */
const NEGATED_WISH = /(?:do not|don['’]t|did not|didn['’]t|never)\s+(?:want|need)\b/i;

/** An answer to "What is the status of…?": its first short sentence reports on a promise ("So close."). */
const ASKS_FOR_STATUS = /\b(?:status|progress|any updates?|an update|how far along|where are we)\b/i;

export function statusReport(question: string, answer: string): Commitment | null {
  if (!ASKS_FOR_STATUS.test(question) || answer.length > 80 || isHedged(answer)) return null;
  const words = answer.replace(/[.!]+$/, '');
  return { strength: 'plan', decidingWords: words, at: 0, confidence: 0.4 };
}

/** "Yes", "Yes, where appropriate.", "I certainly hope so.", "Sounds good to me.": an answer that takes up a question's promise. */
const AFFIRMATIVE =
  /^(?:(?:yes|yep|absolutely|definitely|certainly|of course)\b|i (?:certainly |really )?hope so\b|sounds good\b|we will\b|that['’]s the plan\b)/i;

/** A question that asks for a promise: "Will T&S help…?", "Is it going to be…?", "Are you going to…?" */
const ASKS_FOR_PROMISE =
  /\b(?:will|are you going to|is (?:it|there|this) going to|do you plan|are there (?:any )?plans|is there a plan|can you commit)\b/i;

/** The promise made by agreeing to a question's own proposal, or null. */
export function agreementTo(question: string, answer: string): Commitment | null {
  if (!ASKS_FOR_PROMISE.test(question)) return null;
  const match = AFFIRMATIVE.exec(answer.trim());
  if (!match || isHedged(answer)) return null;
  const words = match[0];
  const strength: Strength = /hope/i.test(words) ? 'hope' : /sounds good/i.test(words) ? 'plan' : 'firm';
  return {
    strength,
    decidingWords: words,
    at: answer.indexOf(words),
    confidence: 0.6,
  };
}
