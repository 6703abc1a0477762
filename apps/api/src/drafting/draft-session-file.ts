import { Document, isMap, isSeq, type YAMLMap } from 'yaml';
import type { SessionKind, Strength } from '#governance';
import type { SessionFile } from '../session-files/session-file.js';
import type { Draft, DraftCandidate, DraftPerson, DraftStatement, RevisitSuggestion } from './draft.js';

/** A suggestion this sure becomes a `revisits` entry; weaker ones stay comments for staff. */
export const CONFIDENT_REVISIT = 0.6;
/** A statement's suggestion this sure is worth a comment for staff. */
export const NOTEWORTHY_REVISIT = 0.4;

/** One commitment as staff accepted it (or as drafted, for the CLI). */
export interface AcceptedCommitment {
  readonly id: string;
  /** The candidate it came from, when staff gave it another id: the review names its fields by this. */
  readonly candidateId?: string;
  readonly quote: string;
  readonly summary: string;
  readonly speaker: DraftPerson;
  readonly ownerTeam: string;
  readonly topics: readonly string[];
  readonly strength: Strength;
  readonly target: { readonly asSaid: string; readonly earliestDate: string | null; readonly latestDate: string | null } | null;
  /** Earlier commitments this statement also speaks about. */
  readonly revisits: readonly string[];
  /** Shown as YAML comments: the drafter's confidences and deciding words. */
  readonly remarks?: readonly string[];
}

export interface AcceptedSession {
  readonly id: string;
  readonly date: string;
  readonly title: string;
  readonly kind: SessionKind;
  readonly hosts: readonly DraftPerson[];
  readonly sourceUrl: string;
}

const person = ({ name, role }: DraftPerson) => (role ? { name, role } : { name });

/** A statement that commits nothing new, accepted as speaking about an earlier commitment. */
export interface AcceptedRevisit {
  readonly commitment: string;
  readonly quote: string;
  readonly speaker: DraftPerson;
  /** The draft statement it came from, when staff accepted it on the review page: the page names its field by this. */
  readonly statementId?: string;
}

/** The session file for what was accepted: the existing format, so the existing import checks and writes it. */
export function acceptedSessionFile(
  session: AcceptedSession,
  accepted: readonly AcceptedCommitment[],
  statements: readonly AcceptedRevisit[] = [],
): SessionFile {
  const revisits = [
    ...accepted.flatMap((commitment) =>
      commitment.revisits.map((id) => ({ commitment: id, quote: commitment.quote, speaker: commitment.speaker })),
    ),
    ...statements,
  ].map((revisit) => ({
    commitment: revisit.commitment,
    statement: `Spoken about again in ${session.id}: “${revisit.quote}”`.slice(0, 4000),
    quote: revisit.quote,
    speaker: person(revisit.speaker),
  }));
  return {
    session: { ...session, hosts: session.hosts.map(person) },
    commitments: accepted.map((commitment) => ({
      id: commitment.id,
      speaker: person(commitment.speaker),
      ownerTeam: commitment.ownerTeam,
      topics: [...commitment.topics],
      summary: commitment.summary,
      quote: commitment.quote,
      ...(commitment.target
        ? {
            target: {
              asSaid: commitment.target.asSaid,
              // A window needs its last day: a start alone ("from January") is said in the words only.
              ...(commitment.target.earliestDate && commitment.target.latestDate
                ? { earliestDate: commitment.target.earliestDate }
                : {}),
              latestDate: commitment.target.latestDate,
            },
          }
        : {}),
      strength: commitment.strength,
    })),
    ...(revisits.length > 0 ? { revisits } : {}),
  };
}

/** A session file as YAML, each commitment preceded by its remarks as comments. */
export function sessionFileYaml(file: SessionFile, remarks: readonly (readonly string[])[], header: readonly string[]): string {
  const document = new Document(file);
  document.commentBefore = [
    ' yaml-language-server: $schema=../../docs/session-file.schema.json',
    ...header.map((line) => ` ${line}`),
  ].join('\n');
  const commitments = document.get('commitments', true);
  if (isSeq(commitments)) {
    commitments.items.forEach((item, index) => {
      const lines = remarks[index] ?? [];
      if (isMap(item) && lines.length > 0) (item as YAMLMap).commentBefore = lines.map((line) => ` ${line}`).join('\n');
    });
  }
  return document.toString({ lineWidth: 0 });
}

/** A candidate as the CLI writes it, before anyone has reviewed it. */
export function drafted(candidate: DraftCandidate, suggestions: readonly RevisitSuggestion[]): AcceptedCommitment {
  const confident = suggestions.filter((suggestion) => suggestion.confidence >= CONFIDENT_REVISIT).slice(0, 1);
  const target = candidate.target;
  return {
    id: candidate.id,
    quote: candidate.quote.text,
    // The tracker's words are staff's to write: until then the summary is the quote.
    summary: candidate.quote.text,
    speaker: candidate.speaker.value,
    ownerTeam: candidate.ownerTeam.value,
    topics: [candidate.section ?? 'to be sorted'].map((topic) => topic.slice(0, 100)),
    strength: candidate.strength.value,
    target: target ? { asSaid: target.asSaid, earliestDate: target.earliestDate, latestDate: target.latestDate } : null,
    revisits: confident.map((suggestion) => suggestion.commitmentId),
    remarks: [
      `candidate confidence ${candidate.confidence}; notes offsets ${candidate.quote.start}-${candidate.quote.end}`,
      `strength ${candidate.strength.value} (${candidate.strength.confidence}), decided by “${candidate.strength.decidingWords}”`,
      `speaker ${candidate.speaker.confidence}, owner ${candidate.ownerTeam.confidence}`,
      ...(target
        ? [
            `target “${target.asSaid}”: ${target.earliestDate ?? 'open'} … ${target.latestDate ?? 'no latest day'} (${target.confidence})`,
          ]
        : []),
      ...suggestions.map(
        (suggestion) =>
          `may revisit ${suggestion.commitmentId} (score ${suggestion.score}, confidence ${suggestion.confidence})${confident.includes(suggestion) ? ': written under revisits' : ''}`,
      ),
    ],
  };
}

/** The draft's session fields, filled in as the file needs them. */
export function draftedSession(draft: Draft): AcceptedSession {
  const { session } = draft;
  return {
    id: session.id.value,
    date: session.date.value ?? '1970-01-01',
    title: session.title.value,
    kind: session.kind.value,
    hosts: session.hosts.value,
    sourceUrl: session.sourceUrl.value ?? 'https://meta.wikimedia.org/',
  };
}

/**
 * The statements the CLI writes: one whose best suggestion is confident becomes a `revisits`
 * entry; a likely one is a comment line for staff. Nothing else of a statement is written.
 */
export function draftedStatements(
  statements: readonly DraftStatement[],
  suggestions: ReadonlyMap<string, readonly RevisitSuggestion[]>,
): { readonly revisits: AcceptedRevisit[]; readonly remarks: string[] } {
  const revisits: AcceptedRevisit[] = [];
  const remarks: string[] = [];
  for (const statement of statements) {
    const best = suggestions.get(statement.id)?.[0];
    if (!best || best.confidence < NOTEWORTHY_REVISIT) continue;
    const quote = statement.quote.text;
    if (best.confidence >= CONFIDENT_REVISIT) {
      revisits.push({ commitment: best.commitmentId, quote, speaker: statement.speaker.value });
      remarks.push(
        `“${quote.slice(0, 80)}” revisits ${best.commitmentId} (confidence ${best.confidence}): written under revisits`,
      );
    } else remarks.push(`“${quote.slice(0, 80)}” may revisit ${best.commitmentId} (confidence ${best.confidence})`);
  }
  return { revisits, remarks };
}
