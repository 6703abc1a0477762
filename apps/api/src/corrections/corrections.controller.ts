import { Controller, Get, Header, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { latestCorrections, listCorrections } from '#read-models';
import { READ_SQL, type ReadSql } from '#storage';
import { ErrorResponseDto } from '../http/dto.js';
import { wantsHtml } from '../pages/pages.js';
import { ProjectionPositions } from '#projector';
import { prepareRead } from '../projector/read-your-writes.js';
import { CorrectionsPageDto, CorrectionsQueryDto } from './corrections.dto.js';
import { CorrectionsView, subjectOf, toCorrectionDto } from './corrections-view.js';

const PAGE_SIZE = 50;
const FEED_ENTRIES = 50;

/**
 * The corrections log: every fix of the record, with what it said before and after, who fixed it
 * and why. Corrections are events like any other; this is their public list.
 */
@ApiTags('corrections')
@Controller()
export class CorrectionsController {
  constructor(
    @Inject(READ_SQL) private readonly sql: ReadSql,
    private readonly positions: ProjectionPositions,
    private readonly view: CorrectionsView,
  ) {}

  @Get('corrections')
  @ApiOperation({
    summary: 'Corrections to the record, newest first: each field’s value before and after, who and why',
    description: 'Public; no token needed. A correction fixes what was recorded; it is not progress and not a slip.',
  })
  @ApiOkResponse({ type: CorrectionsPageDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async list(
    @Query() query: CorrectionsQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CorrectionsPageDto | string> {
    await prepareRead(response, this.positions, 'corrections', query.minPosition);
    const page = query.page ?? 1;
    const filter = subjectOf(query);
    const { rows, total } = await listCorrections(this.sql, filter, page, PAGE_SIZE);
    const answer: CorrectionsPageDto = { total, page, pageSize: PAGE_SIZE, items: rows.map(toCorrectionDto) };
    if (!wantsHtml(request)) return answer;
    response.type('html');
    return this.view.page(answer, filter);
  }

  @Get('corrections.atom')
  @ApiOperation({
    summary: 'Atom feed of corrections to the record, newest first',
    description: 'Public. `commitment=` or `session=` narrows it as on `/corrections`.',
  })
  @ApiProduces('application/atom+xml')
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @Header('Cache-Control', 'public, max-age=60')
  async feed(@Query() query: CorrectionsQueryDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    const filter = subjectOf(query);
    const xml = this.view.feed(await latestCorrections(this.sql, filter, FEED_ENTRIES), filter);
    response.type('application/atom+xml; charset=utf-8');
    return xml;
  }
}
