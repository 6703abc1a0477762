import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ReadYourWritesDto } from '../commitments/commitment-read.dto.js';
import { ID_PATTERN, ID_RULE, IsCalendarDate, LIMITS } from '../http/dto.js';

/** Several values as `?team=a&team=b` or one; empty ones are no value (a form sends its empty fields). */
export const TextList = () =>
  Transform(({ value }: { value: unknown }) => {
    if (value === undefined || value === null) return undefined;
    const present = (Array.isArray(value) ? value : [value]).map((part) => (typeof part === 'string' ? part.trim() : part));
    const kept = present.filter((part) => part !== '');
    return kept.length > 0 ? [...new Set(kept)] : undefined;
  });
const EmptyIsAbsent = () => Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));

export const BRIEF_LIST_LIMIT = 20;

/** An upcoming session: its day, its hosts and their teams; or a recorded or announced session by its id. */
export class BriefQueryDto extends ReadYourWritesDto {
  @ApiPropertyOptional({ example: '2026-12-10', description: 'The session\u2019s day (YYYY-MM-DD); or give `session`.' })
  @EmptyIsAbsent()
  @IsOptional()
  @IsCalendarDate()
  date?: string;

  @ApiPropertyOptional({
    description:
      'A recorded or announced session: its day and hosts are used, and the teams an announced one names (unless `team` is given).',
  })
  @EmptyIsAbsent()
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_RULE })
  session?: string;

  @ApiPropertyOptional({
    isArray: true,
    type: String,
    description: 'A host, by name; repeat it. Their teams (of the commitments they made) are briefed.',
  })
  @TextList()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(BRIEF_LIST_LIMIT)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(LIMITS.name, { each: true })
  host?: string[];

  @ApiPropertyOptional({
    isArray: true,
    type: String,
    description: 'A team to brief, by name in any case; repeat it. None and no host: every team with an open commitment.',
  })
  @TextList()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(BRIEF_LIST_LIMIT)
  @IsString({ each: true })
  @MaxLength(LIMITS.name, { each: true })
  team?: string[];

  @ApiPropertyOptional({
    example: '2027-03-10',
    description:
      'The next likely session\u2019s day; by default the session\u2019s day plus the usual gap between recorded sessions.',
  })
  @EmptyIsAbsent()
  @IsOptional()
  @IsCalendarDate()
  next?: string;
}
