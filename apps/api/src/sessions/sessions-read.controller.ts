import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AsOfQueryDto, ReadYourWritesDto } from '../commitments/commitment-read.dto.js';
import { ErrorResponseDto } from '../http/dto.js';
import { ParseIdPipe } from '../http/id.pipe.js';
import { Pages, wantsHtml } from '../pages/pages.js';
import { ProjectionPositions } from '#projector';
import { prepareRead } from '../projector/read-your-writes.js';
import { SessionRecordDto, SessionSummaryDto } from './session-read.dto.js';
import { GetSessionRecord, ListSessions } from './session-queries.js';

@ApiTags('sessions')
@Controller('sessions')
export class SessionsReadController {
  constructor(
    private readonly queries: QueryBus,
    private readonly positions: ProjectionPositions,
    private readonly pages: Pages,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every recorded session, newest first', description: 'Public; no token needed.' })
  @ApiOkResponse({ type: [SessionSummaryDto] })
  async list(
    @Query() query: ReadYourWritesDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionSummaryDto[] | string> {
    await prepareRead(response, this.positions, 'sessions', query.minPosition);
    const sessions = await this.queries.execute(new ListSessions());
    if (!wantsHtml(request)) return sessions;
    response.type('html');
    return this.pages.render('sessions', { sessions });
  }

  @Get(':sessionId')
  @ApiOperation({
    summary: 'A session\u2019s record: what was promised or revisited there, and what became of each',
    description: 'Public. With `asOf`, the record as it stood at the end of that day (by default, what was true then).',
  })
  @ApiOkResponse({ type: SessionRecordDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async record(
    @Param('sessionId', ParseIdPipe) sessionId: string,
    @Query() query: AsOfQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionRecordDto | string> {
    await prepareRead(response, this.positions, 'sessions', query.minPosition);
    await prepareRead(response, this.positions, 'commitments', query.minPosition);
    const asOf = query.asOf ? { date: query.asOf, clock: query.clock ?? 'occurred' } : undefined;
    const record = await this.queries.execute(new GetSessionRecord(sessionId, asOf, query.minPosition === undefined));
    if (!wantsHtml(request)) return record;
    response.type('html');
    return this.pages.render('session', { s: record });
  }
}
