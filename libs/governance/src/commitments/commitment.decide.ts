import {
  IllegalStateError,
  RuleViolationError,
  isPlainObject,
  STRENGTHS,
  assertNever,
  dayOf,
  requireCalendarDate,
  requireCommandTimes,
  requireId,
  requireNotInFuture,
  requireObject,
  requireOneOf,
  requirePerson,
  requirePersonOrNull,
  requireTarget,
  requireTargetOrNull,
  requireText,
  requireTextList,
  requireTextOrNull,
  sameRecordedValue,
  sameTarget,
  type CalendarDate,
  type Decider,
  type DomainCommand,
  type Person,
  type SessionFacts,
  type Target,
} from '../shared/index.js';
import {
  DATE_PRECISIONS,
  DROP_REASONS,
  LINK_RELATIONS,
  type StatusChangeFacts,
  type CommitmentDetails,
  type CommitmentEvent,
  type DropReason,
  type LinkRelation,
} from './commitment.events.js';
import {
  evolveCommitment,
  initialCommitmentState,
  OPEN_STATUSES,
  COMMITMENT_STATUSES,
  isClosed,
  isOpen,
  type ClosedCommitment,
  type CommitmentState,
  type CommitmentStatus,
  type OpenCommitment,
} from './commitment.state.js';

/** Facts about another commitment, looked up by the command handler; `null` when it does not exist. */
export interface OtherCommitmentFacts {
  readonly commitmentId: string;
  readonly status: CommitmentStatus;
  /** Every commitment reached by following what replaced it (superseded by, merged into, split into), to refuse a cycle. */
  readonly supersededByChain: readonly string[];
}

/** Another commitment a command names: the id as given, and its facts (`null` when it does not exist). */
export interface OtherCommitmentRef {
  readonly id: string;
  readonly facts: OtherCommitmentFacts | null;
}

/** One part of a split: a new commitment; what is null here it keeps from the original. */
export interface SplitPart {
  readonly commitmentId: string;
  readonly summary: string;
  /** Words from the original quote that this part is about; null keeps the whole quote. */
  readonly quote: string | null;
  readonly ownerTeam: string | null;
  readonly target: Target | null;
}

export type MakeCommitment = DomainCommand<
  'MakeCommitment',
  { readonly commitmentId: string; readonly session: SessionFacts | null } & CommitmentDetails
>;
export type RevisitCommitment = DomainCommand<
  'RevisitCommitment',
  {
    readonly session: SessionFacts | null;
    readonly statement: string;
    readonly quote: string | null;
    readonly speaker: Person | null;
    readonly newTarget: Target | null;
    /** What the session reported about it, appended with the revisit in one step; none when absent or null. */
    readonly report?: RevisitReport | null;
  }
>;

/** A status report a revisit carries, as sessions give them: the standalone command it stands for decides it. */
export type RevisitReport =
  | ({ readonly kind: 'progress'; readonly note: string; readonly evidence: readonly string[] } & StatusChangeFacts)
  | ({
      readonly kind: 'delivered' | 'partially_delivered';
      readonly note: string;
      readonly evidence: readonly string[];
    } & StatusChangeFacts)
  | ({ readonly kind: 'dropped'; readonly reason: DropReason; readonly explanation: string } & StatusChangeFacts);
export const REVISIT_REPORT_KINDS = [
  'progress',
  'delivered',
  'partially_delivered',
  'dropped',
] as const satisfies readonly RevisitReport['kind'][];

export type ReportProgress = DomainCommand<
  'ReportProgress',
  { readonly note: string; readonly evidence: readonly string[] } & StatusChangeFacts
>;
export type StartWork = DomainCommand<'StartWork', { readonly note: string | null } & StatusChangeFacts>;
export type RetargetCommitment = DomainCommand<
  'RetargetCommitment',
  { readonly newTarget: Target; readonly reason: string } & StatusChangeFacts
>;
export type DeliverCommitment = DomainCommand<
  'DeliverCommitment',
  { readonly completeness: 'full' | 'partial'; readonly note: string; readonly evidence: readonly string[] } & StatusChangeFacts
>;
export type DropCommitment = DomainCommand<
  'DropCommitment',
  { readonly reason: DropReason; readonly explanation: string } & StatusChangeFacts
>;
/** Superseded by one commitment or several. */
export type SupersedeCommitment = DomainCommand<
  'SupersedeCommitment',
  { readonly replacements: readonly OtherCommitmentRef[]; readonly note: string } & StatusChangeFacts
>;
/** Closes it as split into new commitments, its parts (each made by its own `MakeCommitment`). */
export type SplitCommitment = DomainCommand<
  'SplitCommitment',
  { readonly parts: readonly SplitPart[]; readonly note: string } & StatusChangeFacts
>;
/** Closes it as merged into another, open commitment that carries the promise on. */
export type MergeCommitment = DomainCommand<
  'MergeCommitment',
  { readonly into: OtherCommitmentRef; readonly note: string } & StatusChangeFacts
>;
export type ReopenCommitment = DomainCommand<'ReopenCommitment', { readonly reason: string } & StatusChangeFacts>;
export type CorrectCommitment = DomainCommand<
  'CorrectCommitment',
  { readonly changes: Partial<CommitmentDetails>; readonly reason: string }
>;
export type LinkCommitment = DomainCommand<
  'LinkCommitment',
  {
    readonly other: OtherCommitmentFacts | null;
    readonly otherId: string;
    readonly relation: LinkRelation;
    readonly note: string | null;
  }
>;

export type CommitmentCommand =
  | MakeCommitment
  | RevisitCommitment
  | ReportProgress
  | StartWork
  | RetargetCommitment
  | DeliverCommitment
  | DropCommitment
  | SupersedeCommitment
  | SplitCommitment
  | MergeCommitment
  | ReopenCommitment
  | CorrectCommitment
  | LinkCommitment;

type MadeStatus = Exclude<CommitmentState['status'], 'not_made'>;
const NOT_MADE = 'This commitment has not been made.';
const onlyOpen = (action: string) => (status: MadeStatus) =>
  isOpenStatus(status)
    ? null
    : `Cannot ${action} this commitment: it is ${status.replace('_', ' ')}. A closed commitment accepts only reopen, correct, revisit and link.`;
const anyMade = () => null;

/**
 * In which states each command is accepted: the reason it is refused in the others, `null`
 * where it is accepted. `decide` refuses by it, and the pages offer what it accepts.
 */
const REFUSAL_IN: {
  readonly [Type in CommitmentCommand['type']]: (status: CommitmentState['status']) => string | null;
} = {
  MakeCommitment: (status) => (status === 'not_made' ? null : 'This commitment has already been made.'),
  RevisitCommitment: made(anyMade),
  ReportProgress: made(onlyOpen('report progress on')),
  StartWork: made(
    (status) =>
      onlyOpen('start work on')(status) ?? (status === 'in_progress' ? 'Work on this commitment has already started.' : null),
  ),
  RetargetCommitment: made(onlyOpen('re-target')),
  DeliverCommitment: made(onlyOpen('deliver')),
  DropCommitment: made(onlyOpen('drop')),
  SupersedeCommitment: made(onlyOpen('supersede')),
  SplitCommitment: made(onlyOpen('split')),
  MergeCommitment: made(onlyOpen('merge')),
  ReopenCommitment: made((status) =>
    isOpenStatus(status) ? 'Only a closed commitment can be reopened; this one is still open.' : null,
  ),
  CorrectCommitment: made(anyMade),
  LinkCommitment: made(anyMade),
};

function made(refusal: (status: MadeStatus) => string | null) {
  return (status: CommitmentState['status']) => (status === 'not_made' ? NOT_MADE : refusal(status));
}

function isOpenStatus(status: CommitmentState['status']): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}

/** The commands a commitment in this status accepts (their data may still break a rule). */
export function acceptedCommands(status: CommitmentState['status']): readonly CommitmentCommand['type'][] {
  return (Object.keys(REFUSAL_IN) as CommitmentCommand['type'][]).filter((type) => REFUSAL_IN[type](status) === null);
}

export function decideCommitment(command: CommitmentCommand, state: CommitmentState): readonly CommitmentEvent[] {
  requireWellFormedCommitmentCommand(command);
  requireNotInFuture(command.occurredAt, command.now);
  const refusal = REFUSAL_IN[command.type](state.status);
  if (refusal !== null) throw new IllegalStateError(refusal);
  if (command.type === 'MakeCommitment') return make(command);
  if (state.status === 'not_made') throw new IllegalStateError(NOT_MADE);
  switch (command.type) {
    case 'RevisitCommitment':
      return revisit(command, state);
    case 'ReportProgress':
      happenedSinceMade(command, state);
      return [{ type: 'ProgressReported', data: command.data }];
    case 'StartWork':
      happenedSinceMade(command, state);
      return [{ type: 'WorkStarted', data: command.data }];
    case 'RetargetCommitment': {
      const open = accepted(state);
      happenedSinceMade(command, open);
      requireTargetNotBefore(command.data.newTarget, open.madeIn, 'newTarget');
      if (sameTarget(open.target, command.data.newTarget))
        throw new RuleViolationError('The new target is the same as the current one.', 'newTarget');
      return [{ type: 'CommitmentRetargeted', data: { previousTarget: open.target, ...command.data } }];
    }
    case 'DeliverCommitment':
      happenedSinceMade(command, state);
      return [{ type: 'CommitmentDelivered', data: command.data }];
    case 'DropCommitment':
      happenedSinceMade(command, state);
      return [{ type: 'CommitmentDropped', data: command.data }];
    case 'SupersedeCommitment':
      return supersede(command, accepted(state));
    case 'SplitCommitment':
      return split(command, accepted(state));
    case 'MergeCommitment':
      return merge(command, accepted(state));
    case 'ReopenCommitment':
      happenedSinceMade(command, state);
      return [{ type: 'CommitmentReopened', data: command.data }];
    case 'CorrectCommitment':
      return correct(command, state);
    case 'LinkCommitment':
      return link(command, state);
    default:
      return assertNever(command);
  }
}

export const commitmentDecider: Decider<CommitmentCommand, CommitmentEvent, CommitmentState> = {
  initialState: initialCommitmentState,
  decide: decideCommitment,
  evolve: evolveCommitment,
};

/** The fields of a commitment's details, in the order they are shown and corrected. */
export const COMMITMENT_DETAIL_FIELDS: readonly (keyof CommitmentDetails)[] = [
  'speaker',
  'ownerTeam',
  'topics',
  'summary',
  'quote',
  'target',
  'strength',
  'note',
];

const detailChecks: { readonly [Field in keyof CommitmentDetails]-?: (value: unknown, field: string) => void } = {
  speaker: requirePerson,
  ownerTeam: requireText,
  topics: requireTextList,
  summary: requireText,
  quote: requireText,
  target: requireTargetOrNull,
  strength: (value, field) => requireOneOf(value, STRENGTHS, field),
  note: requireTextOrNull,
};

const SESSION_FACTS = ['sessionId', 'date'];
const STATUS_CHANGE_FIELDS = ['evidence', 'datePrecision'] as const satisfies readonly (keyof StatusChangeFacts)[];

/** Evidence links and the precision of the date, each optional. */
function requireStatusChangeFacts(data: Readonly<Record<string, unknown>>, prefix: string): void {
  if (data.evidence !== undefined) requireTextList(data.evidence, `${prefix}evidence`);
  if (data.datePrecision !== undefined) requireOneOf(data.datePrecision, DATE_PRECISIONS, `${prefix}datePrecision`);
}

const REPORT_FIELDS: { readonly [Kind in RevisitReport['kind']]: readonly string[] } = {
  progress: ['kind', 'note', 'evidence', 'datePrecision'],
  delivered: ['kind', 'note', 'evidence', 'datePrecision'],
  partially_delivered: ['kind', 'note', 'evidence', 'datePrecision'],
  dropped: ['kind', 'reason', 'explanation', 'evidence', 'datePrecision'],
};

function requireRevisitReport(value: unknown, field: string): void {
  const kind = isPlainObject(value) ? value.kind : undefined;
  requireOneOf(kind, REVISIT_REPORT_KINDS, `${field}.kind`);
  const report = requireObject(value, field, REPORT_FIELDS[kind as RevisitReport['kind']]);
  if (kind === 'dropped') {
    requireOneOf(report.reason, DROP_REASONS, `${field}.reason`);
    requireText(report.explanation, `${field}.explanation`);
  } else {
    requireText(report.note, `${field}.note`);
    requireTextList(report.evidence, `${field}.evidence`);
  }
  requireStatusChangeFacts(report, `${field}.`);
}

function requireSessionFacts(value: unknown, field: string): void {
  if (value === null) return;
  const session = requireObject(value, field, SESSION_FACTS);
  requireId(session.sessionId, `${field}.sessionId`);
  requireCalendarDate(session.date, `${field}.date`);
}

function requireOtherCommitmentFacts(value: unknown, field: string): void {
  if (value === null) return;
  const other = requireObject(value, field, ['commitmentId', 'status', 'supersededByChain']);
  requireId(other.commitmentId, `${field}.commitmentId`);
  requireOneOf(other.status, COMMITMENT_STATUSES, `${field}.status`);
  requireTextList(other.supersededByChain, `${field}.supersededByChain`);
}

function requireOtherCommitmentRef(value: unknown, field: string): void {
  const ref = requireObject(value, field, ['id', 'facts']);
  requireId(ref.id, `${field}.id`);
  requireOtherCommitmentFacts(ref.facts, `${field}.facts`);
}

function requireList(value: unknown, field: string, each: (item: unknown, field: string) => void): void {
  if (!Array.isArray(value)) return requireTextList(value, field);
  value.forEach((item, index) => each(item, `${field}[${index}]`));
}

/**
 * Nothing that is not well formed reaches the log, whoever sent the command (the API, a
 * session file, a CSV, a future importer): ids, days, instants, clean text, a person and a
 * target each of the right shape. The rules about the state come after.
 */
function requireWellFormedCommitmentCommand(command: CommitmentCommand): void {
  requireCommandTimes(command);
  const fields = (names: readonly string[]) => requireObject(command.data, '', names);
  switch (command.type) {
    case 'MakeCommitment': {
      const data = fields(['commitmentId', 'session', ...COMMITMENT_DETAIL_FIELDS]);
      requireId(data.commitmentId, 'commitmentId');
      requireSessionFacts(data.session, 'session');
      for (const field of COMMITMENT_DETAIL_FIELDS)
        detailChecks[field](field === 'note' ? (data.note ?? null) : data[field], field);
      return;
    }
    case 'RevisitCommitment': {
      const data = fields(['session', 'statement', 'quote', 'speaker', 'newTarget', 'report']);
      requireSessionFacts(data.session, 'session');
      requireText(data.statement, 'statement');
      requireTextOrNull(data.quote, 'quote');
      requirePersonOrNull(data.speaker, 'speaker');
      requireTargetOrNull(data.newTarget, 'newTarget');
      if (data.report !== undefined && data.report !== null) requireRevisitReport(data.report, 'report');
      return;
    }
    case 'ReportProgress':
    case 'DeliverCommitment': {
      const named = command.type === 'DeliverCommitment' ? ['completeness', 'note', 'evidence'] : ['note', 'evidence'];
      const data = fields([...named, ...STATUS_CHANGE_FIELDS]);
      if (command.type === 'DeliverCommitment') requireOneOf(data.completeness, ['full', 'partial'], 'completeness');
      requireText(data.note, 'note');
      requireTextList(data.evidence, 'evidence');
      requireStatusChangeFacts(data, '');
      return;
    }
    case 'StartWork': {
      const data = fields(['note', ...STATUS_CHANGE_FIELDS]);
      requireTextOrNull(data.note, 'note');
      requireStatusChangeFacts(data, '');
      return;
    }
    case 'RetargetCommitment': {
      const data = fields(['newTarget', 'reason', ...STATUS_CHANGE_FIELDS]);
      requireTarget(data.newTarget, 'newTarget');
      requireText(data.reason, 'reason');
      requireStatusChangeFacts(data, '');
      return;
    }
    case 'DropCommitment': {
      const data = fields(['reason', 'explanation', ...STATUS_CHANGE_FIELDS]);
      requireOneOf(data.reason, DROP_REASONS, 'reason');
      requireText(data.explanation, 'explanation');
      requireStatusChangeFacts(data, '');
      return;
    }
    case 'SupersedeCommitment': {
      const data = fields(['replacements', 'note', ...STATUS_CHANGE_FIELDS]);
      requireList(data.replacements, 'replacements', requireOtherCommitmentRef);
      requireText(data.note, 'note');
      requireStatusChangeFacts(data, '');
      return;
    }
    case 'SplitCommitment': {
      const data = fields(['parts', 'note', ...STATUS_CHANGE_FIELDS]);
      requireList(data.parts, 'parts', (value, field) => {
        const part = requireObject(value, field, ['commitmentId', 'summary', 'quote', 'ownerTeam', 'target']);
        requireId(part.commitmentId, `${field}.commitmentId`);
        requireText(part.summary, `${field}.summary`);
        requireTextOrNull(part.quote, `${field}.quote`);
        requireTextOrNull(part.ownerTeam, `${field}.ownerTeam`);
        requireTargetOrNull(part.target, `${field}.target`);
      });
      requireText(data.note, 'note');
      requireStatusChangeFacts(data, '');
      return;
    }
    case 'MergeCommitment': {
      const data = fields(['into', 'note', ...STATUS_CHANGE_FIELDS]);
      requireOtherCommitmentRef(data.into, 'into');
      requireText(data.note, 'note');
      requireStatusChangeFacts(data, '');
      return;
    }
    case 'ReopenCommitment': {
      const data = fields(['reason', ...STATUS_CHANGE_FIELDS]);
      requireText(data.reason, 'reason');
      requireStatusChangeFacts(data, '');
      return;
    }
    case 'CorrectCommitment': {
      const data = fields(['changes', 'reason']);
      const changes = requireObject(data.changes, 'changes', COMMITMENT_DETAIL_FIELDS);
      for (const field of COMMITMENT_DETAIL_FIELDS) {
        if (changes[field] !== undefined) detailChecks[field](changes[field], `changes.${field}`);
      }
      requireText(data.reason, 'reason');
      return;
    }
    case 'LinkCommitment': {
      const data = fields(['other', 'otherId', 'relation', 'note']);
      requireOtherCommitmentFacts(data.other, 'other');
      requireId(data.otherId, 'otherId');
      requireOneOf(data.relation, LINK_RELATIONS, 'relation');
      requireTextOrNull(data.note, 'note');
      return;
    }
    default:
      return assertNever(command);
  }
}

function make(command: MakeCommitment): readonly CommitmentEvent[] {
  const { session, commitmentId, ...details } = command.data;
  if (session === null)
    throw new RuleViolationError('A commitment is made in a recorded session; that session has not been recorded.');
  requireTargetNotBefore(details.target, session, 'target');
  return [
    { type: 'CommitmentMade', data: { commitmentId, sessionId: session.sessionId, sessionDate: session.date, ...details } },
  ];
}

function revisit(command: RevisitCommitment, state: OpenCommitment | ClosedCommitment): readonly CommitmentEvent[] {
  const { session, newTarget, ...said } = command.data;
  if (session === null)
    throw new RuleViolationError('A revisit happens in a recorded session; that session has not been recorded.', 'sessionId');
  if (session.date <= state.madeIn.date) {
    throw new RuleViolationError(
      `A revisit happens in a later session: this commitment was made on ${state.madeIn.date}, the session is dated ${session.date}.`,
      'sessionId',
    );
  }
  if (state.revisitedIn.some((earlier) => earlier.sessionId === session.sessionId)) {
    throw new RuleViolationError(
      'This commitment was already revisited in that session; correct that revisit instead.',
      'sessionId',
    );
  }
  if (newTarget !== null) {
    if (isClosed(state))
      throw new IllegalStateError(`This commitment is ${state.status}; reopen it before giving it a new target.`);
    requireTargetNotBefore(newTarget, session, 'newTarget');
  }
  const { report, ...spoken } = said;
  const revisited: readonly CommitmentEvent[] = [
    {
      type: 'CommitmentRevisited',
      data: { sessionId: session.sessionId, sessionDate: session.date, ...spoken, newTarget, previousTarget: state.target },
    },
  ];
  if (report === undefined || report === null) return revisited;
  // The report is the standalone command it stands for, decided on the state the revisit leaves.
  const reported = reportCommand(report, command);
  return [...revisited, ...decideCommitment(reported, revisited.reduce(evolveCommitment, state))];
}

function reportCommand(report: RevisitReport, { occurredAt, now }: RevisitCommitment): CommitmentCommand {
  const at = { occurredAt, now };
  switch (report.kind) {
    case 'progress': {
      const { kind: _kind, ...data } = report;
      return { type: 'ReportProgress', data, ...at };
    }
    case 'delivered':
    case 'partially_delivered': {
      const { kind, ...data } = report;
      return { type: 'DeliverCommitment', data: { completeness: kind === 'delivered' ? 'full' : 'partial', ...data }, ...at };
    }
    case 'dropped': {
      const { kind: _kind, ...data } = report;
      return { type: 'DropCommitment', data, ...at };
    }
    default:
      return assertNever(report);
  }
}

function supersede(command: SupersedeCommitment, state: OpenCommitment): readonly CommitmentEvent[] {
  const { replacements, note, ...facts } = command.data;
  if (replacements.length === 0) throw new RuleViolationError('Name at least one commitment that supersedes it.', 'supersededBy');
  const ids = replacements.map((replacement) => existingReplacement(replacement, state, 'supersededBy', 'superseded by'));
  if (new Set(ids).size < ids.length)
    throw new RuleViolationError('The same commitment is named twice among those that supersede it.', 'supersededBy');
  happenedSinceMade(command, state);
  const [first, ...also] = ids;
  return [
    {
      type: 'CommitmentSuperseded',
      data: { supersededBy: first!, note, ...(also.length > 0 ? { alsoSupersededBy: also } : {}), ...facts },
    },
  ];
}

/** A commitment that is to carry this one on: it exists, is not this one, and is not carried on by this one in the end. */
function existingReplacement(ref: OtherCommitmentRef, state: OpenCommitment, field: string, words: string): string {
  if (ref.id === state.commitmentId) throw new RuleViolationError(`A commitment cannot be ${words} itself.`, field);
  if (ref.facts === null) throw new RuleViolationError(`Commitment ${ref.id} does not exist.`, field);
  // A conflict with the record as it stands (409): two opposite supersessions cannot both hold.
  if (ref.facts.supersededByChain.includes(state.commitmentId)) {
    throw new IllegalStateError(
      `Being ${words} ${ref.id} would make a cycle: ${ref.id} is itself carried on, in the end, by this one.`,
      field,
    );
  }
  return ref.facts.commitmentId;
}

function split(command: SplitCommitment, state: OpenCommitment): readonly CommitmentEvent[] {
  const { parts, note, ...facts } = command.data;
  if (parts.length < 2) throw new RuleViolationError('A split makes at least two new commitments.', 'parts');
  const ids = parts.map((part) => part.commitmentId);
  if (new Set(ids).size < ids.length) throw new RuleViolationError('Two parts have the same id.', 'parts');
  parts.forEach((part, index) => {
    if (part.commitmentId === state.commitmentId)
      throw new RuleViolationError(
        'A part is a new commitment: it cannot have the id of the original.',
        `parts[${index}].commitmentId`,
      );
    if (part.quote !== null && !normalised(state.quote).includes(normalised(part.quote))) {
      throw new RuleViolationError(
        'A part keeps the quote it came from: its words must be taken from the original quote.',
        `parts[${index}].quote`,
      );
    }
    requireTargetNotBefore(part.target, state.madeIn, `parts[${index}].target`);
  });
  happenedSinceMade(command, state);
  return [{ type: 'CommitmentSplit', data: { parts: ids, note, ...facts } }];
}

const normalised = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * The command that makes one part of a split: made in the original's session, said by the same
 * speaker, with its quote (or the words of it the part names); the rest as the part gives it.
 */
export function splitPartCommitment(original: OpenCommitment | ClosedCommitment, part: SplitPart): MakeCommitment['data'] {
  return {
    commitmentId: part.commitmentId,
    session: original.madeIn,
    speaker: original.speaker,
    ownerTeam: part.ownerTeam ?? original.ownerTeam,
    topics: original.topics,
    summary: part.summary,
    quote: part.quote ?? original.quote,
    target: part.target ?? original.target,
    strength: original.strength,
    note: null,
  };
}

function merge(command: MergeCommitment, state: OpenCommitment): readonly CommitmentEvent[] {
  const { into, note, ...facts } = command.data;
  const survivor = existingReplacement(into, state, 'into', 'merged into');
  if (into.facts !== null && !isOpenStatus(into.facts.status)) {
    throw new IllegalStateError(
      `A commitment is merged into an open one; ${into.id} is ${into.facts.status.replace('_', ' ')}.`,
      'into',
    );
  }
  happenedSinceMade(command, state);
  return [{ type: 'CommitmentMerged', data: { mergedInto: survivor, note, ...facts } }];
}

function correct(command: CorrectCommitment, state: OpenCommitment | ClosedCommitment): readonly CommitmentEvent[] {
  const changes = Object.fromEntries(
    Object.entries(command.data.changes).filter(
      ([field, value]) => value !== undefined && !sameRecordedValue(value, state[field as keyof CommitmentDetails]),
    ),
  ) as Partial<CommitmentDetails>;
  if (Object.keys(changes).length === 0)
    throw new RuleViolationError('The correction changes nothing: every value given is already recorded.');
  if (changes.target !== undefined) requireTargetNotBefore(changes.target, state.madeIn, 'changes.target');
  return [{ type: 'CommitmentCorrected', data: { changes, reason: command.data.reason } }];
}

function link(command: LinkCommitment, state: OpenCommitment | ClosedCommitment): readonly CommitmentEvent[] {
  const { other, otherId, relation, note } = command.data;
  if (otherId === state.commitmentId) throw new RuleViolationError('A commitment cannot be linked to itself.', 'linkedTo');
  if (other === null) throw new RuleViolationError(`The commitment to link to, ${otherId}, does not exist.`, 'linkedTo');
  if (state.links.some((existing) => existing.linkedTo === other.commitmentId)) {
    throw new RuleViolationError(`This commitment is already linked to ${other.commitmentId}.`, 'linkedTo');
  }
  return [{ type: 'CommitmentLinked', data: { linkedTo: other.commitmentId, relation, note } }];
}

// Narrows what REFUSAL_IN has already let through as open.
function accepted(state: OpenCommitment | ClosedCommitment): OpenCommitment {
  if (isOpen(state)) return state;
  throw new Error(`${state.status} got past the state check`);
}

function happenedSinceMade(command: CommitmentCommand, state: OpenCommitment | ClosedCommitment): void {
  const day = dayOf(command.occurredAt);
  if (day < state.madeIn.date) {
    throw new RuleViolationError(`That is dated ${day}, before the commitment was made on ${state.madeIn.date}.`, 'occurredAt');
  }
}

function requireTargetNotBefore(target: Target | null, session: { readonly date: CalendarDate }, field: string): void {
  if (target?.latestDate != null && target.latestDate < session.date) {
    throw new RuleViolationError(`The target date ${target.latestDate} is before the session of ${session.date}.`, field);
  }
}
