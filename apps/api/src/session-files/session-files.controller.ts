import { Body, Controller, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import type { Actor } from '../auth/roles.js';
import { CurrentActor, RequireRole } from '../auth/require-role.js';
import { ErrorResponseDto } from '../http/dto.js';
import { SessionImporter } from './session-importer.js';

/** The content types a session file may be sent as (YAML has several in use). */
export const SESSION_FILE_TYPES = ['application/yaml', 'text/yaml', 'application/x-yaml'] as const;

const FILE_NAME = /^[\w.-]{1,100}$/;

export class ImportQueryDto {
  @ApiProperty({
    example: '2022-08-18-conversation-hour.yaml',
    pattern: FILE_NAME.source,
    description: 'Named in errors and in the events\u2019 reasons.',
  })
  @IsString()
  @Matches(FILE_NAME, { message: 'must be a file name of letters, digits, ".", "_" or "-"' })
  file!: string;
}

export class ImportReportDto {
  @ApiProperty() file!: string;
  @ApiProperty() sessionId!: string;
  @ApiProperty({ description: 'Commands that wrote events; 0 when the record already matched the file.' }) commands!: number;
  @ApiProperty() events!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { CommitmentMade: 12, ProgressReported: 3 },
  })
  byEvent!: Record<string, number>;
  @ApiProperty({ type: String, nullable: true, description: 'Log position of the last change, for ?minPosition=.' })
  position!: string | null;
}

@ApiTags('imports')
@Controller('imports')
export class SessionFilesController {
  constructor(private readonly importer: SessionImporter) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @RequireRole('editor')
  @ApiOperation({
    summary: 'Import a session file (YAML)',
    description:
      'The whole file is checked first; any problem refuses it whole (422, each naming its entry and field) and writes nothing. Importing the same file again writes nothing; an edited file writes only the differences. Format: docs/session-file.schema.json.',
  })
  @ApiQuery({ name: 'file', type: String })
  @ApiConsumes(...SESSION_FILE_TYPES)
  @ApiBody({
    description: 'The session file',
    schema: { type: 'string' },
    examples: { yaml: { value: 'session:\n  id: office-hours-2020-12-10\n  …' } },
  })
  @ApiOkResponse({ type: ImportReportDto })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto })
  async import(@Query() query: ImportQueryDto, @Body() text: unknown, @CurrentActor() actor: Actor): Promise<ImportReportDto> {
    const yaml = typeof text === 'string' ? text : '';
    const report = await this.importer.importText(query.file, yaml, actor.subject);
    return { ...report, byEvent: { ...report.byEvent } };
  }
}
