import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ErrorResponseDto } from '../http/dto.js';
import { ParseIdPipe } from '../http/id.pipe.js';
import { ProjectionPositions } from '../projector/projection-positions.js';
import { prepareRead } from '../projector/read-your-writes.js';
import { AsOfQueryDto, CommitmentDetailDto, CommitmentPageDto, ListCommitmentsQueryDto } from './commitment-read.dto.js';
import { GetCommitment, ListCommitments } from './commitment-queries.js';

@ApiTags('commitments')
@Controller('commitments')
export class CommitmentsReadController {
  constructor(
    private readonly queries: QueryBus,
    private readonly positions: ProjectionPositions,
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
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommitmentDetailDto> {
    await prepareRead(response, this.positions, 'commitments', query.minPosition);
    const asOf = query.asOf ? { date: query.asOf, clock: query.clock ?? 'recorded' } : undefined;
    return this.queries.execute(new GetCommitment(commitmentId, asOf));
  }
}
