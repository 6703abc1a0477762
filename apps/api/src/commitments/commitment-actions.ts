import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { sessionDayStart, type CommitmentCommand, type SessionFacts } from '#governance';
import { CLOCK, type Clock } from '../command-handling/clock.js';
import type { CommandContext } from '../command-handling/command-context.js';
import { CommandResponseDto, toPerson as person, toTarget as target } from '../http/dto.js';
import type {
  DeliverCommitmentDto,
  DropCommitmentDto,
  ReopenCommitmentDto,
  ReportProgressDto,
  RetargetCommitmentDto,
  RevisitCommitmentDto,
  StartWorkDto,
} from './commitment.dto.js';
import { RunCommitmentCommand } from './commitment-commands.js';
import { GovernanceFacts } from './governance-facts.js';

export type DataOf<Type extends CommitmentCommand['type']> = Extract<CommitmentCommand, { type: Type }>['data'];

// A session's commitments happened on its day; its hour is rarely in the notes.
export const sessionDay = (session: SessionFacts | null) => (session ? sessionDayStart(session.date) : undefined);

/**
 * What staff do to a commitment, from a validated request body to its events: one path for the
 * JSON API and the staff forms of the pages.
 */
@Injectable()
export class CommitmentActions {
  constructor(
    private readonly commands: CommandBus,
    private readonly facts: GovernanceFacts,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async revisit(commitmentId: string, body: RevisitCommitmentDto, context: CommandContext): Promise<CommandResponseDto> {
    const session = await this.facts.session(body.sessionId);
    const data: DataOf<'RevisitCommitment'> = {
      session,
      statement: body.statement,
      quote: body.quote ?? null,
      speaker: body.speaker ? person(body.speaker) : null,
      newTarget: body.newTarget ? target(body.newTarget) : null,
    };
    return this.run(commitmentId, 'RevisitCommitment', data, context, sessionDay(session));
  }

  reportProgress(commitmentId: string, body: ReportProgressDto, context: CommandContext): Promise<CommandResponseDto> {
    const data = { note: body.note, evidence: [...(body.evidence ?? [])] };
    return this.run(commitmentId, 'ReportProgress', data, context, body.occurredAt);
  }

  startWork(commitmentId: string, body: StartWorkDto, context: CommandContext): Promise<CommandResponseDto> {
    return this.run(commitmentId, 'StartWork', { note: body.note ?? null }, context, body.occurredAt);
  }

  retarget(commitmentId: string, body: RetargetCommitmentDto, context: CommandContext): Promise<CommandResponseDto> {
    const data = { newTarget: target(body.newTarget), reason: body.reason };
    return this.run(commitmentId, 'RetargetCommitment', data, context, body.occurredAt);
  }

  deliver(commitmentId: string, body: DeliverCommitmentDto, context: CommandContext): Promise<CommandResponseDto> {
    const data = { completeness: body.completeness, note: body.note, evidence: [...(body.evidence ?? [])] };
    return this.run(commitmentId, 'DeliverCommitment', data, context, body.occurredAt);
  }

  drop(commitmentId: string, body: DropCommitmentDto, context: CommandContext): Promise<CommandResponseDto> {
    const data = { reason: body.reason, explanation: body.explanation };
    return this.run(commitmentId, 'DropCommitment', data, context, body.occurredAt);
  }

  reopen(commitmentId: string, body: ReopenCommitmentDto, context: CommandContext): Promise<CommandResponseDto> {
    return this.run(commitmentId, 'ReopenCommitment', { reason: body.reason }, context, body.occurredAt);
  }

  async run<Type extends CommitmentCommand['type']>(
    commitmentId: string,
    type: Type,
    data: DataOf<Type>,
    context: CommandContext,
    occurredAt?: string,
  ): Promise<CommandResponseDto> {
    const now = this.clock.now().toISOString();
    const command = { type, data, occurredAt: occurredAt ? new Date(occurredAt).toISOString() : now, now } as CommitmentCommand;
    const outcome = await this.commands.execute(new RunCommitmentCommand(commitmentId, command, context));
    return { id: commitmentId, revision: outcome.revision, position: outcome.position, events: [...outcome.events] };
  }
}
