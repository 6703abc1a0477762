import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ProjectionPositions } from '#projector';
import { Pages, wantsHtml } from '../pages/pages.js';
import { prepareRead } from '../projector/read-your-writes.js';
import { UpcomingSessionDto, UpcomingSessionsQueryDto } from './session-read.dto.js';
import { ListUpcomingSessions } from './session-queries.js';

/**
 * The sessions announced before their day. Its own path, not `/sessions/upcoming`: that one is the
 * record of a session whose id is `upcoming` (ids are chosen freely), and `POST /sessions/upcoming`
 * announces one.
 */
@ApiTags('sessions')
@Controller('upcoming-sessions')
export class UpcomingSessionsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly positions: ProjectionPositions,
    private readonly pages: Pages,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Every session announced before its day, latest day first, each with its brief',
    description:
      'Public; no token needed. Up to 100. `status` keeps those still to come, held since (recorded) or cancelled. The page lists those to come soonest first.',
  })
  @ApiOkResponse({ type: [UpcomingSessionDto] })
  async list(
    @Query() query: UpcomingSessionsQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<UpcomingSessionDto[] | string> {
    await prepareRead(response, this.positions, 'sessions', query.minPosition);
    const sessions = await this.queries.execute(new ListUpcomingSessions(query.status));
    if (!wantsHtml(request)) return sessions;
    response.type('html');
    return this.pages.render('upcomingSessions', { sessions, status: query.status ?? null });
  }
}
