import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorResponseDto } from '../http/dto.js';
import { ParseIdPipe } from '../http/id.pipe.js';
import { Pages, wantsHtml } from '../pages/pages.js';
import { StaffSessions } from '../staff/staff-sessions.js';
import { ProjectionPositions } from '#projector';
import { commitmentStreamId, sessionStreamId } from '#governance';
import { readsFrom } from '../read-cache/public-read-cache.middleware.js';
import { prepareRead } from '../projector/read-your-writes.js';
import {
  AsOfQueryDto,
  CommitmentDetailDto,
  CommitmentPageDto,
  ListCommitmentsQueryDto,
  STATUSES,
} from './commitment-read.dto.js';
import { CommitmentPage } from './commitment-page.js';
import { GetCommitment, ListCommitments } from './commitment-queries.js';
import { ListSessions } from '../sessions/session-queries.js';

/** What the commitment list page is drawn from: the page of answers, the filters it was asked with, and its neighbours. */
export interface CommitmentListPageData {
  readonly page: CommitmentPageDto;
  readonly f: ListCommitmentsQueryDto;
  readonly statuses: readonly string[];
  readonly previous: string | null;
  readonly next: string | null;
  /** The search as hidden fields, carried along by the look-back form. */
  readonly keep: readonly { readonly name: string; readonly value: string }[];
  /** Each session's id with its day and title, for the session filter's options. */
  readonly sessionTitles: Readonly<Record<string, string>>;
  readonly facets: CommitmentPageDto['facets'];
  /** This search as of today: the as-of parts left out. */
  readonly today: string;
}

@ApiTags('commitments')
@Controller('commitments')
export class CommitmentsReadController {
  constructor(
    private readonly queries: QueryBus,
    private readonly positions: ProjectionPositions,
    private readonly pages: Pages,
    private readonly page: CommitmentPage,
    private readonly staff: StaffSessions,
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
    const asOf = query.asOf ? { date: query.asOf, clock: query.clock ?? 'occurred' } : undefined;
    const page = await this.queries.execute(new ListCommitments(query, asOf));
    if (!wantsHtml(request)) return page;
    // Links keep every filter: the address is the search.
    const linkWith = (changes: Record<string, string | readonly string[] | null>) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries({ ...filtersOf(query), ...changes })) {
        if (value === null) continue;
        for (const one of Array.isArray(value) ? value : [value]) params.append(key, one);
      }
      const text = params.toString();
      return `/commitments${text ? `?${text}` : ''}`;
    };
    const previous = page.page > 1 ? linkWith({ page: String(page.page - 1) }) : null;
    const next = page.page * page.pageSize < page.total ? linkWith({ page: String(page.page + 1) }) : null;
    // The look-back form carries the search along.
    const keep = Object.entries(filtersOf(query))
      .filter(([name]) => name !== 'asOf' && name !== 'clock')
      .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((one: string) => ({ name, value: one })));
    const sessionTitles = Object.fromEntries(
      (await this.queries.execute(new ListSessions())).map((session) => [session.id, `${session.date}: ${session.title}`]),
    );
    response.type('html');
    return this.pages.render('commitments', {
      keep,
      sessionTitles,
      page,
      f: query,
      statuses: STATUSES,
      previous,
      next,
      facets: page.facets,
      today: linkWith({ asOf: null, clock: null, page: null }),
    });
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
    await prepareRead(response, this.positions, 'commitments', query.minPosition, ['links']);
    const asOf = query.asOf ? { date: query.asOf, clock: query.clock ?? 'occurred' } : undefined;
    // Today's commitment is drawn from its own stream, its session's and those of the commitments
    // it links to (their summaries and statuses); a past view from the whole log.
    const drawnFrom = (detail: CommitmentDetailDto) => {
      if (!asOf)
        readsFrom(response, [
          commitmentStreamId(detail.id),
          sessionStreamId(detail.madeIn.id),
          ...detail.links.map((link) => commitmentStreamId(link.id)),
        ]);
    };
    if (!wantsHtml(request)) {
      const detail = await this.queries.execute(new GetCommitment(commitmentId, asOf));
      drawnFrom(detail);
      return detail;
    }
    const viewer = await this.staff.viewerOf(request);
    if (viewer) {
      // Drawn for one member of staff, with their form token: never from or into a shared cache.
      response.setHeader('Cache-Control', 'private, no-store');
    }
    response.setHeader('Vary', 'Accept, Cookie');
    response.type('html');
    const staff = viewer ? { viewer, notice: this.staff.takeNotice(request) } : null;
    return this.page.render(commitmentId, asOf, staff, drawnFrom);
  }
}

/** The filters of a list query, as they appear in its address (statuses, one parameter each). */
function filtersOf(query: ListCommitmentsQueryDto): Record<string, string | readonly string[]> {
  const { page: _page, minPosition: _minPosition, ...filters } = query;
  return Object.fromEntries(
    Object.entries(filters)
      .filter(([, value]) => value !== undefined && value !== '')
      .map(([key, value]) => [key, Array.isArray(value) ? value.map(String) : String(value)]),
  );
}
