import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ReadYourWritesDto } from '../commitments/commitment-read.dto.js';
import { ID_PATTERN, ID_RULE } from '../http/dto.js';

const EmptyIsAbsent = () => Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));

export class CorrectionsQueryDto extends ReadYourWritesDto {
  @ApiPropertyOptional({ example: 'ucoc-phase-2-start', description: 'Only corrections of this commitment.' })
  @EmptyIsAbsent()
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_RULE })
  commitment?: string;

  @ApiPropertyOptional({ example: 'office-hours-2020-12-10', description: 'Only corrections of this session’s record.' })
  @EmptyIsAbsent()
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_RULE })
  session?: string;

  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page?: number;
}

export class CorrectionSubjectDto {
  @ApiProperty({ enum: ['commitment', 'session'] }) kind!: 'commitment' | 'session';
  @ApiProperty({ example: 'ucoc-phase-2-start' }) id!: string;
  @ApiProperty({ description: 'The commitment’s summary or the session’s title right after the correction.' })
  title!: string;
  @ApiProperty({ example: '/commitments/ucoc-phase-2-start' }) url!: string;
}

// A corrected field's value: text, a list of text, or an object (a person, a target).
const ANY_RECORDED_VALUE = [{ type: 'string' }, { type: 'array', items: { type: 'string' } }, { type: 'object' }];

export class FieldChangeDto {
  @ApiProperty({ example: 'speaker' }) field!: string;
  @ApiProperty({
    oneOf: ANY_RECORDED_VALUE,
    nullable: true,
    description: 'The recorded value before: text, a list, or an object such as a target.',
  })
  from!: unknown;
  @ApiProperty({ oneOf: ANY_RECORDED_VALUE, nullable: true, description: 'The value the correction recorded.' }) to!: unknown;
}

export class CorrectionDto {
  @ApiProperty({ type: CorrectionSubjectDto }) subject!: CorrectionSubjectDto;
  @ApiProperty({ type: [FieldChangeDto] }) changes!: FieldChangeDto[];
  @ApiProperty() reason!: string;
  @ApiProperty({ description: 'Who recorded the correction.' }) actor!: string;
  @ApiProperty({ example: '2022-08-19T09:12:00.000Z' }) recordedAt!: string;
  @ApiProperty({ example: '2022-08-19T09:12:00.000Z' }) occurredAt!: string;
  @ApiProperty({ description: 'Its place in the log.' }) position!: string;
}

export class CorrectionsPageDto {
  @ApiProperty({ example: 12 }) total!: number;
  @ApiProperty({ example: 1 }) page!: number;
  @ApiProperty({ example: 50 }) pageSize!: number;
  @ApiProperty({ type: [CorrectionDto], description: 'Newest first.' }) items!: CorrectionDto[];
}
