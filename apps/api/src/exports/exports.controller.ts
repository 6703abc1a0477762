import { Body, Controller, Get, Header, HttpCode, HttpStatus, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { EVENT_STORE, type EventStore } from '#event-store';
import type { Actor } from '../auth/roles.js';
import { CurrentActor, RequireRole } from '../auth/require-role.js';
import { CLOCK, type Clock } from '../command-handling/clock.js';
import { RunPlannedCommands } from '../command-handling/command-runner.js';
import { CommitmentDetailDto, ReadYourWritesDto } from '../commitments/commitment-read.dto.js';
import { AllCommitmentRecords, AllCommitments } from '../commitments/commitment-queries.js';
import { PublicLinks } from '../feeds/public-links.js';
import { ErrorResponseDto } from '../http/dto.js';
import { ParseIdPipe } from '../http/id.pipe.js';
import { ProjectionPositions } from '#projector';
import { prepareRead } from '../projector/read-your-writes.js';
import { ImportQueryDto, ImportReportDto } from '../session-files/session-files.controller.js';
import { GetSessionRecord } from '../sessions/session-queries.js';
import { commitmentsToCsv, sessionRecordToWikitext } from './commitment-export.js';
import { ReadingDays } from '../reading/reading-days.js';
import { planCsvImport } from './csv-import.js';

const CSV_TYPE = 'text/csv';

@ApiTags('exports')
@Controller()
export class ExportsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly positions: ProjectionPositions,
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly days: ReadingDays,
    private readonly links: PublicLinks,
  ) {}

  @Get('exports/commitments.csv')
  @ApiOperation({
    summary: 'Every commitment as CSV',
    description: 'Public. Edit the editable columns and send it back to /imports/commitments-csv.',
  })
  @ApiProduces('text/csv')
  @Header('Content-Disposition', 'attachment; filename="commitments.csv"')
  async csv(@Query() query: ReadYourWritesDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    await prepareRead(response, this.positions, 'commitments', query.minPosition);
    response.type('text/csv; charset=utf-8');
    return commitmentsToCsv(await this.queries.execute(new AllCommitments()));
  }

  @Get('exports/commitments.json')
  @ApiOperation({
    summary: 'Every commitment as JSON, with its whole history and its links',
    description:
      'Public. Each commitment as `GET /commitments/{id}` gives it: its state, its history across sessions, and its links from both ends.',
  })
  @ApiOkResponse({ type: [CommitmentDetailDto] })
  @Header('Content-Disposition', 'attachment; filename="commitments.json"')
  async json(@Query() query: ReadYourWritesDto, @Res({ passthrough: true }) response: Response): Promise<CommitmentDetailDto[]> {
    await prepareRead(response, this.positions, 'commitments', query.minPosition, ['links']);
    return this.queries.execute(new AllCommitmentRecords());
  }

  @Get('exports/sessions/:sessionId/wikitext')
  @ApiOperation({
    summary: 'A session\u2019s commitments and their status as a wikitext table',
    description: 'Public. Ready to paste on a wiki page.',
  })
  @ApiProduces('text/plain')
  async wikitext(
    @Param('sessionId', ParseIdPipe) sessionId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    await prepareRead(response, this.positions, 'commitments', undefined);
    response.type('text/plain; charset=utf-8');
    return sessionRecordToWikitext(await this.queries.execute(new GetSessionRecord(sessionId)), {
      asOf: this.clock.now(),
      link: (path) => this.links.to(path),
    });
  }

  @Post('imports/commitments-csv')
  @HttpCode(HttpStatus.OK)
  @RequireRole('editor')
  @ApiOperation({
    summary: 'Apply an edited commitments CSV export',
    description:
      'Changed editable cells become re-targets or corrections. A row whose revision is stale, a commitment in two rows, an edited status (status changes with the commands: progress, start, deliver, drop, supersede, reopen) or any other derived column is refused; any problem refuses the whole file and writes nothing. An unchanged export writes nothing.',
  })
  @ApiConsumes(CSV_TYPE)
  @ApiBody({ description: 'The CSV, as exported', schema: { type: 'string' } })
  @ApiOkResponse({ type: ImportReportDto })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto })
  async importCsv(@Query() query: ImportQueryDto, @Body() text: unknown, @CurrentActor() actor: Actor): Promise<ImportReportDto> {
    const now = this.clock.now().toISOString();
    const changes = await planCsvImport(query.file, typeof text === 'string' ? text : '', now, this.days.today(), (streamId) =>
      this.store.readStream(streamId),
    );
    const steps = changes.map((change) => ({
      aggregate: 'commitment' as const,
      id: change.commitmentId,
      command: change.command,
      expectedRevision: change.expectedRevision,
    }));
    return { file: query.file, sessionId: '', ...(await this.commands.execute(new RunPlannedCommands(steps, actor.subject))) };
  }
}
