/**
 * Which existing open commitments a statement in new notes most likely speaks about, ranked:
 * pure, over words already stemmed (PostgreSQL's English text-search lexemes, see
 * revisit-suggestions.ts). A statement is asked about with its context, each part weighing
 * less the further it is from the words themselves: the sentence, the question it answers (which
 * often names the earlier promise), and the rest of the answer. A commitment is found by its
 * summary, quote and topics, and more faintly by its history (what later sessions and staff said
 * about it) and its owner team. Shared words count by their rarity among the open commitments
 * (BM25), shared two-word phrases ("phase 2", "enforcement guidelines") count again, and the
 * names the notes themselves give a thing ("phase 2 (Enforcement Guidelines)", "EG") stand for
 * each other.
 */

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const ORDINAL_WORDS = ['zeroth', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

/** A word's stem, or null for a stop word ("the", "we"). */
export type Stemmer = (word: string) => string | null;

export interface OpenCommitmentText {
  readonly commitmentId: string;
  readonly summary: string;
  readonly quote: string;
  readonly topics: readonly string[];
  readonly ownerTeam: string;
  /** What revisits, progress reports and outcomes have said about it so far. */
  readonly history: string;
}

export interface RevisitQuery {
  /** The statement's own words. */
  readonly text: string;
  /** The question it answers, if any. */
  readonly question: string | null;
  /** The heading of the notes' section it is in, if any: its topic. */
  readonly section: string | null;
  /** The other sentences of the answer it is part of, each with how many sentences away it is. */
  readonly context: readonly { readonly text: string; readonly distance: number }[];
  /** The team the speaker speaks for, if known. */
  readonly ownerTeam: string | null;
}

export interface RankedRevisit {
  readonly commitmentId: string;
  /** The share of the statement's weighted words and phrases the commitment matches, 0..1. */
  readonly score: number;
  /**
   * How sure the ranking is: the score, discounted when the next one is close and when the match
   * rests on the question and the neighbouring sentences rather than the statement's own words.
   */
  readonly confidence: number;
}

/** Another name for the same thing, as stems: "eg" ↔ "enforc guidelin". */
export interface Alias {
  readonly from: readonly string[];
  readonly to: readonly string[];
}

/** The sentence, the question, and the answer's other sentences: the nearest weigh the most. */
const QUERY_WEIGHTS = { text: 1, question: 0.8, section: 0.5, nextSentence: 0.5, fading: 0.7, context: 0.1 } as const;
const FIELD_WEIGHTS = { summary: 1, quote: 1, topics: 1.5, history: 0.5, ownerTeam: 0.5 } as const;
/** An alias stands for its other name at this share of the words' weight. */
const ALIAS_WEIGHT = 0.8;
/** A two-word phrase shared in order counts this share of its words' weight again. */
const PHRASE_WEIGHT = 0.5;
/** A stem that begins another ("ratif", "ratifi") stands for it at this share, from this many letters on. */
const KIN_WEIGHT = 0.7;
const KIN_PREFIX = 5;
/** A speaker of the commitment's owner team: the score grows by this share. */
const OWNER_BONUS = 0.1;
// BM25's usual constants: how fast repeats saturate, how much a long text is discounted.
const K1 = 1.2;
const B = 0.75;

/**
 * Words a question uses to ask, not to name its topic: "This question was asked of the Board. I
 * want to ask you as well. Do you think…?" Left out of the question's part of a query.
 */
const ASKING_WORDS = new Set(
  'question questions asked ask asking answer answers answered think want wonder know like please thanks thank well really say said tell curious'.split(
    ' ',
  ),
);

/** The words of a text in order, as the text-search parser splits them ("T&S" stays one word). */
export const wordsOf = (text: string): string[] =>
  text
    .normalize('NFKC')
    .match(/[\p{L}\p{N}]+(?:&[\p{L}\p{N}]+)*/gu)
    ?.map((word) => word.toLowerCase()) ?? [];

/** A question's words without those that only ask. */
const askedAbout = (question: string | null) =>
  wordsOf(question ?? '')
    .filter((word) => !ASKING_WORDS.has(word))
    .join(' ');

const stemsOf = (text: string, stem: Stemmer): string[] =>
  wordsOf(text).flatMap((word) => {
    const stemmed = word.includes('&') ? word : stem(word);
    return stemmed ? [stemmed] : [];
  });

/**
 * The names a text gives one thing twice: an acronym and the capitalised words it abbreviates
 * ("UCoC" and "Universal Code of Conduct", "T&S" and "Trust & Safety", "EG" and "Enforcement
 * Guidelines"), and a numbered name with another in brackets ("phase 2 (Enforcement Guidelines)").
 * Both directions, as stems.
 */
export function aliasesIn(texts: readonly string[], stem: Stemmer): Alias[] {
  const joined = texts.join('\n');
  const pairs = new Map<string, Alias>();
  const add = (a: string, b: string) => {
    const from = stemsOf(a, stem);
    const to = stemsOf(b, stem);
    if (from.length === 0 || to.length === 0 || from.join(' ') === to.join(' ')) return;
    pairs.set(`${from.join(' ')}→${to.join(' ')}`, { from, to });
    pairs.set(`${to.join(' ')}→${from.join(' ')}`, { from: to, to: from });
  };
  const acronyms = new Set(joined.match(/\b(?=[\p{Lu}&\p{Ll}]*\p{Lu}[\p{Ll}&]*\p{Lu})[\p{Lu}][\p{Lu}\p{Ll}&]{1,6}\b/gu) ?? []);
  const phrases = new Set(joined.match(/\b\p{Lu}[\p{L}]+(?:\s+(?:(?:of|and|for|the|&)\s+)*\p{Lu}[\p{L}]+){1,5}/gu) ?? []);
  for (const acronym of acronyms) {
    const capitals = acronym.replace(/[^\p{Lu}]/gu, '');
    if (capitals.length < 2 || (acronym === acronym.toUpperCase() && acronym.length > 5)) continue;
    for (const phrase of phrases) {
      const initials = phrase
        .split(/\s+/)
        .filter((word) => /^\p{Lu}/u.test(word))
        .map((word) => word[0])
        .join('');
      if (initials === capitals) add(acronym, phrase);
    }
  }
  for (const match of joined.matchAll(/\b(\p{L}+\s+\d+[a-z]?)\s*\(([\p{Lu}][\p{L}\s&-]{2,60}?)\)/gu)) add(match[1]!, match[2]!);
  // "phase 2" is "phase two" and "the second phase".
  for (const match of joined.matchAll(/\b(\p{L}{3,})\s+(\d{1,2})\b/gu)) {
    const n = Number(match[2]);
    if (n >= 1 && n < NUMBER_WORDS.length) {
      add(match[0], `${match[1]} ${NUMBER_WORDS[n]}`);
      add(match[0], `${ORDINAL_WORDS[n]} ${match[1]}`);
    }
  }
  return [...pairs.values()];
}

/** Each stem's weight in a text, the heavier part winning, aliases standing in at a share. */
function weighted(parts: readonly (readonly [string[], number])[], aliases: readonly Alias[]) {
  const weights = new Map<string, number>();
  const phrases = new Map<string, number>();
  const put = (into: Map<string, number>, key: string, weight: number) => into.set(key, Math.max(into.get(key) ?? 0, weight));
  for (const [stems, weight] of parts) {
    const expanded: [string[], number][] = [[stems, weight]];
    for (const alias of aliases) {
      for (let i = 0; i + alias.from.length <= stems.length; i++) {
        if (alias.from.every((word, k) => stems[i + k] === word)) {
          expanded.push([[...alias.to], weight * ALIAS_WEIGHT]);
          break;
        }
      }
    }
    for (const [words, share] of expanded) {
      for (const word of words) put(weights, word, share);
      for (let i = 0; i + 1 < words.length; i++) put(phrases, `${words[i]} ${words[i + 1]}`, share);
    }
  }
  return { weights, phrases };
}

interface Indexed {
  readonly commitmentId: string;
  /** Field-weighted counts per stem. */
  readonly counts: ReadonlyMap<string, number>;
  readonly phrases: ReadonlySet<string>;
  readonly length: number;
  readonly owner: ReadonlySet<string>;
}

/** Ranks the open commitments for each query, best first; only commitments sharing a word appear. */
export function rankRevisits(
  queries: readonly RevisitQuery[],
  commitments: readonly OpenCommitmentText[],
  stem: Stemmer,
  { aliases = [], limit = 3 }: { readonly aliases?: readonly Alias[]; readonly limit?: number } = {},
): RankedRevisit[][] {
  const indexed: Indexed[] = commitments.map((commitment) => {
    const counts = new Map<string, number>();
    const phrases = new Set<string>();
    let length = 0;
    const fields: [string, number][] = [
      [commitment.summary, FIELD_WEIGHTS.summary],
      [commitment.quote, FIELD_WEIGHTS.quote],
      ...commitment.topics.map((topic): [string, number] => [topic, FIELD_WEIGHTS.topics]),
      [commitment.history, FIELD_WEIGHTS.history],
      [commitment.ownerTeam, FIELD_WEIGHTS.ownerTeam],
    ];
    for (const [text, weight] of fields) {
      const stems = stemsOf(text, stem);
      for (const word of stems) counts.set(word, (counts.get(word) ?? 0) + weight);
      const { weights: expanded, phrases: own } = weighted([[stems, weight]], aliases);
      for (const [word, share] of expanded) if (!stems.includes(word)) counts.set(word, (counts.get(word) ?? 0) + share);
      for (const phrase of own.keys()) phrases.add(phrase);
      length += stems.length * weight;
    }
    return {
      commitmentId: commitment.commitmentId,
      counts,
      phrases,
      length,
      owner: new Set(stemsOf(commitment.ownerTeam, stem)),
    };
  });
  const total = indexed.length;
  const averageLength = indexed.reduce((sum, one) => sum + one.length, 0) / Math.max(1, total);
  const used = new Map<string, number>();
  for (const one of indexed) for (const word of one.counts.keys()) used.set(word, (used.get(word) ?? 0) + 1);
  // Stems one of which begins the other, both at least KIN_PREFIX letters: forms the stemmer did not join.
  const vocabulary = [...used.keys()];
  const kins = new Map<string, string[]>();
  const kinOf = (word: string) => {
    if (!kins.has(word))
      kins.set(
        word,
        word.length < KIN_PREFIX
          ? []
          : vocabulary.filter(
              (other) => other !== word && other.length >= KIN_PREFIX && (other.startsWith(word) || word.startsWith(other)),
            ),
      );
    return kins.get(word)!;
  };
  const rarity = (word: string) => {
    const n = used.get(word) ?? 0;
    return Math.log(1 + (total - n + 0.5) / (n + 0.5));
  };

  return queries.map((query) => {
    const { weights, phrases } = weighted(
      [
        [stemsOf(query.text, stem), QUERY_WEIGHTS.text],
        [stemsOf(askedAbout(query.question), stem), QUERY_WEIGHTS.question],
        [stemsOf(query.section ?? '', stem), QUERY_WEIGHTS.section],
        ...query.context.map(({ text, distance }): [string[], number] => [
          stemsOf(text, stem),
          Math.max(QUERY_WEIGHTS.context, QUERY_WEIGHTS.nextSentence * QUERY_WEIGHTS.fading ** (distance - 1)),
        ]),
      ],
      aliases,
    );
    const phraseWeight = (phrase: string) => {
      const [a, b] = phrase.split(' ') as [string, string];
      return PHRASE_WEIGHT * (phrases.get(phrase) ?? 0) * ((rarity(a) + rarity(b)) / 2);
    };
    // What a commitment saying the statement's and the question's words once would score: the
    // score is a share of that, the context only adding evidence.
    const own = weighted(
      [
        [stemsOf(query.text, stem), QUERY_WEIGHTS.text],
        [stemsOf(askedAbout(query.question), stem), QUERY_WEIGHTS.question],
      ],
      aliases,
    );
    let best = 0;
    for (const [word, weight] of own.weights) best += weight * rarity(word);
    for (const phrase of own.phrases.keys()) best += phraseWeight(phrase);
    const speaker = new Set(stemsOf(query.ownerTeam ?? '', stem));
    const sentence = new Set(weighted([[stemsOf(query.text, stem), 1]], aliases).weights.keys());
    const scored = indexed
      .map((one) => {
        const norm = K1 * (1 - B + (B * one.length) / Math.max(1, averageLength));
        let sum = 0;
        let said = 0;
        for (const [word, weight] of weights) {
          const own = one.counts.get(word);
          // A kin of the word ("ratifi" for "ratif"): the stemmer left them apart, they count at a share.
          const kin = own ? undefined : kinOf(word).find((other) => one.counts.has(other));
          const count = own ?? (kin ? one.counts.get(kin)! * KIN_WEIGHT : 0);
          if (!count) continue;
          const matched = weight * rarity(kin ?? word) * ((count * (K1 + 1)) / (count + norm));
          sum += matched;
          if (sentence.has(word)) said += matched;
        }
        for (const phrase of phrases.keys()) if (one.phrases.has(phrase)) sum += phraseWeight(phrase);
        const sameOwner = speaker.size > 0 && [...speaker].some((word) => one.owner.has(word));
        // A word said once in a commitment of average length counts its weight once (BM25 lets
        // repeats count a little more): the score is the share of what the query could match.
        const score = best === 0 ? 0 : Math.min(1, (sum / best) * (sameOwner ? 1 + OWNER_BONUS : 1));
        return { commitmentId: one.commitmentId, score, said: sum === 0 ? 0 : said / sum };
      })
      .filter((one) => one.score > 0)
      .sort((a, b) => b.score - a.score || a.commitmentId.localeCompare(b.commitmentId))
      .slice(0, limit + 1);
    let ceiling = 1;
    return scored.slice(0, limit).map((one, index) => {
      const next = scored[index + 1]?.score ?? 0;
      const margin = (one.score - next) / one.score;
      // Surer when the sentence's own words carry the match (not only its question and
      // neighbours), and never surer of a suggestion than of the ones ranked above it.
      ceiling = Math.min(ceiling, Math.sqrt(one.score) * (0.6 + 0.4 * margin) * (0.6 + 0.4 * one.said));
      return {
        commitmentId: one.commitmentId,
        score: Math.round(one.score * 1000) / 1000,
        confidence: Math.round(ceiling * 100) / 100,
      };
    });
  });
}
