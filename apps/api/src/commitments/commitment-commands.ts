import {
  commitmentDecider,
  commitmentStreamId,
  sessionDayStart,
  splitPartCommitment,
  type CommitmentCommand,
  type CommitmentState,
  type RevisitReport,
  type SessionFacts,
  type SplitPart,
  type StatusChangeFacts,
} from '#governance';
import { definedChanges } from '../command-handling/changes.js';
import type { Aggregate, CommandEntry, OtherIntent } from '../command-handling/command-table.js';
import { toPerson, toTarget } from '../http/dto.js';
import {
  CorrectCommitmentDto,
  DeliverCommitmentDto,
  DropCommitmentDto,
  LinkCommitmentDto,
  MakeCommitmentDto,
  MergeCommitmentDto,
  ReopenCommitmentDto,
  ReportProgressDto,
  RetargetCommitmentDto,
  RevisitCommitmentDto,
  SplitCommitmentDto,
  StartWorkDto,
  type RevisitReportDto,
  SupersedeCommitmentDto,
} from './commitment.dto.js';

type Type = CommitmentCommand['type'];
type Entry<T extends Type, Input extends object> = CommandEntry<Extract<CommitmentCommand, { type: T }>, Input>;
const entry = <T extends Type, Input extends object>(definition: Entry<T, Input> & { readonly type: T }) => definition;
/** A command on another commitment, made with an entry's own. */
const other = <T extends Type>(
  intent: OtherIntent & { readonly type: T; readonly data: Extract<CommitmentCommand, { type: T }>['data'] },
) => intent;

// A session's commitments happened on its day; its hour is rarely in the notes.
const sessionDay = (session: SessionFacts | null) => (session ? sessionDayStart(session.date) : undefined);

/** Evidence links and the date's precision, each only when given: events without them read as exact, with none. */
const statusFacts = (input: {
  readonly evidence?: readonly string[];
  readonly datePrecision?: StatusChangeFacts['datePrecision'];
}) => ({
  ...(input.evidence !== undefined ? { evidence: [...input.evidence] } : {}),
  ...(input.datePrecision !== undefined ? { datePrecision: input.datePrecision } : {}),
});

function toRevisitReport(report: RevisitReportDto): RevisitReport {
  if (report.kind === 'dropped')
    return { kind: report.kind, reason: report.reason!, explanation: report.explanation!, ...statusFacts(report) };
  return { kind: report.kind, note: report.note!, ...statusFacts(report), evidence: [...(report.evidence ?? [])] };
}

/** A split's parts; a part without a chosen id is named after the original and its place. */
const partsOf = (input: SplitCommitmentDto, originalId: string): SplitPart[] =>
  input.parts.map((part, index) => ({
    commitmentId: part.id ?? `${originalId.slice(0, 96)}-${index + 1}`,
    summary: part.summary,
    quote: part.quote ?? null,
    ownerTeam: part.ownerTeam ?? null,
    target: part.target ? toTarget(part.target) : null,
  }));

const aggregate: Aggregate<CommitmentCommand> = {
  resource: 'Commitment',
  path: 'commitments',
  idParam: 'commitmentId',
  decider: commitmentDecider,
  streamId: commitmentStreamId,
  creation: 'MakeCommitment',
};

/** Every commitment command: its route, input, role and docs, the facts it needs, and the command it makes. */
export const COMMITMENT_COMMANDS = {
  aggregate,
  commands: {
    make: entry({
      type: 'MakeCommitment',
      route: '',
      input: MakeCommitmentDto,
      role: 'editor',
      summary: 'Record a commitment made in a session',
      facts: { session: (input) => input.sessionId },
      chosenId: (input) => input.id,
      toCommand: (input, { session }, { id }) => ({
        data: {
          commitmentId: id,
          session,
          speaker: toPerson(input.speaker),
          ownerTeam: input.ownerTeam,
          topics: [...input.topics],
          summary: input.summary,
          quote: input.quote,
          target: toTarget(input.target),
          strength: input.strength,
          note: input.note ?? null,
        },
        occurredAt: sessionDay(session),
      }),
    }),
    revisit: entry({
      type: 'RevisitCommitment',
      route: ':commitmentId/revisits',
      input: RevisitCommitmentDto,
      role: 'staff',
      summary: 'Record what a later session said about it',
      description:
        'Optionally with a new target (a later one counts as a slip) and a status report (progress, delivered, partially delivered, dropped), appended with it in one step.',
      facts: { session: (input) => input.sessionId },
      toCommand: (input, { session }) => ({
        data: {
          session,
          statement: input.statement,
          quote: input.quote ?? null,
          speaker: input.speaker ? toPerson(input.speaker) : null,
          newTarget: toTarget(input.newTarget),
          ...(input.report ? { report: toRevisitReport(input.report) } : {}),
        },
        occurredAt: sessionDay(session),
      }),
    }),
    reportProgress: entry({
      type: 'ReportProgress',
      route: ':commitmentId/progress',
      input: ReportProgressDto,
      role: 'staff',
      summary: 'Report progress, with evidence links',
      toCommand: (input) => ({
        data: { note: input.note, ...statusFacts(input), evidence: [...(input.evidence ?? [])] },
        occurredAt: input.occurredAt,
      }),
    }),
    startWork: entry({
      type: 'StartWork',
      route: ':commitmentId/start',
      input: StartWorkDto,
      role: 'staff',
      summary: 'Mark work as started',
      toCommand: (input) => ({ data: { note: input.note ?? null, ...statusFacts(input) }, occurredAt: input.occurredAt }),
    }),
    retarget: entry({
      type: 'RetargetCommitment',
      route: ':commitmentId/retarget',
      input: RetargetCommitmentDto,
      role: 'staff',
      summary: 'Give it a new target, with the reason',
      description: 'A later date than before counts as a slip.',
      toCommand: (input) => ({
        data: { newTarget: toTarget(input.newTarget), reason: input.reason, ...statusFacts(input) },
        occurredAt: input.occurredAt,
      }),
    }),
    deliver: entry({
      type: 'DeliverCommitment',
      route: ':commitmentId/delivery',
      input: DeliverCommitmentDto,
      role: 'staff',
      summary: 'Record that it was delivered, fully or partially',
      toCommand: (input) => ({
        data: {
          completeness: input.completeness,
          note: input.note,
          ...statusFacts(input),
          evidence: [...(input.evidence ?? [])],
        },
        occurredAt: input.occurredAt,
      }),
    }),
    drop: entry({
      type: 'DropCommitment',
      route: ':commitmentId/drop',
      input: DropCommitmentDto,
      role: 'staff',
      summary: 'Drop it, with a reason',
      toCommand: (input) => ({
        data: { reason: input.reason, explanation: input.explanation, ...statusFacts(input) },
        occurredAt: input.occurredAt,
      }),
    }),
    supersede: entry({
      type: 'SupersedeCommitment',
      route: ':commitmentId/supersede',
      input: SupersedeCommitmentDto,
      role: 'staff',
      summary: 'Mark it superseded by another commitment, or by several',
      description:
        'The commitments named are checked as they stand when it is saved: two opposite supersessions cannot both succeed.',
      facts: { commitments: (input) => [input.supersededBy, ...(input.alsoSupersededBy ?? [])] },
      toCommand: (input, { commitments }) => ({
        data: { replacements: commitments, note: input.note, ...statusFacts(input) },
        occurredAt: input.occurredAt,
      }),
    }),
    split: entry({
      type: 'SplitCommitment',
      route: ':commitmentId/split',
      input: SplitCommitmentDto,
      role: 'editor',
      summary: 'Split it into several new commitments',
      makesNew: true,
      description:
        'Each part is a new commitment made in the same session, by the same speaker, with the quote it came from; the original closes as split. All in one append.',
      toCommand: (input, _facts, { id }) => ({
        data: { parts: partsOf(input, id), note: input.note, ...statusFacts(input) },
        occurredAt: input.occurredAt,
      }),
      others: (input, _facts, { id, state }) => {
        const original = state as CommitmentState;
        // Not made: the split itself is refused first.
        if (original.status === 'not_made') return [];
        return partsOf(input, id).map((part, index) =>
          other({
            type: 'MakeCommitment',
            id: part.commitmentId,
            field: `parts[${index}]`,
            data: splitPartCommitment(original, part),
            occurredAt: sessionDay(original.madeIn),
          }),
        );
      },
    }),
    merge: entry({
      type: 'MergeCommitment',
      route: ':commitmentId/merge',
      input: MergeCommitmentDto,
      role: 'editor',
      summary: 'Merge it, and any others named, into an open commitment',
      description: 'Each closes as merged into `into`, which is checked as it stands when it is saved. All in one append.',
      facts: { commitments: (input) => [input.into] },
      toCommand: (input, { commitments }) => ({
        data: { into: commitments[0]!, note: input.note, ...statusFacts(input) },
        occurredAt: input.occurredAt,
      }),
      others: (input, { commitments }) =>
        (input.alsoMerging ?? []).map((source, index) =>
          other({
            type: 'MergeCommitment',
            id: source,
            field: `alsoMerging[${index}]`,
            data: { into: commitments[0]!, note: input.note, ...statusFacts(input) },
            occurredAt: input.occurredAt,
          }),
        ),
    }),
    reopen: entry({
      type: 'ReopenCommitment',
      route: ':commitmentId/reopen',
      input: ReopenCommitmentDto,
      role: 'staff',
      summary: 'Reopen a closed commitment',
      toCommand: (input) => ({ data: { reason: input.reason, ...statusFacts(input) }, occurredAt: input.occurredAt }),
    }),
    correct: entry({
      type: 'CorrectCommitment',
      route: ':commitmentId/corrections',
      input: CorrectCommitmentDto,
      role: 'editor',
      summary: 'Correct how it was recorded',
      description: 'An editorial fix with a reason, kept apart from progress; not a slip.',
      toCommand: (input) => {
        // A target or an editor's note may be cleared.
        const { speaker, target, ...rest } = definedChanges(input.changes, ['target', 'note']);
        const changes = {
          ...rest,
          ...(speaker ? { speaker: toPerson(speaker) } : {}),
          ...(target !== undefined ? { target: toTarget(target) } : {}),
        };
        return { data: { changes, reason: input.reason } };
      },
    }),
    link: entry({
      type: 'LinkCommitment',
      route: ':commitmentId/links',
      input: LinkCommitmentDto,
      role: 'editor',
      summary: 'Link it to a related commitment',
      facts: { commitment: (input) => input.linkedTo },
      toCommand: (input, { commitment }) => ({
        data: { other: commitment, otherId: input.linkedTo, relation: input.relation, note: input.note ?? null },
      }),
    }),
  },
};
