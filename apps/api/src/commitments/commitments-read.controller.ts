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
import { AsOfQueryDto, CommitmentDetailDto, CommitmentPageDto, ListCommitmentsQueryDto } from './commitment-read.dto.js';
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
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommitmentPageDto> {
    await prepareRead(response, this.positions, 'commitments', query.minPosition);
    return this.queries.execute(new ListCommitments(query));
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
