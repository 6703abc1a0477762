import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsString, IsUrl, Matches, MaxLength } from 'class-validator';
import { SESSION_KINDS, UPCOMING_TEAMS_LIMIT, type SessionKind } from '#governance';
import {
  ID_PATTERN,
  ID_RULE,
  IsCalendarDate,
  IsOptionalNotNull,
  LIMITS,
  NestedObject,
  NestedObjects,
  PersonDto,
} from '../http/dto.js';

export class SessionDetailsDto {
  @ApiProperty({ type: String, format: 'date', example: '2020-12-10', description: 'The day of the session (YYYY-MM-DD).' })
  @IsCalendarDate()
  date!: string;

  @ApiProperty({ example: 'Office hours with Maggie Dennis', minLength: 1, maxLength: LIMITS.name })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  title!: string;

  @ApiProperty({ enum: SESSION_KINDS, example: 'office_hour' })
  @IsIn(SESSION_KINDS)
  kind!: SessionKind;

  @ApiProperty({ type: [PersonDto], minItems: 1, maxItems: LIMITS.list, description: 'Who led the session.' })
  @IsArray()
  @NestedObjects(() => PersonDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(LIMITS.list)
  hosts!: PersonDto[];

  @ApiProperty({
    example: 'https://meta.wikimedia.org/wiki/IRC_office_hours/Office_hours_2020-12-10',
    description: 'The published notes: an http(s) URL.',
    format: 'uri',
    pattern: '^https?://',
    maxLength: LIMITS.url,
  })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'must be an http(s) URL' })
  @MaxLength(LIMITS.url)
  sourceUrl!: string;
}

export class RecordSessionDto extends SessionDetailsDto {
  @ApiPropertyOptional({
    type: String,
    pattern: ID_PATTERN.source,
    minLength: 2,
    maxLength: 100,
    example: 'office-hours-2020-12-10',
    description: `Chosen id; ${ID_RULE}. Generated when absent.`,
  })
  @IsOptionalNotNull()
  @Matches(ID_PATTERN, { message: ID_RULE })
  id?: string;
}

export class SessionChangesDto extends PartialType(SessionDetailsDto) {}

export class CorrectSessionDto {
  @ApiProperty({ type: SessionChangesDto, minProperties: 1, description: 'Only the fields to fix (at least one).' })
  @NestedObject(() => SessionChangesDto)
  changes!: SessionChangesDto;

  @ApiProperty({ example: 'Title as published on Meta', minLength: 1, maxLength: LIMITS.short })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.short)
  reason!: string;
}

/** What is announced of a session before its day. */
export class UpcomingSessionDetailsDto {
  @ApiProperty({
    type: String,
    format: 'date',
    example: '2026-12-10',
    description: 'The day it will be held (YYYY-MM-DD): today or later.',
  })
  @IsCalendarDate()
  date!: string;

  @ApiProperty({ example: 'Conversation hour with Maggie Dennis', minLength: 1, maxLength: LIMITS.name })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  title!: string;

  @ApiProperty({ type: [PersonDto], minItems: 1, maxItems: LIMITS.list, description: 'Who will lead it.' })
  @IsArray()
  @NestedObjects(() => PersonDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(LIMITS.list)
  hosts!: PersonDto[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: UPCOMING_TEAMS_LIMIT,
    example: ['Trust & Safety'],
    description: 'Teams to brief besides the hosts\u2019 own (the teams of the commitments they made). None by default.',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(UPCOMING_TEAMS_LIMIT)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(LIMITS.name, { each: true })
  teams?: string[];
}

export class ScheduleSessionDto extends UpcomingSessionDetailsDto {
  @ApiPropertyOptional({
    type: String,
    pattern: ID_PATTERN.source,
    minLength: 2,
    maxLength: 100,
    example: 'office-hours-2026-12-10',
    description: `Chosen id; ${ID_RULE}. Generated when absent. Record the session under it once it was held.`,
  })
  @IsOptionalNotNull()
  @Matches(ID_PATTERN, { message: ID_RULE })
  id?: string;
}

export class UpcomingSessionChangesDto extends PartialType(UpcomingSessionDetailsDto) {}

export class RescheduleSessionDto {
  @ApiProperty({
    type: UpcomingSessionChangesDto,
    minProperties: 1,
    description: 'Only what changes in the plan (at least one).',
  })
  @NestedObject(() => UpcomingSessionChangesDto)
  changes!: UpcomingSessionChangesDto;

  @ApiProperty({ example: 'The host moved it by a week', minLength: 1, maxLength: LIMITS.short })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.short)
  reason!: string;
}

export class CancelSessionDto {
  @ApiProperty({
    example: 'The host is unavailable; the next session is announced separately',
    minLength: 1,
    maxLength: LIMITS.short,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.short)
  reason!: string;
}
