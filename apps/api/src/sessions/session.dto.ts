import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { SESSION_KINDS, type SessionKind } from '#governance';
import { ID_PATTERN, ID_RULE, IsCalendarDate, LIMITS, PersonDto } from '../http/dto.js';

export class SessionDetailsDto {
  @ApiProperty({ example: '2020-12-10', description: 'The day of the session.' })
  @IsCalendarDate()
  date!: string;

  @ApiProperty({ example: 'Office hours with Maggie Dennis', maxLength: LIMITS.name })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  title!: string;

  @ApiProperty({ enum: SESSION_KINDS, example: 'office_hour' })
  @IsIn(SESSION_KINDS)
  kind!: SessionKind;

  @ApiProperty({ type: [PersonDto], description: 'Who led the session.' })
  @ValidateNested({ each: true })
  @Type(() => PersonDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(LIMITS.list)
  hosts!: PersonDto[];

  @ApiProperty({
    example: 'https://meta.wikimedia.org/wiki/IRC_office_hours/Office_hours_2020-12-10',
    description: 'The published notes.',
  })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'must be an http(s) URL' })
  @MaxLength(LIMITS.url)
  sourceUrl!: string;
}

export class RecordSessionDto extends SessionDetailsDto {
  @ApiPropertyOptional({ example: 'office-hours-2020-12-10', description: `Chosen id; ${ID_RULE}. Generated when absent.` })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_RULE })
  id?: string;
}

export class SessionChangesDto extends PartialType(SessionDetailsDto) {}

export class CorrectSessionDto {
  @ApiProperty({ type: SessionChangesDto, description: 'Only the fields to fix.' })
  @ValidateNested()
  @Type(() => SessionChangesDto)
  changes!: SessionChangesDto;

  @ApiProperty({ example: 'Title as published on Meta', maxLength: LIMITS.short })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.short)
  reason!: string;
}
