import { Controller, Get, Header, Query, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { ErrorResponseDto } from '../http/dto.js';
import { Pages, wantsHtml } from '../pages/pages.js';
import { ProjectionPositions } from '#projector';
import { prepareRead } from '../projector/read-your-writes.js';
import { fieldLabel, valueText } from './correction-text.js';
import { CorrectionDto, CorrectionsPageDto, CorrectionsQueryDto } from './corrections.dto.js';
import { atomXml } from '../feeds/atom.js';
import { PublicLinks } from '../feeds/public-links.js';

const PAGE_SIZE = 50;
const FEED_ENTRIES = 50;

interface CorrectionRow {
  subject_kind: 'commitment' | 'session';
  subject_id: string;
  subject_title: string;
  position: string;
  occurred_at: Date;
  recorded_at: Date;
  actor: string;
  reason: string;
  changes: { field: string; from: unknown; to: unknown }[];
}

const subjectUrl = (kind: string, id: string) => `/${kind === 'commitment' ? 'commitments' : 'sessions'}/${id}`;

/** `?commitment=` or `?session=`, the same for the list and its feed. */
function subjectFilter(query: CorrectionsQueryDto) {
  const filter = query.commitment
    ? { kind: 'commitment' as const, id: query.commitment }
    : query.session
      ? { kind: 'session' as const, id: query.session }
      : null;
  return {
    filter,
    where: filter ? 'where subject_kind = $1 and subject_id = $2' : '',
    parameters: filter ? [filter.kind, filter.id] : [],
  };
}

const toCorrection = (row: CorrectionRow): CorrectionDto => ({
  subject: {
    kind: row.subject_kind,
    id: row.subject_id,
    title: row.subject_title,
    url: subjectUrl(row.subject_kind, row.subject_id),
  },
  changes: row.changes,
  reason: row.reason,
  actor: row.actor,
  recordedAt: row.recorded_at.toISOString(),
  occurredAt: row.occurred_at.toISOString(),
  position: row.position,
});

/**
 * The corrections log: every fix of the record, with what it said before and after, who fixed it
 * and why. Corrections are events like any other; this is their public list.
 */
@ApiTags('corrections')
@Controller()
export class CorrectionsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly positions: ProjectionPositions,
    private readonly pages: Pages,
    private readonly links: PublicLinks,
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
    const { filter, where, parameters } = subjectFilter(query);
    const [rows, counted] = await Promise.all([
      this.dataSource.query<CorrectionRow[]>(
        `select * from corrections ${where} order by recorded_at desc, stream_id, revision
         limit ${PAGE_SIZE} offset ${(page - 1) * PAGE_SIZE}`,
        parameters,
      ),
      this.dataSource.query<{ total: number }[]>(`select count(*)::int as total from corrections ${where}`, parameters),
    ]);
    const answer: CorrectionsPageDto = {
      total: counted[0]!.total,
      page,
      pageSize: PAGE_SIZE,
      items: rows.map(toCorrection),
    };
    if (!wantsHtml(request)) return answer;

    const link = (path: string, number = 1) => {
      const search = new URLSearchParams();
      if (filter) search.set(filter.kind, filter.id);
      if (number > 1) search.set('page', String(number));
      const text = search.toString();
      return `${path}${text ? `?${text}` : ''}`;
    };
    const pageUrl = (number: number) => link('/corrections', number);
    response.type('html');
    return this.pages.render('corrections', {
      answer,
      filter: filter && { ...filter, url: subjectUrl(filter.kind, filter.id) },
      feed: link('/corrections.atom'),
      fieldLabel,
      valueText,
      previous: page > 1 ? pageUrl(page - 1) : null,
      next: page * PAGE_SIZE < answer.total ? pageUrl(page + 1) : null,
    });
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
    const { filter, where, parameters } = subjectFilter(query);
    const rows = await this.dataSource.query<CorrectionRow[]>(
      `select * from corrections ${where} order by recorded_at desc, stream_id, revision limit ${FEED_ENTRIES}`,
      parameters,
    );
    const narrowed = filter ? { [filter.kind]: filter.id } : {};
    const self = this.links.to('/corrections.atom', narrowed);
    const xml = atomXml({
      id: self,
      title: filter
        ? `Commitment tracker: corrections to ${filter.kind} ${filter.id}`
        : 'Commitment tracker: corrections to the record',
      alternate: this.links.to('/corrections', narrowed),
      self,
      updated: rows[0]?.recorded_at ?? new Date(0),
      rights: 'Public record',
      entries: rows.map((row) => {
        const subject = this.links.to(subjectUrl(row.subject_kind, row.subject_id));
        const changed = row.changes
          .map((change) => `${fieldLabel(change.field)}: “${valueText(change.from)}” → “${valueText(change.to)}”`)
          .join('; ');
        return {
          id: `${subject}#correction-${row.position}`,
          link: subject,
          title: `Corrected ${row.changes.map((change) => fieldLabel(change.field)).join(', ')} of ${row.subject_title}`,
          summary: `${changed}. Why: ${row.reason}`,
          updated: row.recorded_at,
          author: row.actor,
        };
      }),
    });
    response.type('application/atom+xml; charset=utf-8');
    return xml;
  }
}
