import { Body, Controller, HttpCode, HttpStatus, Inject, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { sessionDayStart, type SessionCommand } from '#governance';
import { CLOCK, type Clock } from '../command-handling/clock.js';
import type { CommandContext } from '../command-handling/command-context.js';
import { definedChanges } from '../command-handling/changes.js';
import { newResourceId } from '../command-handling/new-id.js';
import { CommandResponseDto, toPerson } from '../http/dto.js';
import { ParseIdPipe } from '../http/id.pipe.js';
import { WriteContext } from '../http/write-context.js';
import { WriteEndpoint } from '../http/write-endpoint.js';
import { CorrectSessionDto, RecordSessionDto } from './session.dto.js';
import { RunSessionCommand } from './session-commands.js';

@ApiTags('sessions')
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @WriteEndpoint('editor', 'Record a session', 'A dated public meeting where commitments are made or revisited.')
  @ApiCreatedResponse({ type: CommandResponseDto })
  async record(
    @Body() body: RecordSessionDto,
    @WriteContext() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandResponseDto> {
    const { id, ...details } = body;
    const sessionId = newResourceId(id, context);
    const data = { sessionId, ...details, hosts: details.hosts.map(toPerson) };
    const outcome = await this.run(sessionId, 'RecordSession', data, context, sessionDayStart(details.date));
    response.location(`/sessions/${sessionId}`);
    return outcome;
  }

  @Post(':sessionId/corrections')
  @HttpCode(HttpStatus.OK)
  @WriteEndpoint(
    'editor',
    'Correct a session\u2019s details',
    'An editorial fix with a reason; the original stays in the history.',
  )
  @ApiOkResponse({ type: CommandResponseDto })
  correct(
    @Param('sessionId', ParseIdPipe) sessionId: string,
    @Body() body: CorrectSessionDto,
    @WriteContext() context: CommandContext,
  ): Promise<CommandResponseDto> {
    const { hosts, ...rest } = definedChanges(body.changes);
    const changes = { ...rest, ...(hosts ? { hosts: hosts.map(toPerson) } : {}) };
    return this.run(sessionId, 'CorrectSession', { changes, reason: body.reason }, context);
  }

  private async run<Type extends SessionCommand['type']>(
    sessionId: string,
    type: Type,
    data: Extract<SessionCommand, { type: Type }>['data'],
    context: CommandContext,
    occurredAt?: string,
  ): Promise<CommandResponseDto> {
    const now = this.clock.now().toISOString();
    const command = { type, data, occurredAt: occurredAt ?? now, now } as SessionCommand;
    const outcome = await this.commands.execute(new RunSessionCommand(sessionId, command, context));
    return { id: sessionId, revision: outcome.revision, position: outcome.position, events: [...outcome.events] };
  }
}
