import type { Strength } from '#governance';

/**
 * How a sentence commits its speaker, read from its words. Each cue is a phrase shape, not a
 * topic: "we will", "we are planning", "I hope", "follow up in writing", "we will not", "we don't
 * restrict", "we respect", "feel free to write". Hedges cancel a sentence; a cue in the past or
 * the conditional is not a promise; only the speaker (or the speaker's organisation) can be
 * firmly committed, so what a third party will do is a plan.
 */

export interface Commitment {
  readonly strength: Strength;
  /** The words that decided it, exactly as in the sentence. */
  readonly decidingWords: string;
  /** Where those words start in the sentence. */
  readonly at: number;
  readonly confidence: number;
  /** Whether the speaker (or their team, their organisation) is the one who does it. */
  readonly bySpeaker: boolean;
}

type Doer = 'speaker' | 'third party' | 'other';

interface Cue {
  readonly strength: Strength;
  readonly pattern: RegExp;
  readonly confidence: number;
  /** The cue names its own doer ("our priority is to", "feel free to write"): no subject is looked for. */
  readonly ownDoer?: boolean;
  /** A further test of one match; the cue's next match is tried when it fails. */
  readonly accepts?: (match: RegExpExecArray, searched: string) => boolean;
}

/** The speaker, their team or their organisation. */
const ORGANISATION = String.raw`our (?:[\w&]+ ){0,2}(?:team|department|office|division)|the (?:[\w&]+ ){0,4}(?:team|foundation|wmf|department|office|division)|wmf|t&s|trust (?:&|and) safety`;
const WE = String.raw`we|we['’]re|we['’]ll|we['’]ve|${ORGANISATION}`;
const SPEAKER = String.raw`${WE}|i|i['’]m|i['’]ll`;
/** Someone else who can be said to do something: a plan of theirs, not the speaker's promise. */
const THIRD_PARTY = String.raw`they|they['’]re|they['’]ll|he|she|this person|that person|(?:he|she) and (?:his|her) team|\w+ and (?:his|her|their) team|the (?:[\w&]+ ){0,4}(?:committee|board|council)`;
/** Subjects that are neither: a prediction about them promises nothing. */
const OTHER = String.raw`you|you['’]ll|it|one|someone|somebody|people`;
const DOER = new RegExp(String.raw`\b(?:(?<speaker>${SPEAKER})|(?<third>${THIRD_PARTY})|(?<other>${OTHER}))\b`, 'gi');

/**
 * The subject nearest before a cue in its clause, if any. "It", "you" and the like count only
 * right before the cue ("it will", "you will be"), since elsewhere they are often objects
 * ("improve it and will re-evaluate"). `speakerInClause`: the speaker is named anywhere before.
 */
function doerBefore(searched: string, index: number): { readonly doer: Doer | null; readonly speakerInClause: boolean } {
  const clause = searched
    .slice(0, index)
    .split(/[.!?;]/)
    .pop()!;
  let doer: Doer | null = null;
  let speakerInClause = false;
  for (const match of clause.matchAll(DOER)) {
    if (match.groups!.speaker) speakerInClause = true;
    if (match.groups!.other) {
      const between = clause.slice(match.index + match[0].length).trim();
      const words = between.split(/\s+/).filter(Boolean);
      if (words.length <= 2 && !words.some((word) => /^(?:and|or|but|to|that)$/i.test(word))) doer = 'other';
    } else doer = match.groups!.speaker ? 'speaker' : 'third party';
  }
  return { doer, speakerInClause };
}

/** Verbs that state no conduct: being, having, knowing, wishing, receiving, saying. */
const NOT_CONDUCT = new Set(
  (
    'be am is are was were been being have has had do does did will would can could shall should may might must need want ' +
    'hope wish plan think know believe feel see hear like love mean seem appear understand remember agree disagree ' +
    'receive get find guess imagine expect assume doubt regret pretend wonder say tell ask talk speak look try go come ' +
    'live sit realize realise recognize recognise notice appreciate let call not never ' +
    'at in on of for to with by from into about and or but the a an that which who'
  ).split(' '),
);
const IRREGULAR_PAST =
  /^(?:had|did|went|saw|made|got|took|gave|knew|thought|heard|felt|came|said|told|found|began|brought|wrote|sent|met|spoke|ran|left|kept|held|stood|understood|became|built|chose|grew|led|lost|paid|sat|set|won|put|read)$/i;

/** "we respect", "the Foundation enforces": a verb of conduct in the present, not a state, a wish or a past act. */
function isConduct(word: string): boolean {
  const verb = word.toLowerCase();
  if (IRREGULAR_PAST.test(verb) || /(?:ed|ing)$/.test(verb) || (/ly$/.test(verb) && !/(?:ply|rely)$/.test(verb))) return false;
  const base = verb.replace(/(?:ies)$/, 'y').replace(/(?<=[sxz]|ch|sh)es$|(?<![su])s$/, '');
  return !NOT_CONDUCT.has(verb) && !NOT_CONDUCT.has(base);
}

const SUBORDINATE_BEFORE = /\b(?:that|which|who|whom|how|what|whether|if|because|where|when|as|than|sure|ensure|so)\s*$/i;

/** "we don't discriminate", "I can't and won't discuss": a refusal or a standing "not", by the speaker. */
const NEGATIVE_PRACTICE =
  /\b(?:do not|don['’]t|does not|doesn['’]t|never|will not|won['’]t)\s+(?!always\b|necessarily\b|really\b|yet\b|even\b)([a-z]+)\b/gi;

/** "we respect…", "our team also takes…", "; we consider…": the speaker's standing practice, at the start of a clause. */
const PRACTICE = new RegExp(
  String.raw`(?:^(?<lead>(?:[\w’'-]+\s+){0,3}?)|[,;:]\s+|\b(?:and|but|so|yet)\s+)(?:${WE})\s+(?:(?:also|always|already|currently|still|generally|usually|then|only|just|really)\s+)*(?<verb>[a-z]+)\b(?![’'])(?!\s+(?:is|are|was|were)\b)`,
  'gi',
);
/** "When it happens, we are getting together…": what the speaker does whenever something happens. */
const WHENEVER = new RegExp(
  String.raw`^(?:when|whenever|where|wherever|if|once|as soon as)\b[^,]{3,160},\s+(?:${SPEAKER})\s+(?:(?:also|always|then|still)\s+)*(?:are|is|am|['’]re)\s+(\w+ing)\b`,
  'gi',
);
const OPINION = /\b(?:i (?:believe|think|feel)|my opinion|in my view)\b/i;

/** In order of precedence: a sentence that both hopes and wills is a hope. */
const CUES: readonly Cue[] = [
  {
    strength: 'follow_up',
    pattern:
      /\bfollow(?:ing)?[-\s]up\b|\b(?:answer|respond|reply)(?:ed)?\b[\w\s]{0,40}\bin writing\b|\bget back to (?:you|them|the)\b/gi,
    confidence: 0.75,
  },
  {
    strength: 'follow_up',
    pattern:
      /\b(?:will|'ll|’ll|going to)\s+(?:share|publish|post|announce|update|report back|let (?:you|people|everyone) know)\b|\bannouncements? (?:are )?coming\b/gi,
    confidence: 0.7,
  },
  {
    strength: 'hope',
    pattern:
      /\b(?:we|i)\s+(?:certainly\s+|really\s+|do\s+)?hope\b|\bhoping\b|\bhopefully\b|\b(?:it is|it['’]s) my hope\b|\bmy (?:own )?hope\b|\bwould (?:like|love) to\b|\blook forward to\b|\bwe wish\b/gi,
    confidence: 0.65,
  },
  // Refusals and limits: "we are not planning to sign", "not our intention", "too many gaps to sign it".
  {
    strength: 'firm',
    pattern:
      /\bnot (?:planning|going|intending) to\b|\b(?:is|['’]s) (?:certainly |definitely |clearly )?not (?:our|my|the) (?:intention|plan|goal|aim)\b|\b(?:have|has) no (?:intention|plans?) (?:to|of)\b|\btoo (?:many|much|few|little) [\w-]+(?: [\w-]+){0,6} to \w+|\b(?:no|zero) tolerance\b|\bnot\b[^.;,]{0,40}\btolerat(?:e|ed|ing)\b|\b(?:has|have) no choice but to\b|\b(?:can['’]t|cannot) and (?:won['’]t|will not)\b/gi,
    confidence: 0.7,
  },
  {
    strength: 'firm',
    pattern: /\b(?:is|are|am|['’]re|['’]m) (?:not able|unable) to\b(?! (?:say|tell|comment|answer|promise))/gi,
    confidence: 0.7,
    accepts: (match, searched) => doerBefore(searched, match.index).doer === 'speaker',
  },
  {
    strength: 'firm',
    pattern: NEGATIVE_PRACTICE,
    confidence: 0.65,
    accepts: (match, searched) => {
      const before = searched.slice(0, match.index);
      if (!isConduct(match[1]!) || OPINION.test(before)) return false;
      const subject = new RegExp(String.raw`(?:^|[^\w’'])(?:${SPEAKER})\s+(?:(?:also|still|just|simply)\s+)*$`, 'i').exec(before);
      return subject !== null && !SUBORDINATE_BEFORE.test(before.slice(0, subject.index + 1));
    },
  },
  // Standing offers and rules: "our highest priority is to", "feel free to write", "what is said there prevails".
  {
    strength: 'firm',
    pattern:
      /\b(?:our|my|the) (?:highest |top |first |main |biggest |number one )?priority(?: for (?:us|me))? is to\b|\b(?:feel free to |you (?:can|may) (?:also |always )?|please )(?:write|send|e-?mail|submit|contact|reach out)\b/gi,
    confidence: 0.7,
    ownDoer: true,
  },
  { strength: 'firm', pattern: /\b(?:prevails?|takes? precedence|supersedes?)\b/gi, confidence: 0.6 },
  {
    strength: 'plan',
    pattern:
      /\b(?:plan(?:s|ning)? (?:to|on)|we plan\b|are planning|is planning|intend(?:s|ing)? to|(?:the |our )?intention (?:of [\w\s]+ )?is to|aim(?:s|ing)? to|(?:are|is|am|['’]re|['’]m) going to|(?:are|is|am|['’]re|['’]m) trying to|(?:are|is|am|['’]re|['’]m) interested in \w+ing|want(?:s)? to (?:continue|keep)|should be \w+ing|(?:i|we) expect\b|is something (?:that )?we are working on|(?:are|is|am|['’]re|['’]m) (?:now |currently |already |also |still )?(?:working on|working towards|moving towards|piloting|experimenting|exploring|discussing|developing|preparing|building|hiring|starting|launching|looking (?:at|into)|rethinking|putting together|announcing|holding)|to be (?:discussed|decided|addressed|announced|shared|published|reviewed)|part of (?:the |our )?phase|phase (?:2|two) conversations|exploring ways)\b/gi,
    confidence: 0.65,
  },
  {
    strength: 'firm',
    pattern: WHENEVER,
    confidence: 0.65,
    ownDoer: true,
  },
  {
    strength: 'firm',
    pattern:
      /\b(?:have|has|take|bear)\s+(?:a\s+|the\s+)?(?:certain\s+|clear\s+|real\s+)?responsibility\s+to\b|\b(?:are|am|is)\s+responsible\s+for\b|\b(?:will|shall)\s+(?:not\s+|never\s+|always\s+|continue\b|have to\b|be\b)?|\bwon['’]t\b|['’]ll\b|\bcommit(?:ted|ment)? to\b|\b(?:have|has) to\b|\bmust\b|\b(?:are|is) (?:obliged|obligated|required|bound) to\b|\b(?:have|has) (?:a|an) (?:\w+ )?obligation to\b|\bcontinues? to\b/gi,
    confidence: 0.7,
    accepts: (match, searched) => {
      // An obligation is someone's own: "we have to", "the UCoC must", not "one has to cross", "that has to be considered".
      if (!/^(?:have|has|must|continues?)\b/i.test(match[0].trim())) return true;
      const { doer } = doerBefore(searched, match.index);
      return (
        doer !== 'other' &&
        doer !== 'third party' &&
        !/\b(?:that|this|it|one|which|who)\s+$/i.test(searched.slice(0, match.index))
      );
    },
  },
  {
    strength: 'firm',
    pattern: PRACTICE,
    confidence: 0.6,
    ownDoer: true,
    accepts: (match) =>
      isConduct(match.groups!.verb!) &&
      !/\b(?:i|you|he|she|they|it|that|which|how|what|if|when|while|as|since|until|unless|although|though|once|where|because|sure|whether)\b/i.test(
        match.groups!.lead ?? '',
      ),
  },
  {
    strength: 'vague',
    pattern:
      /\bnot taking (?:this|it|that) off (?:of )?the table\b|\b(?:remains?|stays?|is still) on the table\b|\b(?:want(?:s)? to|need to|should|room to improve|long way to go|would like|something we need)\b/gi,
    confidence: 0.45,
  },
];

/** Words that withdraw a promise in the same sentence. */
const HEDGES =
  /\b(?:can(?:['’]t|not| not) promise|(?:not|n['’]t) (?:been )?decided|(?:not|n['’]t) (?:sure|certain)|(?:it['’]s|it is) (?:too )?early (?:for me )?to (?:talk|say)|(?:don['’]t|do not) know|no answer to that yet|may be wrong|might be wrong|(?:can['’]t|cannot) (?:say|commit|tell)|not in a position to|i don['’]t have an answer)\b/i;

/** A cue inside these is reported speech, past action or someone else's follow-up, not a promise made here. */
const NOT_A_PROMISE =
  /\b(?:i will (?:start|begin|say|note|tell|add|answer|clarify|defend)|as i said|we (?:would|could) (?:have|never)|should have|would have|if (?:we|i) (?:will|were)|(?:encourage|welcome|invite|request|ask for) (?:a |any |the )?follow[- ]?ups?|thanks? (?:[\w’']+ ){0,5}for following up|(?:was|were) (?:\w+ )?to be \w+ed)\b/i;

/** "I will start by…", "that should also hold true": speech about the talk itself. */
const SPEECH_ACT =
  /\b(?:will|going to|should|['’]ll|want to|wanted to) (?:start by|begin by|say|note|reiterate|mention|tell you|add that|answer|ask)\b/i;

/** "I imagine that's part of what we will talk about": a guess at a promise is a vague one. */
const SPECULATION = /\bi (?:would )?(?:imagine|guess|suppose)\b|\bi have a feeling\b|\bi think\b/i;
/** "As a movement, we do have to define it": the movement's task, not the speaker's promise. */
const COLLECTIVE = /\b(?:we )?as a (?:movement|whole|society)\b/i;

export const isHedged = (sentence: string) => HEDGES.test(sentence);

const BARE_FUTURE = /^(?:will|shall|won['’]t|will not|['’]ll|(?:are|is|am|['’]re|['’]m) going to|will be|will have to)$/i;
const PASSIVE_AFTER = /^\s*(?:be\s+)?(?:\w+ed|held|done|made|given|kept|taken|shown)\b/i;

/** "We do not want to…": a wish not to is no promise to do. */
const NEGATED_WISH = /\b(?:do not|don['’]t|did not|didn['’]t|never)\s+(?:want|need)\b/i;

/** "the work we really need to do", "the tool we are trying to provide", "decide what should happen": a wish inside a description. */
const RELATIVE_WISH =
  /\b(?:the|a|an|this|that|these|those|some|any|all)\s+[\w-]+(?:\s+[\w-]+)?\s+(?:that\s+)?(?:we|i)(?:\s+\w+ly)?(?:\s+(?:are|am|['’]re))?\s*$|\b(?:what|which|how|who|whoever|whatever)\s+(?:is\s+|are\s+)?$/i;
/** A wish needs its wisher close by: "we really want to", not "we made it so volunteers need to". */
const WISHER_NEAR = new RegExp(String.raw`\b(?:${SPEAKER})(?:\s+[\w’']+){0,3}\s*$`, 'i');

function accepted(cue: Cue, match: RegExpExecArray, searched: string): Commitment | null {
  const decidingWords = match[0].replace(/^[\s,;:]+/, '').trim();
  const at = match.index + match[0].indexOf(decidingWords);
  if (cue.accepts && !cue.accepts(match, searched)) return null;
  const ownDoer = /^(?:we|i|our)\b/i.test(decidingWords);
  const { doer: nearest, speakerInClause } = doerBefore(searched, at);
  const doer: Doer | null = cue.ownDoer || ownDoer ? 'speaker' : nearest;
  const bySpeaker = doer === 'speaker';
  const someone = doer === 'speaker' || doer === 'third party';
  const before = searched.slice(0, at);
  // A follow-up without anyone to carry it ("thanks for following up") promises nothing; "we can find someone who can follow up" does.
  if (cue.strength === 'follow_up' && !someone && !speakerInClause) return null;
  if (cue.strength === 'vague') {
    // A wish is the speaker's own: "we need to", "I want to", not "they want to be called", "the work we need to do".
    if (!bySpeaker) return null;
    if (/^(?:want|need|should)/i.test(decidingWords) && (RELATIVE_WISH.test(before) || !WISHER_NEAR.test(before))) return null;
    if (NEGATED_WISH.test(searched.slice(Math.max(0, at - 12), at + decidingWords.length))) return null;
  }
  if (/trying to$/i.test(decidingWords) && RELATIVE_WISH.test(before)) return null;
  // "This Christmas is going to be different", "you will be targeted": a prediction, not a promise.
  const after = searched.slice(at + decidingWords.length);
  if (!someone && BARE_FUTURE.test(decidingWords) && (doer === 'other' || !PASSIVE_AFTER.test(after))) return null;
  let strength = cue.strength;
  let words = decidingWords;
  let wordsAt = at;
  // Only the speaker can be held to "will": what a committee or a new hire will do is a plan.
  if (strength === 'firm' && doer === 'third party') strength = 'plan';
  const guessed = SPECULATION.exec(searched.slice(0, at)) ?? COLLECTIVE.exec(searched.slice(0, at + decidingWords.length));
  if ((strength === 'firm' || strength === 'plan') && guessed) {
    strength = 'vague';
    words = guessed[0];
    wordsAt = guessed.index;
  }
  const confidence = cue.confidence + (bySpeaker ? 0.1 : someone ? 0 : -0.2);
  return { strength, decidingWords: words, at: wordsAt, confidence, bySpeaker };
}

/** The cue with the highest precedence in the sentence, or null when it makes no promise. */
export function commitmentIn(sentence: string): Commitment | null {
  if (isHedged(sentence)) return null;
  // Talk about the talk ("I'll reiterate that…") is blanked, not the whole sentence: what follows may still promise.
  const searched = [SPEECH_ACT, NOT_A_PROMISE].reduce(
    (text, pattern) => text.replace(new RegExp(pattern.source, 'gi'), (words) => ' '.repeat(words.length)),
    sentence,
  );
  for (const cue of CUES) {
    for (const match of searched.matchAll(cue.pattern)) {
      const found = accepted(cue, match, searched);
      if (found) return found;
    }
  }
  return null;
}

/** An answer to "What is the status of…?": its first short sentence reports on a promise ("So close."). */
const ASKS_FOR_STATUS = /\b(?:status|progress|any updates?|an update|how far along|where are we)\b/i;
/** "This is more of a Product Department thing.", "This is outside of the scope.": the answer points elsewhere. */
const POINTS_ELSEWHERE =
  /\b(?:more of an? [\w&' -]{1,60} (?:thing|question|matter)|outside (?:of )?(?:the |my |our )?scope|not (?:in )?my scope)\b/i;

export function statusReport(question: string, answer: string): Commitment | null {
  if (!ASKS_FOR_STATUS.test(question) || answer.length > 80 || isHedged(answer) || POINTS_ELSEWHERE.test(answer)) return null;
  const words = answer.replace(/[.!]+$/, '');
  return { strength: 'plan', decidingWords: words, at: 0, confidence: 0.4, bySpeaker: true };
}

/** "Yes", "Yes, where appropriate.", "I certainly hope so.", "Sounds good to me.": an answer that takes up a question's promise. */
const AFFIRMATIVE =
  /^(?:(?:yes|yep|absolutely|definitely|certainly|of course)\b|i (?:certainly |really )?hope so\b|sounds good\b|we will\b|that['’]s the plan\b)/i;

/** A question that asks for a promise: "Will T&S help…?", "Is it going to be…?", "Are you going to…?", "would I step in?" */
const ASKS_FOR_PROMISE =
  /\b(?:will|would (?:i|we)|are you going to|is (?:it|there|this) going to|do you plan|are there (?:any )?plans|is there a plan|can you commit)\b/i;

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
    bySpeaker: true,
  };
}

/**
 * "If I saw…, would I step in? Yes.": a question the speakers put to themselves and answer at
 * once. Only a question about what the speaker would or will do; "Does intention matter?" is not.
 */
export function selfAnswered(asked: string, answer: string): Commitment | null {
  if (!/\?\s*$/.test(asked) || !/\b(?:would|will|should|do|can) (?:i|we)\b/i.test(asked)) return null;
  return agreementTo(asked, answer);
}

/**
 * "Training to help the people doing mediation…", "Longer process than phase 1 to give a chance…":
 * a phrase without a verb of its own that names something done for a purpose. After a promise or in
 * answer to "How do you plan…?", it names one more.
 */
const FRAGMENT_STOP =
  /\b(?:i|we|you|he|she|they|it|there|is|are|was|were|be|been|am|has|have|had|do|does|did|will|would|can|could|should|may|might|must|shall|[\w]+['’](?:s|re|ve|ll|d|m))\b/i;
const FRAGMENT_FIRST =
  /^(?:how|where|who|what|why|when|in|on|at|for|with|by|from|to|of|as|if|when|while|so|but|and|or|first|second|third|finally|also|then|yet|however)\b/i;
const PURPOSE =
  /\bto (?!(?:my|the|a|an|their|our|your|his|her|its|this|that|these|those|me|us|them|him|it|all|any|some|every)\b)[a-z]+\b/i;

export function purposeFragment(sentence: string): Commitment | null {
  if (/[?:]/.test(sentence) || FRAGMENT_FIRST.test(sentence) || !/^\p{Lu}/u.test(sentence)) return null;
  const purpose = PURPOSE.exec(sentence);
  if (!purpose || purpose.index === 0) return null;
  const head = sentence.slice(0, purpose.index);
  if (FRAGMENT_STOP.test(head) || /\b\w+ed\b/i.test(head) || head.split(/\s+/).filter(Boolean).length > 6) return null;
  return { strength: 'vague', decidingWords: purpose[0], at: purpose.index, confidence: 0.35, bySpeaker: false };
}
