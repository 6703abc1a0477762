import type { RecordedEvent } from '#event-store';
import {
  commitmentDecider,
  commitmentStreamId,
  sessionDecider,
  sessionStreamId,
  InvalidValueError,
  dayStart,
  sessionDayStart,
  RuleViolationError,
  type CommitmentCommand,
  type CommitmentDetails,
  type CommitmentState,
  type OtherCommitmentFacts,
  type SessionCommand,
  type SessionDetails,
  type SessionFacts,
  type SessionState,
} from '#governance';
import { idempotentEventId } from '../command-handling/command-shell.js';
import { fold } from '../command-handling/fold.js';
import { IMPORT_SCOPE } from '../command-handling/planned-commands.js';
import { commandOf, NO_FACTS } from '../command-handling/command-table.js';
import { otherCommitmentFacts } from '../command-handling/facts.js';
import { COMMITMENT_COMMANDS } from '../commitments/commitment-commands.js';
import { detailUpdates, sameValue } from '../commitments/detail-updates.js';
import { toPerson } from '../http/dto.js';
import { SESSION_COMMANDS } from '../sessions/session-commands.js';
import { SessionFileError, type FileProblem, type SessionFile, type SessionFileUpdate } from './session-file.js';

const COMMITMENT = COMMITMENT_COMMANDS.commands;

export type PlannedCommand =
  | {
      readonly entry: string;
      readonly aggregate: 'session';
      readonly id: string;
      readonly command: SessionCommand;
      readonly key?: string;
    }
  | {
      readonly entry: string;
      readonly aggregate: 'commitment';
      readonly id: string;
      readonly command: CommitmentCommand;
      readonly key?: string;
    };

export interface PlanContext {
  readonly file: string;
  readonly actor: string;
  readonly now: string;
  readonly readStream: (streamId: string) => Promise<readonly RecordedEvent[]>;
  /** How many commitments were made or revisited in a session: a new date for it needs to know. */
  readonly commitmentsDatedBy: (sessionId: string) => Promise<number>;
}

/**
 * Turns a session file into the commands that bring the record in line with it, and runs
 * them through the pure deciders against the current state before anything is written:
 * a file whose every command is accepted is imported; otherwise nothing is, and each
 * refusal names its entry. Stable ids make a second import plan nothing.
 */
export async function planImport(file: SessionFile, context: PlanContext): Promise<readonly PlannedCommand[]> {
  const sessions = new Map<string, SessionState>();
  const commitments = new Map<string, CommitmentState>();
  const histories = new Map<string, readonly RecordedEvent[]>();
  const history = async (streamId: string) => {
    if (!histories.has(streamId)) histories.set(streamId, await context.readStream(streamId));
    return histories.get(streamId)!;
  };
  const sessionState = async (id: string) => sessions.get(id) ?? fold(sessionDecider, await history(sessionStreamId(id)));
  const commitmentState = async (id: string) =>
    commitments.get(id) ?? fold(commitmentDecider, await history(commitmentStreamId(id)));
  const sessionFacts = async (id: string): Promise<SessionFacts | null> => {
    const state = await sessionState(id);
    return state.status === 'recorded' ? { sessionId: id, date: state.date } : null;
  };
  const commitmentFacts = (id: string) => otherCommitmentFacts(id, commitmentState);

  const planned: PlannedCommand[] = [];
  const problems: FileProblem[] = [];
  const base = { now: context.now };
  const reason = `Imported from ${context.file}`;

  /** Decides now, against the state so far, so later entries see what earlier ones did. */
  const add = async (next: PlannedCommand) => {
    try {
      if (next.aggregate === 'session') {
        const events = sessionDecider.decide(next.command, await sessionState(next.id));
        sessions.set(next.id, events.reduce(sessionDecider.evolve, await sessionState(next.id)));
      } else {
        const events = commitmentDecider.decide(next.command, await commitmentState(next.id));
        commitments.set(next.id, events.reduce(commitmentDecider.evolve, await commitmentState(next.id)));
      }
      planned.push(next);
    } catch (error) {
      problems.push({ entry: next.entry, ...refusalOf(error) });
    }
  };

  const { session } = file;
  const details: SessionDetails = {
    date: session.date,
    title: session.title,
    kind: session.kind,
    hosts: session.hosts.map(toPerson),
    sourceUrl: session.sourceUrl,
  };
  const current = await sessionState(session.id);
  // Not yet recorded, or only announced: the file records it as held (a cancelled one is refused by the decider).
  if (current.status !== 'recorded') {
    await add({
      entry: 'session',
      aggregate: 'session',
      id: session.id,
      command: commandOf(SESSION_COMMANDS.commands.record, { ...details, hosts: [...details.hosts] }, NO_FACTS, {
        id: session.id,
        ...base,
      }),
    });
  } else {
    const asserted = sessionAsserted(await history(sessionStreamId(session.id)), reason);
    // A value the record already holds is no change, whichever file or command put it there.
    const changes = Object.fromEntries(
      Object.entries(details).filter(
        ([field, value]) =>
          !sameValue(value, asserted[field as keyof SessionDetails]) && !sameValue(value, current[field as keyof SessionDetails]),
      ),
    );
    if (Object.keys(changes).length > 0) {
      await add({
        entry: 'session',
        aggregate: 'session',
        id: session.id,
        command: {
          type: 'CorrectSession',
          data: {
            changes,
            reason,
            commitmentsDatedByIt: 'date' in changes ? await context.commitmentsDatedBy(session.id) : null,
          },
          occurredAt: context.now,
          ...base,
        },
      });
    }
  }

  // A commitment is defined once, in the session that made it: a repeated id in this file, or
  // one made in another session, is refused (another session speaks of it through revisits and
  // updates). Refused entries plan nothing more.
  const refused = new Set<number>();
  const firstIndex = new Map<string, number>();
  for (const [index, made] of (file.commitments ?? []).entries()) {
    const earlier = firstIndex.get(made.id);
    if (earlier === undefined) {
      firstIndex.set(made.id, index);
      continue;
    }
    refused.add(index);
    problems.push({
      entry: `commitments[${index}] (${made.id})`,
      field: 'id',
      reason: `repeats the id of commitments[${earlier}] (${made.id}): each commitment is defined once in a file`,
    });
  }

  for (const [index, made] of (file.commitments ?? []).entries()) {
    if (refused.has(index)) continue;
    const entry = `commitments[${index}] (${made.id})`;
    const existing = await commitmentState(made.id);
    if (existing.status !== 'not_made' && existing.madeIn.sessionId !== session.id) {
      refused.add(index);
      problems.push({
        entry,
        field: 'id',
        reason:
          `is a commitment made in session ${existing.madeIn.sessionId}, not in ${session.id}: this file cannot redefine it; ` +
          'speak of it under revisits or updates instead',
      });
      continue;
    }
    const facts = { ...NO_FACTS, session: await sessionFacts(session.id) };
    const { links: _links, ...input } = made;
    const make = commandOf(COMMITMENT.make, { ...input, topics: [...made.topics], sessionId: session.id }, facts, {
      id: made.id,
      ...base,
    });
    const { commitmentId: _id, session: _session, ...wanted } = make.data;
    const state = await commitmentState(made.id);
    if (state.status === 'not_made') {
      await add({
        entry,
        aggregate: 'commitment',
        id: made.id,
        command: { ...make, occurredAt: sessionDayStart(session.date) },
      });
      continue;
    }
    // Compared with what this file said before, not with the current state: a later session's
    // new target or a correction made elsewhere is not undone by importing this file again.
    const asserted = commitmentAsserted(await history(commitmentStreamId(made.id)), reason);
    // A value the record already holds is no change, whichever file or command put it there.
    const held = Object.fromEntries(
      Object.entries(wanted).filter(([field, value]) => sameValue(value, state[field as keyof CommitmentDetails])),
    );
    const open = state.status === 'announced' || state.status === 'in_progress';
    const before = { ...asserted, ...held };
    for (const command of detailUpdates(before, wanted, open, reason, {
      id: made.id,
      occurredAt: context.now,
      now: context.now,
    })) {
      await add({ entry, aggregate: 'commitment', id: made.id, command });
    }
  }

  for (const [index, made] of (file.commitments ?? []).entries()) {
    if (refused.has(index)) continue;
    for (const [linkIndex, link] of (made.links ?? []).entries()) {
      const state = await commitmentState(made.id);
      if (state.status !== 'not_made' && state.links.some((existing) => existing.linkedTo === link.to)) continue;
      const facts = { ...NO_FACTS, commitment: await commitmentFacts(link.to) };
      const input = { linkedTo: link.to, relation: link.relation, note: link.note ?? null };
      await add({
        entry: `commitments[${index}] (${made.id}).links[${linkIndex}]`,
        aggregate: 'commitment',
        id: made.id,
        command: commandOf(COMMITMENT.link, input, facts, { id: made.id, ...base }),
      });
    }
  }

  for (const [index, revisit] of (file.revisits ?? []).entries()) {
    const state = await commitmentState(revisit.commitment);
    if (state.status !== 'not_made' && state.revisitedIn.some((visit) => visit.sessionId === session.id)) continue;
    const facts = { ...NO_FACTS, session: await sessionFacts(session.id) };
    const { commitment: id, report, ...said } = revisit;
    // The session's published notes are the evidence of what it reported.
    const input = report ? { ...said, report: { ...report, evidence: [...(report.evidence ?? []), session.sourceUrl] } } : said;
    const command = commandOf(COMMITMENT.revisit, { ...input, sessionId: session.id }, facts, { id, ...base });
    await add({
      entry: `revisits[${index}] (${revisit.commitment})`,
      aggregate: 'commitment',
      id: revisit.commitment,
      command: { ...command, occurredAt: sessionDayStart(session.date) },
    });
  }

  const seenKeys = new Map<string, number>();
  for (const [index, update] of (file.updates ?? []).entries()) {
    const baseKey = `import:${session.id}:${update.commitment}:${update.type}:${update.on}`;
    const repeat = seenKeys.get(baseKey) ?? 0;
    seenKeys.set(baseKey, repeat + 1);
    const key = repeat === 0 ? baseKey : `${baseKey}:${repeat}`;
    const streamId = commitmentStreamId(update.commitment);
    // Written by an earlier import of this file, whoever ran it: its events carry ids derived
    // from the key (in the import scope; before that, in the importing actor's).
    const earlier = new Set([IMPORT_SCOPE, context.actor].map((scope) => idempotentEventId(scope, key, streamId, 0)));
    if ((await history(streamId)).some((event) => earlier.has(event.id))) continue;
    const entry = `updates[${index}] (${update.commitment})`;
    await add({
      entry,
      aggregate: 'commitment',
      id: update.commitment,
      key,
      command: await updateCommand(update, commitmentFacts, context.now),
    });
  }

  if (problems.length > 0) throw new SessionFileError(context.file, problems);
  return planned;
}

/** The session as its file last described it: as recorded, then as corrected by imports of that file. */
function sessionAsserted(history: readonly RecordedEvent[], reason: string): Partial<SessionDetails> {
  let asserted: Partial<SessionDetails> = {};
  for (const event of history) {
    if (event.type === 'SessionRecorded') asserted = { ...(event.data as unknown as SessionDetails) };
    if (event.type === 'SessionCorrected' && event.data.reason === reason)
      asserted = { ...asserted, ...(event.data.changes as Partial<SessionDetails>) };
  }
  return asserted;
}

/** The commitment as its file last described it: as made, then as changed by imports of that file. */
function commitmentAsserted(history: readonly RecordedEvent[], reason: string): Partial<CommitmentDetails> {
  let asserted: Partial<CommitmentDetails> = {};
  for (const event of history) {
    if (event.type === 'CommitmentMade') asserted = { note: null, ...(event.data as unknown as CommitmentDetails) };
    if (event.data.reason !== reason) continue;
    if (event.type === 'CommitmentCorrected') asserted = { ...asserted, ...(event.data.changes as Partial<CommitmentDetails>) };
    if (event.type === 'CommitmentRetargeted')
      asserted = { ...asserted, target: event.data.newTarget as CommitmentDetails['target'] };
  }
  return asserted;
}

/** An update's command, made by the same command table entry as the JSON API's route. */
async function updateCommand(
  update: SessionFileUpdate,
  commitmentFacts: (id: string) => Promise<OtherCommitmentFacts | null>,
  now: string,
): Promise<CommitmentCommand> {
  const at = { id: update.commitment, now };
  // When, how exactly that is known, and the links that show it (the source among them): every status change has them.
  const when = {
    occurredAt: dayStart(update.on),
    evidence: [...(update.evidence ?? []), update.source],
    ...(update.datePrecision ? { datePrecision: update.datePrecision } : {}),
  };
  switch (update.type) {
    case 'progress':
      return commandOf(COMMITMENT.reportProgress, { note: update.note, ...when }, NO_FACTS, at);
    case 'start':
      return commandOf(COMMITMENT.startWork, { note: update.note, ...when }, NO_FACTS, at);
    case 'retarget':
      return commandOf(COMMITMENT.retarget, { newTarget: update.newTarget!, reason: update.note, ...when }, NO_FACTS, at);
    case 'deliver':
    case 'partially_deliver': {
      const completeness = update.type === 'deliver' ? 'full' : 'partial';
      return commandOf(COMMITMENT.deliver, { completeness, note: update.note, ...when }, NO_FACTS, at);
    }
    case 'drop': {
      const input = { reason: update.dropReason!, explanation: `${update.note} (${update.source})`, ...when };
      return commandOf(COMMITMENT.drop, input, NO_FACTS, at);
    }
    case 'supersede': {
      const facts = {
        ...NO_FACTS,
        commitments: [{ id: update.supersededBy!, facts: await commitmentFacts(update.supersededBy!) }],
      };
      return commandOf(COMMITMENT.supersede, { supersededBy: update.supersededBy!, note: update.note, ...when }, facts, at);
    }
    case 'reopen':
      return commandOf(COMMITMENT.reopen, { reason: update.note, ...when }, NO_FACTS, at);
  }
}

/** A refusal by the domain as a file problem: the command field it names, when it names one. */
export function refusalOf(error: unknown): { field: string; reason: string } {
  if (error instanceof InvalidValueError) return { field: error.field, reason: error.reason };
  return { field: error instanceof RuleViolationError ? (error.field ?? '') : '', reason: (error as Error).message };
}
