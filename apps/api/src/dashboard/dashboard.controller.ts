import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorResponseDto } from '../http/dto.js';
import { wantsHtml } from '../pages/pages.js';
import { ProjectionPositions } from '#projector';
import { prepareRead } from '../projector/read-your-writes.js';
import { DashboardPage } from './dashboard-page.js';
import { GetDashboard } from './dashboard-queries.js';
import { DashboardDto, DashboardQueryDto } from './dashboard.dto.js';

@ApiTags('dashboard')
@Controller('dashboard')
export class DashboardController {
  constructor(
    private readonly queries: QueryBus,
    private readonly positions: ProjectionPositions,
    private readonly page: DashboardPage,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Open commitments by team and topic, overdue, upcoming, delivery record, slips, and over time',
    description:
      'Public; no token needed. With `asOf`, the dashboard as it stood at the end of that day, by recorded or occurred time.',
  })
  @ApiOkResponse({ type: DashboardDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async get(
    @Query() query: DashboardQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DashboardDto | string> {
    const asOf = query.asOf ? { date: query.asOf, clock: query.clock ?? 'occurred' } : undefined;
    // Each answer reads one read model; a position waits on that one.
    await prepareRead(response, this.positions, asOf ? 'commitment_states' : 'commitments', query.minPosition);
    const dashboard: DashboardDto = await this.queries.execute(new GetDashboard(asOf, query.minPosition === undefined));
    if (!wantsHtml(request)) return dashboard;
    response.type('html');
    return this.page.render(dashboard);
  }
}
