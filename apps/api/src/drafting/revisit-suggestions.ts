import { openSql, SEARCH_CONFIG, type Sql } from '#read-models';
import type { Draft, DraftPerson, Guess, RevisitSuggestion } from './draft.js';
import { teamOfRole } from './drafter.js';
import { aliasesIn, rankRevisits, wordsOf, type OpenCommitmentText, type RevisitQuery, type Stemmer } from './revisit-ranking.js';

/**
 * Each candidate's and statement's likely revisits: the open commitments of other sessions it
 * most likely speaks about, best first (see revisit-ranking.ts), keyed by candidate or statement
 * id. The words are stemmed by PostgreSQL's English text search, the configuration the
 * tracker's own search uses.
 */
export async function revisitSuggestionsFor(
  sql: Sql,
  draft: Draft,
  limit = 3,
): Promise<ReadonlyMap<string, readonly RevisitSuggestion[]>> {
  const rows = await sql<{
    commitment_id: string;
    summary: string;
    quote: string;
    topics: string[];
    owner_team: string;
    search_history: string;
  }>(
    `select c.commitment_id, c.summary, c.quote, c.topics, c.owner_team, c.search_history
       from commitments c
      where ${openSql('c.')} and ($1::text is null or c.session_id <> $1)
      order by c.commitment_id`,
    [draft.session.id.value],
  );
  const commitments: OpenCommitmentText[] = rows.map((row) => ({
    commitmentId: row.commitment_id,
    summary: row.summary,
    quote: row.quote,
    topics: row.topics,
    ownerTeam: row.owner_team,
    history: row.search_history,
  }));
  const items = [...draft.candidates, ...draft.statements];
  if (commitments.length === 0 || items.length === 0) return new Map(items.map((item) => [item.id, []]));

  // The answer each item belongs to: every item answering the same question, in notes order.
  const answers = new Map<number, (typeof items)[number][]>();
  for (const item of [...items].sort((a, b) => a.quote.start - b.quote.start)) {
    if (!item.question) continue;
    answers.set(item.question.start, [...(answers.get(item.question.start) ?? []), item]);
  }
  const contextOf = (item: (typeof items)[number]) => {
    const answer = item.question ? (answers.get(item.question.start) ?? []) : [];
    const at = answer.indexOf(item);
    return answer.flatMap((other, index) => (other === item ? [] : [{ text: other.quote.text, distance: Math.abs(index - at) }]));
  };
  const team = (speaker: Guess<DraftPerson>) => teamOfRole(speaker.value.role, speaker.value.name)?.value ?? null;
  const queries: RevisitQuery[] = items.map((item) => ({
    text: item.quote.text,
    question: item.question?.text ?? null,
    section: item.section,
    context: contextOf(item),
    ownerTeam: team(item.speaker),
  }));

  const texts = [
    ...items.flatMap((item) => [item.quote.text, item.question?.text ?? '']),
    ...commitments.flatMap((commitment) => [commitment.summary, commitment.quote, commitment.history]),
  ];
  const stem = await stemmerFor(sql, [
    ...texts,
    ...commitments.flatMap((commitment) => [...commitment.topics, commitment.ownerTeam]),
  ]);
  const aliases = aliasesIn(texts, stem);
  const ranked = rankRevisits(queries, commitments, stem, { aliases, limit });
  const summaries = new Map(commitments.map((commitment) => [commitment.commitmentId, commitment.summary]));
  return new Map(
    items.map((item, index) => [
      item.id,
      (ranked[index] ?? []).map(({ commitmentId, score, confidence }) => ({
        commitmentId,
        summary: summaries.get(commitmentId) ?? '',
        score,
        confidence,
      })),
    ]),
  );
}

/** PostgreSQL's stem (the tracker's search configuration) of every word of the texts, asked once. */
export async function stemmerFor(sql: Sql, texts: readonly string[]): Promise<Stemmer> {
  const words = [...new Set(texts.flatMap(wordsOf))];
  const rows = await sql<{ word: string; lexemes: string[] }>(
    `select w as word, tsvector_to_array(to_tsvector('${SEARCH_CONFIG}', w)) as lexemes from unnest($1::text[]) as w`,
    [words],
  );
  const stems = new Map(rows.map((row) => [row.word, row.lexemes[0] ?? null]));
  return (word) => (stems.has(word) ? stems.get(word)! : word);
}
