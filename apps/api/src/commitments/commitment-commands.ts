import {
  commitmentDecider,
  commitmentStreamId,
  sessionDayStart,
  type CommitmentCommand,
  type RevisitReport,
  type SessionFacts,
  type StatusChangeFacts,
} from '#governance';
import { definedChanges } from '../command-handling/changes.js';
import type { Aggregate, CommandEntry } from '../command-handling/command-table.js';
import { toPerson, toTarget } from '../http/dto.js';
import {
  CorrectCommitmentDto,
  DeliverCommitmentDto,
  DropCommitmentDto,
  LinkCommitmentDto,
  MakeCommitmentDto,
  ReopenCommitmentDto,
  ReportProgressDto,
  RetargetCommitmentDto,
  RevisitCommitmentDto,
  StartWorkDto,
  type RevisitReportDto,
  SupersedeCommitmentDto,
} from './commitment.dto.js';

type Type = CommitmentCommand['type'];
type Entry<T extends Type, Input extends object> = CommandEntry<Extract<CommitmentCommand, { type: T }>, Input>;
const entry = <T extends Type, Input extends object>(definition: Entry<T, Input> & { readonly type: T }) => definition;

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
      summary: 'Mark it superseded by another commitment',
      facts: { commitment: (input) => input.supersededBy },
      toCommand: (input, { commitment }) => ({
        data: { replacement: commitment, replacementId: input.supersededBy, note: input.note, ...statusFacts(input) },
        occurredAt: input.occurredAt,
      }),
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
        const { speaker, target, ...rest } = definedChanges(input.changes, ['target']);
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
