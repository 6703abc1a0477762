import { Controller, Get, Header, Inject, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { latestChanges, openTargets } from '#read-models';
import { isNews } from '#governance';
import { READ_SQL, type ReadSql } from '#storage';
import { ID_PATTERN, ID_RULE } from '../http/dto.js';
import { atomXml } from './atom.js';
import { DAY_PRECISION_WORDS } from '../pages/templates/status.js';
import { ReadingDays } from '../reading/reading-days.js';
import { CalendarQueryDto, targetsCalendar } from './calendar.js';
import { PublicLinks } from './public-links.js';
import { ProjectionPositions } from '#projector';
import { prepareRead } from '../projector/read-your-writes.js';

const ENTRIES = 50;
const NEWS_CATEGORY = { term: 'news', label: 'News about the promise' };
const BOOKKEEPING_CATEGORY = { term: 'bookkeeping', label: 'Bookkeeping of the record (a link or a correction), not news' };

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
    @Inject(READ_SQL) private readonly sql: ReadSql,
    private readonly links: PublicLinks,
    private readonly days: ReadingDays,
    private readonly positions: ProjectionPositions,
  ) {}

  @Get('changes.atom')
  @ApiOperation({ summary: 'Atom feed of changes: all, or one commitment, team or session', description: 'Public.' })
  @ApiProduces('application/atom+xml')
  @Header('Cache-Control', 'public, max-age=60')
  async changes(@Query() query: FeedQueryDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    const rows = await latestChanges(this.sql, query, ENTRIES);

    const scope = query.commitment
      ? `commitment ${query.commitment}`
      : query.team
        ? `team ${query.team}`
        : query.session
          ? `session ${query.session}`
          : 'all commitments';
    const self = this.links.to('/feeds/changes.atom', {
      commitment: query.commitment,
      team: query.team,
      session: query.session,
    });
    const xml = atomXml({
      id: self,
      title: `Commitment tracker: changes to ${scope}`,
      alternate: query.commitment
        ? this.links.to(`/commitments/${query.commitment}`)
        : query.team
          ? this.links.to('/commitments', { owner: query.team })
          : query.session
            ? this.links.to(`/sessions/${query.session}`)
            : this.links.to('/dashboard'),
      self,
      updated: rows[0] ? new Date(rows[0].recordedAt) : new Date(0),
      rights: 'Public record',
      entries: rows.map((row) => {
        // A day known only as an upper bound is said so, and not given as the day it was published.
        const bounded = row.datePrecision !== 'exact';
        const happened = `happened ${DAY_PRECISION_WORDS[row.datePrecision]}${new Date(row.occurredAt).toISOString().slice(0, 10)}`;
        // Links and corrections keep the record straight; a reader is told they are not news.
        const news = isNews(row.eventType);
        return {
          id: this.links.to(`/commitments/${row.commitmentId}`) + `#revision-${row.revision}`,
          link: this.links.to(`/commitments/${row.commitmentId}`),
          title: `${news ? '' : 'Bookkeeping: '}${row.summary}: ${row.text}`,
          categories: [news ? NEWS_CATEGORY : BOOKKEEPING_CATEGORY],
          summary: bounded ? `${row.text} (${happened})` : row.text,
          updated: new Date(row.recordedAt),
          ...(bounded ? {} : { published: new Date(row.occurredAt) }),
          author: row.actor,
        };
      }),
    });
    response.type('application/atom+xml; charset=utf-8');
    return xml;
  }

  @Get('targets.ics')
  @ApiOperation({
    summary: 'iCalendar feed of open commitments\u2019 target windows',
    description:
      'Public. Subscribe in a calendar. Each target window is an all-day event from its first day to its last; SEQUENCE counts how often the window changed; an overdue one says so. Follow a set: any of the listed commitments, teams or topics (repeat each parameter); nothing listed is every open commitment.',
  })
  @ApiProduces('text/calendar')
  @Header('Cache-Control', 'public, max-age=300')
  async targets(@Query() query: CalendarQueryDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    // A window comes from the commitments read model, its SEQUENCE from their states: wait for both.
    if (query.minPosition) await prepareRead(response, this.positions, 'commitments', query.minPosition, ['commitment_states']);
    const rows = await openTargets(this.sql, {
      commitments: query.commitment,
      teams: query.team,
      topics: query.topic,
      session: query.session,
    });
    const named = [...(query.team ?? []), ...(query.topic ?? []), ...(query.commitment ?? [])];
    response.type('text/calendar; charset=utf-8');
    return targetsCalendar(rows, this.days.today().today, (path) => this.links.to(path), named);
  }
}
