import { Controller, Get, Header, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Feed } from 'feed';
import ical from 'ical-generator';
import { Repository } from 'typeorm';
import { OPEN_STATUSES } from '#governance';
import { CommitmentEntity, TimelineEntryEntity } from '#read-models';
import { ID_PATTERN, ID_RULE } from '../http/dto.js';
import { printable } from './feed-text.js';

const ENTRIES = 50;

export class FeedQueryDto {
  @ApiPropertyOptional({ description: 'Only this commitment.' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_RULE })
  commitment?: string;

  @ApiPropertyOptional({ description: 'Only commitments made or revisited in this session.' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_RULE })
  session?: string;

  @ApiPropertyOptional({ description: 'Only commitments this team owns.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  team?: string;
}

@ApiTags('feeds')
@Controller('feeds')
export class FeedsController {
  constructor(
    @InjectRepository(TimelineEntryEntity) private readonly timeline: Repository<TimelineEntryEntity>,
    @InjectRepository(CommitmentEntity) private readonly commitments: Repository<CommitmentEntity>,
  ) {}

  @Get('changes.atom')
  @ApiOperation({ summary: 'Atom feed of changes: all, or one commitment, team or session', description: 'Public.' })
  @ApiProduces('application/atom+xml')
  @Header('Cache-Control', 'public, max-age=60')
  async changes(
    @Query() query: FeedQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const entries = this.timeline
      .createQueryBuilder('t')
      .innerJoinAndMapOne('t.commitment', CommitmentEntity, 'c', 'c.commitment_id = t.commitment_id')
      .orderBy('t.recorded_at', 'DESC')
      .addOrderBy('t.position', 'DESC')
      .take(ENTRIES);
    if (query.commitment) entries.andWhere('t.commitment_id = :commitment', { commitment: query.commitment });
    if (query.team) entries.andWhere('c.owner_team = :team', { team: query.team });
    if (query.session) entries.andWhere('(t.session_id = :session or c.session_id = :session)', { session: query.session });
    const rows = (await entries.getMany()) as (TimelineEntryEntity & { commitment: CommitmentEntity })[];

    const base = `${request.protocol}://${request.get('host')}`;
    const scope = query.commitment
      ? `commitment ${query.commitment}`
      : query.team
        ? `team ${query.team}`
        : query.session
          ? `session ${query.session}`
          : 'all commitments';
    const self = `${base}${request.originalUrl}`;
    const feed = new Feed({
      id: self,
      link: `${base}/dashboard`,
      title: printable(`Commitment tracker: changes to ${scope}`),
      updated: rows[0]?.recordedAt ?? new Date(0),
      copyright: 'Public record',
      feedLinks: { atom: self },
    });
    for (const row of rows) {
      feed.addItem({
        id: `${base}/commitments/${row.commitmentId}#revision-${row.revision}`,
        link: `${base}/commitments/${row.commitmentId}`,
        title: printable(`${row.commitment.summary}: ${row.text}`).slice(0, 300),
        description: printable(row.text),
        date: row.recordedAt,
        published: row.occurredAt,
        author: [{ name: printable(row.actor) }],
      });
    }
    response.type('application/atom+xml; charset=utf-8');
    return feed.atom1();
  }

  @Get('targets.ics')
  @ApiOperation({
    summary: 'iCalendar feed of open commitments\u2019 target dates',
    description: 'Public. Subscribe in a calendar.',
  })
  @ApiProduces('text/calendar')
  @Header('Cache-Control', 'public, max-age=300')
  async targets(
    @Query() query: FeedQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const open = this.commitments
      .createQueryBuilder('c')
      .where('c.status in (:...open)', { open: OPEN_STATUSES })
      .andWhere('c.target_latest_date is not null')
      .orderBy('c.target_latest_date', 'ASC');
    if (query.team) open.andWhere('c.owner_team = :team', { team: query.team });
    if (query.session) open.andWhere('c.session_id = :session', { session: query.session });
    if (query.commitment) open.andWhere('c.commitment_id = :commitment', { commitment: query.commitment });
    const rows = await open.getMany();
    const base = `${request.protocol}://${request.get('host')}`;
    const calendar = ical({ name: 'Commitment target dates', prodId: { company: 'commitment-tracker', product: 'targets' } });
    for (const row of rows) {
      calendar.createEvent({
        id: `${row.commitmentId}@commitment-tracker`,
        start: new Date(`${row.targetLatestDate}T00:00:00Z`),
        allDay: true,
        summary: printable(`Due: ${row.summary}`),
        description: printable(`${row.targetAsSaid ?? ''} (${row.ownerTeam}). ${base}/commitments/${row.commitmentId}`),
        url: `${base}/commitments/${row.commitmentId}`,
      });
    }
    response.type('text/calendar; charset=utf-8');
    return calendar.toString();
  }
}
