import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorResponseDto } from '../http/dto.js';
import { ParseIdPipe } from '../http/id.pipe.js';
import { Pages, STATUS_LABELS, wantsHtml } from '../pages/pages.js';
import { ProjectionPositions } from '../projector/projection-positions.js';
import { GetSession } from '../sessions/session-queries.js';
import { prepareRead } from '../projector/read-your-writes.js';
import {
  AsOfQueryDto,
  CommitmentDetailDto,
  CommitmentPageDto,
  ListCommitmentsQueryDto,
  STATUSES,
} from './commitment-read.dto.js';
import { GetCommitment, ListCommitments } from './commitment-queries.js';

@ApiTags('commitments')
@Controller('commitments')
export class CommitmentsReadController {
  constructor(
    private readonly queries: QueryBus,
    private readonly positions: ProjectionPositions,
    private readonly pages: Pages,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List commitments: filter, search, sort, page', description: 'Public; no token needed.' })
  @ApiOkResponse({ type: CommitmentPageDto })
  async list(
    @Query() query: ListCommitmentsQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommitmentPageDto | string> {
    await prepareRead(response, this.positions, 'commitments', query.minPosition);
    const page = await this.queries.execute(new ListCommitments(query));
    if (!wantsHtml(request)) return page;
    // Links to neighbouring pages keep every filter: the address is the search.
    const pageLink = (number: number) =>
      `/commitments?${new URLSearchParams({ ...filtersOf(query), page: String(number) }).toString()}`;
    const previous = page.page > 1 ? pageLink(page.page - 1) : null;
    const next = page.page * page.pageSize < page.total ? pageLink(page.page + 1) : null;
    response.type('html');
    return this.pages.render('commitments', { page, f: query, statuses: STATUSES, previous, next });
  }

  @Get(':commitmentId')
  @ApiOperation({
    summary: 'One commitment with its history across sessions',
    description: 'Public. With `asOf`, the commitment as it stood at the end of that day, by recorded or occurred time.',
  })
  @ApiOkResponse({ type: CommitmentDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(
    @Param('commitmentId', ParseIdPipe) commitmentId: string,
    @Query() query: AsOfQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommitmentDetailDto | string> {
    await prepareRead(response, this.positions, 'commitments', query.minPosition);
    const asOf = query.asOf ? { date: query.asOf, clock: query.clock ?? 'recorded' } : undefined;
    const commitment = await this.queries.execute(new GetCommitment(commitmentId, asOf));
    if (!wantsHtml(request)) return commitment;
    const shown = commitment.overdue ? 'overdue' : commitment.status;
    const session = await this.queries.execute(new GetSession(commitment.madeIn.id));
    response.type('html');
    return this.pages.render('commitment', { c: commitment, session, shown, label: STATUS_LABELS[shown] });
  }
}

/** The filters of a list query, as they appear in its address. */
function filtersOf(query: ListCommitmentsQueryDto): Record<string, string> {
  const { page: _page, minPosition: _minPosition, ...filters } = query;
  return Object.fromEntries(
    Object.entries(filters)
      .filter(([, value]) => value !== undefined && value !== '')
      .map(([key, value]) => [key, String(value)]),
  );
}
