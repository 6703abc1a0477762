import { Body, Controller, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { definedChanges } from '../command-handling/changes.js';
import type { CommandContext } from '../command-handling/command-context.js';
import { newResourceId } from '../command-handling/new-id.js';
import { CommandResponseDto, toPerson as person, toTarget as target } from '../http/dto.js';
import { ParseIdPipe } from '../http/id.pipe.js';
import { WriteContext } from '../http/write-context.js';
import { WriteEndpoint } from '../http/write-endpoint.js';
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
  SupersedeCommitmentDto,
} from './commitment.dto.js';
import { CommitmentActions, sessionDay, type DataOf } from './commitment-actions.js';
import { GovernanceFacts } from './governance-facts.js';

@ApiTags('commitments')
@Controller('commitments')
export class CommitmentsController {
  constructor(
    private readonly actions: CommitmentActions,
    private readonly facts: GovernanceFacts,
  ) {}

  @Post()
  @WriteEndpoint('editor', 'Record a commitment made in a session')
  @ApiCreatedResponse({ type: CommandResponseDto })
  async make(
    @Body() body: MakeCommitmentDto,
    @WriteContext() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResponseDto> {
    const commitmentId = newResourceId(body.id, context);
    const session = await this.facts.session(body.sessionId);
    const outcome = await this.actions.run(
      commitmentId,
      'MakeCommitment',
      {
        commitmentId,
        session,
        speaker: person(body.speaker),
        ownerTeam: body.ownerTeam,
        topics: [...body.topics],
        summary: body.summary,
        quote: body.quote,
        target: body.target ? target(body.target) : null,
        strength: body.strength,
        note: body.note ?? null,
      },
      context,
      sessionDay(session),
    );
    response.location(`/commitments/${commitmentId}`);
    return outcome;
  }

  @Post(':commitmentId/revisits')
  @HttpCode(HttpStatus.OK)
  @WriteEndpoint(
    'staff',
    'Record what a later session said about it',
    'Optionally with a new target; a later one counts as a slip.',
  )
  @ApiOkResponse({ type: CommandResponseDto })
  revisit(
    @Param('commitmentId', ParseIdPipe) commitmentId: string,
    @Body() body: RevisitCommitmentDto,
    @WriteContext() context: CommandContext,
  ): Promise<CommandResponseDto> {
    return this.actions.revisit(commitmentId, body, context);
  }

  @Post(':commitmentId/progress')
  @HttpCode(HttpStatus.OK)
  @WriteEndpoint('staff', 'Report progress, with evidence links')
  @ApiOkResponse({ type: CommandResponseDto })
  reportProgress(
    @Param('commitmentId', ParseIdPipe) commitmentId: string,
    @Body() body: ReportProgressDto,
    @WriteContext() context: CommandContext,
  ): Promise<CommandResponseDto> {
    return this.actions.reportProgress(commitmentId, body, context);
  }

  @Post(':commitmentId/start')
  @HttpCode(HttpStatus.OK)
  @WriteEndpoint('staff', 'Mark work as started')
  @ApiOkResponse({ type: CommandResponseDto })
  startWork(
    @Param('commitmentId', ParseIdPipe) commitmentId: string,
    @Body() body: StartWorkDto,
    @WriteContext() context: CommandContext,
  ): Promise<CommandResponseDto> {
    return this.actions.startWork(commitmentId, body, context);
  }

  @Post(':commitmentId/retarget')
  @HttpCode(HttpStatus.OK)
  @WriteEndpoint('staff', 'Give it a new target, with the reason', 'A later date than before counts as a slip.')
  @ApiOkResponse({ type: CommandResponseDto })
  retarget(
    @Param('commitmentId', ParseIdPipe) commitmentId: string,
    @Body() body: RetargetCommitmentDto,
    @WriteContext() context: CommandContext,
  ): Promise<CommandResponseDto> {
    return this.actions.retarget(commitmentId, body, context);
  }

  @Post(':commitmentId/delivery')
  @HttpCode(HttpStatus.OK)
  @WriteEndpoint('staff', 'Record that it was delivered, fully or partially')
  @ApiOkResponse({ type: CommandResponseDto })
  deliver(
    @Param('commitmentId', ParseIdPipe) commitmentId: string,
    @Body() body: DeliverCommitmentDto,
    @WriteContext() context: CommandContext,
  ): Promise<CommandResponseDto> {
    return this.actions.deliver(commitmentId, body, context);
  }

  @Post(':commitmentId/drop')
  @HttpCode(HttpStatus.OK)
  @WriteEndpoint('staff', 'Drop it, with a reason')
  @ApiOkResponse({ type: CommandResponseDto })
  drop(
    @Param('commitmentId', ParseIdPipe) commitmentId: string,
    @Body() body: DropCommitmentDto,
    @WriteContext() context: CommandContext,
  ): Promise<CommandResponseDto> {
    return this.actions.drop(commitmentId, body, context);
  }

  @Post(':commitmentId/supersede')
  @HttpCode(HttpStatus.OK)
  @WriteEndpoint('staff', 'Mark it superseded by another commitment')
  @ApiOkResponse({ type: CommandResponseDto })
  async supersede(
    @Param('commitmentId', ParseIdPipe) commitmentId: string,
    @Body() body: SupersedeCommitmentDto,
    @WriteContext() context: CommandContext,
  ): Promise<CommandResponseDto> {
    const replacement = await this.facts.commitment(body.supersededBy);
    const data = { replacement, replacementId: body.supersededBy, note: body.note };
    return this.actions.run(commitmentId, 'SupersedeCommitment', data, context, body.occurredAt);
  }

  @Post(':commitmentId/reopen')
  @HttpCode(HttpStatus.OK)
  @WriteEndpoint('staff', 'Reopen a closed commitment')
  @ApiOkResponse({ type: CommandResponseDto })
  reopen(
    @Param('commitmentId', ParseIdPipe) commitmentId: string,
    @Body() body: ReopenCommitmentDto,
    @WriteContext() context: CommandContext,
  ): Promise<CommandResponseDto> {
    return this.actions.reopen(commitmentId, body, context);
  }

  @Post(':commitmentId/corrections')
  @HttpCode(HttpStatus.OK)
  @WriteEndpoint('editor', 'Correct how it was recorded', 'An editorial fix with a reason, kept apart from progress; not a slip.')
  @ApiOkResponse({ type: CommandResponseDto })
  correct(
    @Param('commitmentId', ParseIdPipe) commitmentId: string,
    @Body() body: CorrectCommitmentDto,
    @WriteContext() context: CommandContext,
  ): Promise<CommandResponseDto> {
    const { speaker, target: newTarget, ...rest } = definedChanges(body.changes, ['target']);
    const changes: DataOf<'CorrectCommitment'>['changes'] = {
      ...rest,
      ...(speaker ? { speaker: person(speaker) } : {}),
      ...(newTarget !== undefined ? { target: newTarget && target(newTarget) } : {}),
    };
    return this.actions.run(commitmentId, 'CorrectCommitment', { changes, reason: body.reason }, context);
  }

  @Post(':commitmentId/links')
  @HttpCode(HttpStatus.OK)
  @WriteEndpoint('editor', 'Link it to a related commitment')
  @ApiOkResponse({ type: CommandResponseDto })
  async link(
    @Param('commitmentId', ParseIdPipe) commitmentId: string,
    @Body() body: LinkCommitmentDto,
    @WriteContext() context: CommandContext,
  ): Promise<CommandResponseDto> {
    const other = await this.facts.commitment(body.linkedTo);
    const data = { other, otherId: body.linkedTo, relation: body.relation, note: body.note ?? null };
    return this.actions.run(commitmentId, 'LinkCommitment', data, context);
  }
}
