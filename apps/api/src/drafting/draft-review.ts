import {
  CALENDAR_DATE_RULE,
  ID_PATTERN,
  isCalendarDate,
  SESSION_KINDS,
  STRENGTHS,
  type SessionKind,
  type Strength,
} from '#governance';
import type { FileProblem } from '../session-files/session-file.js';
import type { StaffViewer } from '../staff/staff-sessions.js';
import type { AcceptedCommitment, AcceptedRevisit, AcceptedSession } from './draft-session-file.js';
import { draftedSession, NOTEWORTHY_REVISIT } from './draft-session-file.js';
import type { Draft, DraftCandidate, DraftPerson, DraftStatement, RevisitSuggestion } from './draft.js';

/**
 * The review form of a draft: its controls, what staff posted back, and the problems by field.
 * Pure: the controller feeds it the draft, the suggestions and the posted body.
 */

export interface ReviewField {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly type: 'text' | 'textarea' | 'select' | 'date';
  readonly value: string;
  readonly required: boolean;
  readonly error: string | null;
  readonly hint?: string;
  readonly options?: readonly { readonly value: string; readonly label: string }[];
}

export interface ReviewCandidate {
  readonly id: string;
  readonly quote: string;
  readonly question: string | null;
  readonly confidence: number;
  readonly strength: string;
  readonly decidingWords: string;
  readonly strengthConfidence: number;
  readonly speakerConfidence: number;
  readonly ownerConfidence: number;
  readonly targetWindow: string | null;
  readonly suggestions: readonly RevisitSuggestion[];
  readonly decision: 'accept' | 'reject';
  readonly decisionError: string | null;
  readonly fields: readonly ReviewField[];
}

/** A sentence that commits nothing new but may speak about an earlier commitment: staff may accept it as a revisit. */
export interface ReviewStatement {
  readonly id: string;
  readonly quote: string;
  readonly question: string | null;
  readonly speaker: string;
  readonly suggestions: readonly RevisitSuggestion[];
  /** The choice of the commitment it revisits ("None" by default: nothing is written unless staff choose). */
  readonly field: ReviewField;
}

export interface DraftReviewPageData {
  readonly viewer: StaffViewer;
  readonly format: string;
  readonly sessionFields: readonly ReviewField[];
  readonly sessionConfidences: string;
  readonly candidates: readonly ReviewCandidate[];
  /** Statements whose best suggestion is at least noteworthy, surest first. */
  readonly statements: readonly ReviewStatement[];
  /** The other statements with a suggestion, surest first, shown folded. */
  readonly otherStatements: readonly ReviewStatement[];
  readonly formError: string | null;
}

export type Posted = Readonly<Record<string, unknown>>;
type Problems = Record<string, string>;

const text = (body: Posted, name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
const fieldName = (candidate: string, field: string) => `c-${candidate}-${field}`;
const statementField = (statement: string) => `s-${statement}-revisit`;
const suggestionOptions = (suggestions: readonly RevisitSuggestion[]) => [
  { value: '', label: 'None' },
  ...suggestions.map((suggestion) => ({
    value: suggestion.commitmentId,
    label: `${suggestion.inBrief ? 'In the brief: ' : ''}${suggestion.commitmentId} (score ${suggestion.score}, confidence ${suggestion.confidence}): ${suggestion.summary.slice(0, 120)}`,
  })),
];
const NOT_SUGGESTED = 'choose one of the suggested commitments, or None';
const hostsText = (hosts: readonly DraftPerson[]) =>
  hosts.map((host) => (host.role ? `${host.name} (${host.role})` : host.name)).join('\n');
const KIND_OPTIONS = SESSION_KINDS.map((value) => ({ value, label: value.replace('_', ' ') }));
const STRENGTH_OPTIONS = STRENGTHS.map((value) => ({ value, label: value.replace('_', '-') }));

function sessionFields(draft: Draft, body: Posted | null, problems: Problems): ReviewField[] {
  const drafted = draftedSession(draft);
  const value = (name: string, fallback: string) => (body ? (text(body, `session-${name}`) ?? '') : fallback);
  const field = (name: string, label: string, type: ReviewField['type'], fallback: string, extra: Partial<ReviewField> = {}) => ({
    id: `session-${name}`,
    name: `session-${name}`,
    label,
    type,
    value: value(name, fallback),
    required: true,
    error: problems[`session-${name}`] ?? null,
    ...extra,
  });
  return [
    field('id', 'Session id', 'text', drafted.id, { hint: 'Lower-case letters, digits and hyphens; the session’s address.' }),
    field('date', 'Date', 'date', draft.session.date.value ?? ''),
    field('title', 'Title', 'text', drafted.title),
    field('kind', 'Kind', 'select', drafted.kind, { options: KIND_OPTIONS }),
    field('hosts', 'Hosts', 'textarea', hostsText(drafted.hosts), { hint: 'One per line: Name (role).' }),
    field('sourceUrl', 'Published notes (link)', 'text', draft.session.sourceUrl.value ?? ''),
  ];
}

function candidateFields(
  candidate: DraftCandidate,
  suggestions: readonly RevisitSuggestion[],
  body: Posted | null,
  problems: Problems,
) {
  const value = (name: string, fallback: string) => (body ? (text(body, fieldName(candidate.id, name)) ?? '') : fallback);
  const field = (
    name: string,
    label: string,
    type: ReviewField['type'],
    fallback: string,
    extra: Partial<ReviewField> = {},
  ): ReviewField => ({
    id: fieldName(candidate.id, name),
    name: fieldName(candidate.id, name),
    label,
    type,
    value: value(name, fallback),
    required: true,
    error: problems[fieldName(candidate.id, name)] ?? null,
    ...extra,
  });
  return [
    field('id', 'Commitment id', 'text', candidate.id, {
      hint: 'Lower-case letters, digits and hyphens; its address, never changed later.',
    }),
    field('summary', 'Summary, in the tracker’s words', 'textarea', candidate.quote.text),
    field('quote', 'Exact words from the notes', 'textarea', candidate.quote.text),
    field('speaker', 'Speaker', 'text', candidate.speaker.value.name),
    field('role', 'Speaker’s role', 'text', candidate.speaker.value.role ?? '', { required: false }),
    field('owner', 'Owner team', 'text', candidate.ownerTeam.value),
    field('topics', 'Topics', 'text', candidate.section ?? '', { hint: 'Separated by commas.' }),
    field('strength', 'Strength', 'select', candidate.strength.value, { options: STRENGTH_OPTIONS }),
    field('targetAsSaid', 'Target, in the words used', 'text', candidate.target?.asSaid ?? '', { required: false }),
    field('targetDate', 'Latest day those words allow', 'date', candidate.target?.latestDate ?? '', {
      required: false,
      hint: 'Leave empty when the words allow no day.',
    }),
    field('revisit', 'Also speaks about an earlier commitment', 'select', '', {
      required: false,
      options: suggestionOptions(suggestions),
    }),
  ];
}

function reviewStatement(
  statement: DraftStatement,
  suggestions: readonly RevisitSuggestion[],
  body: Posted | null,
  problems: Problems,
): ReviewStatement {
  const name = statementField(statement.id);
  return {
    id: statement.id,
    quote: statement.quote.text,
    question: statement.question?.text ?? null,
    speaker: statement.speaker.value.name,
    suggestions,
    field: {
      id: name,
      name,
      label: 'Accept as a revisit of',
      type: 'select',
      value: body ? (text(body, name) ?? '') : '',
      required: false,
      error: problems[name] ?? null,
      options: suggestionOptions(suggestions),
    },
  };
}

/** The statements worth showing: those with a suggestion, surest first, split at `noteworthy`. */
function statementsToReview(draft: Draft, suggestions: ReadonlyMap<string, readonly RevisitSuggestion[]>) {
  // The surest suggestion, wherever it is listed (a brief's items come first whatever their confidence).
  const best = (statement: DraftStatement) => Math.max(0, ...(suggestions.get(statement.id) ?? []).map((one) => one.confidence));
  const offered = draft.statements
    .filter((statement) => (suggestions.get(statement.id) ?? []).length > 0)
    .sort((a, b) => best(b) - best(a) || a.quote.start - b.quote.start);
  return {
    likely: offered.filter((statement) => best(statement) >= NOTEWORTHY_REVISIT),
    other: offered.filter((statement) => best(statement) < NOTEWORTHY_REVISIT),
  };
}

/** The review page's data: the draft as drafted (no body), or as posted back with its problems. */
export function reviewPage(
  viewer: StaffViewer,
  draft: Draft,
  suggestions: ReadonlyMap<string, readonly RevisitSuggestion[]>,
  body: Posted | null,
  problems: Problems = {},
  formError: string | null = null,
): DraftReviewPageData {
  const { session } = draft;
  const { likely, other } = statementsToReview(draft, suggestions);
  const shown = (statement: DraftStatement) => reviewStatement(statement, suggestions.get(statement.id) ?? [], body, problems);
  return {
    viewer,
    statements: likely.map(shown),
    otherStatements: other.map(shown),
    format: draft.format,
    sessionFields: sessionFields(draft, body, problems),
    sessionConfidences: `date ${session.date.confidence}, title ${session.title.confidence}, kind ${session.kind.confidence}, hosts ${session.hosts.confidence}, link ${session.sourceUrl.confidence}`,
    formError,
    candidates: draft.candidates.map((candidate) => {
      const own = suggestions.get(candidate.id) ?? [];
      const posted = body ? text(body, fieldName(candidate.id, 'decision')) : undefined;
      const target = candidate.target;
      return {
        id: candidate.id,
        quote: candidate.quote.text,
        question: candidate.question?.text ?? null,
        confidence: candidate.confidence,
        strength: candidate.strength.value,
        decidingWords: candidate.strength.decidingWords,
        strengthConfidence: candidate.strength.confidence,
        speakerConfidence: candidate.speaker.confidence,
        ownerConfidence: candidate.ownerTeam.confidence,
        targetWindow: target
          ? `${target.earliestDate ?? 'from now'} … ${target.latestDate ?? 'no latest day'} (confidence ${target.confidence})`
          : null,
        suggestions: own,
        // Drafted, the likelier candidates are pre-accepted; posted back, the staff's choice stands.
        decision: posted === 'accept' || posted === 'reject' ? posted : candidate.confidence >= 0.5 ? 'accept' : 'reject',
        decisionError: problems[fieldName(candidate.id, 'decision')] ?? null,
        fields: candidateFields(candidate, own, body, problems),
      };
    }),
  };
}

const PERSON_LINE = /^(.+?)\s*(?:\((.+)\))?$/;
const URL = /^https?:\/\/\S+$/;

/** The posted review read into what the session file needs; problems named by form field. */
export function readReview(
  draft: Draft,
  notes: string,
  body: Posted,
  suggestions: ReadonlyMap<string, readonly RevisitSuggestion[]> = new Map(),
): { session: AcceptedSession; accepted: AcceptedCommitment[]; statements: AcceptedRevisit[] } | { problems: Problems } {
  const problems: Problems = {};
  const need = (name: string) => {
    const value = text(body, name)?.trim() ?? '';
    if (value === '') problems[name] = 'must not be empty';
    return value;
  };
  const id = need('session-id');
  if (id && !ID_PATTERN.test(id)) problems['session-id'] = 'must be 2 to 100 lower-case letters, digits or hyphens';
  const date = need('session-date');
  if (date && !isCalendarDate(date)) problems['session-date'] = CALENDAR_DATE_RULE;
  const kind = need('session-kind');
  if (kind && !(SESSION_KINDS as readonly string[]).includes(kind))
    problems['session-kind'] = `must be one of ${SESSION_KINDS.join(', ')}`;
  const sourceUrl = need('session-sourceUrl');
  if (sourceUrl && !URL.test(sourceUrl)) problems['session-sourceUrl'] = 'must be a link starting with http:// or https://';
  const hosts = (text(body, 'session-hosts') ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [, name, role] = PERSON_LINE.exec(line)!;
      return { name: name!.trim(), role: role?.trim() ?? null };
    });
  if (hosts.length === 0) problems['session-hosts'] = 'must name at least one host';
  const session: AcceptedSession = { id, date, title: need('session-title'), kind: kind as SessionKind, hosts, sourceUrl };

  const accepted: AcceptedCommitment[] = [];
  for (const candidate of draft.candidates) {
    const name = (field: string) => fieldName(candidate.id, field);
    const decision = text(body, name('decision'));
    if (decision !== 'accept' && decision !== 'reject') {
      problems[name('decision')] = 'choose accept or reject';
      continue;
    }
    if (decision === 'reject') continue;
    const commitmentId = need(name('id'));
    if (commitmentId && !ID_PATTERN.test(commitmentId))
      problems[name('id')] = 'must be 2 to 100 lower-case letters, digits or hyphens';
    const quote = need(name('quote'));
    if (quote && !notes.includes(quote)) problems[name('quote')] = 'must be words copied exactly from the notes';
    const strength = need(name('strength'));
    if (strength && !(STRENGTHS as readonly string[]).includes(strength))
      problems[name('strength')] = `must be one of ${STRENGTHS.join(', ')}`;
    const asSaid = text(body, name('targetAsSaid'))?.trim() ?? '';
    const latest = text(body, name('targetDate'))?.trim() ?? '';
    if (latest && !isCalendarDate(latest)) problems[name('targetDate')] = CALENDAR_DATE_RULE;
    if (latest && !asSaid) problems[name('targetAsSaid')] = 'say the target in the words used when a latest day is given';
    const topics = (text(body, name('topics')) ?? '')
      .split(',')
      .map((topic) => topic.trim())
      .filter(Boolean);
    if (topics.length === 0) problems[name('topics')] = 'must name at least one topic';
    const revisit = text(body, name('revisit'))?.trim() ?? '';
    if (revisit && !(suggestions.get(candidate.id) ?? []).some((suggestion) => suggestion.commitmentId === revisit))
      problems[name('revisit')] = NOT_SUGGESTED;
    const role = text(body, name('role'))?.trim() ?? '';
    accepted.push({
      id: commitmentId,
      candidateId: candidate.id,
      quote,
      summary: need(name('summary')),
      speaker: { name: need(name('speaker')), role: role || null },
      ownerTeam: need(name('owner')),
      topics,
      strength: strength as Strength,
      target: asSaid
        ? {
            asSaid,
            // The drafter's window start holds only while the staff kept its latest day; no last day, no window.
            earliestDate:
              latest !== '' && latest === (candidate.target?.latestDate ?? '') ? (candidate.target?.earliestDate ?? null) : null,
            latestDate: latest || null,
          }
        : null,
      revisits: revisit ? [revisit] : [],
    });
  }
  // A statement is written only when staff chose one of its suggestions.
  const statements: AcceptedRevisit[] = [];
  for (const statement of draft.statements) {
    const name = statementField(statement.id);
    const chosen = text(body, name)?.trim() ?? '';
    if (!chosen) continue;
    if (!(suggestions.get(statement.id) ?? []).some((suggestion) => suggestion.commitmentId === chosen)) {
      problems[name] = NOT_SUGGESTED;
      continue;
    }
    statements.push({
      commitment: chosen,
      quote: statement.quote.text,
      speaker: statement.speaker.value,
      statementId: statement.id,
    });
  }
  return Object.keys(problems).length > 0 ? { problems } : { session, accepted, statements };
}

const FILE_FIELDS: Readonly<Record<string, string>> = {
  'speaker.name': 'speaker',
  'speaker.role': 'role',
  ownerTeam: 'owner',
  'target.asSaid': 'targetAsSaid',
  'target.latestDate': 'targetDate',
  target: 'targetDate',
};

/** The import's refusals, put next to the form field they are about (or on the whole form). */
export function problemsByField(
  accepted: readonly AcceptedCommitment[],
  problems: readonly FileProblem[],
  statements: readonly AcceptedRevisit[] = [],
): { fields: Problems; form: string | null } {
  // The file's revisits are the accepted commitments' own, then the statements' (see acceptedSessionFile).
  const revisitFields = [
    ...accepted.flatMap((commitment) =>
      commitment.revisits.map(() => fieldName(commitment.candidateId ?? commitment.id, 'revisit')),
    ),
    ...statements.map((statement) => (statement.statementId ? statementField(statement.statementId) : null)),
  ];
  const fields: Problems = {};
  const rest: string[] = [];
  for (const problem of problems) {
    const commitment = /^commitments\[(\d+)\]/.exec(problem.entry);
    const revisit = /^revisits\[(\d+)\]/.exec(problem.entry);
    const field = problem.field.split('.').slice(0, 2).join('.');
    if (problem.entry === 'session' && problem.field) {
      fields[`session-${problem.field.split('.')[0] === 'hosts' ? 'hosts' : problem.field.split('.')[0]}`] ??= problem.reason;
    } else if (commitment && accepted[Number(commitment[1])]) {
      const made = accepted[Number(commitment[1])]!;
      const id = made.candidateId ?? made.id;
      const name = FILE_FIELDS[field] ?? FILE_FIELDS[problem.field.split('.')[0]!] ?? problem.field.split('.')[0]!;
      fields[fieldName(id, name || 'summary')] ??= problem.reason;
    } else if (revisit) {
      const field = revisitFields[Number(revisit[1])];
      if (field) fields[field] ??= problem.reason;
      else rest.push(`${problem.entry}: ${problem.reason}`);
    } else rest.push(`${problem.entry}${problem.field ? ` ${problem.field}` : ''}: ${problem.reason}`);
  }
  return { fields, form: rest.length > 0 ? rest.join('; ') : null };
}
