import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import {
  COMMITMENT_STATUSES,
  DATE_PRECISIONS,
  LINK_END_RELATIONS,
  SLIP_KINDS,
  STRENGTHS,
  type CommitmentStatus,
  type DatePrecision,
  type LinkEndRelation,
  type SlipKind,
} from '#governance';
import { ID_PATTERN, ID_RULE, IsCalendarDate, PersonDto, TargetDto } from '../http/dto.js';

export const STATUSES = COMMITMENT_STATUSES;
export const CLOCKS = ['occurred', 'recorded'] as const;

/** A search form sends its empty fields too: an empty filter is no filter. */
const EmptyIsAbsent = () => Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));
export const SORTS = ['changed', 'deadline', 'made'] as const;
/** Several statuses as `?status=a&status=b` or `?status=a,b`, in any case; empty parts are no filter. */
const StatusList = () =>
  Transform(({ value }: { value: unknown }) => {
    if (value === undefined || value === null) return undefined;
    const parts = (Array.isArray(value) ? value : [value]).flatMap((part) =>
      typeof part === 'string' ? part.split(',').map((word) => word.trim().toLowerCase()) : [part],
    );
    const present = parts.filter((part) => part !== '');
    return present.length > 0 ? [...new Set(present)] : undefined;
  });

export class ReadYourWritesDto {
  @ApiPropertyOptional({
    description:
      'A log position from a command response (X-Log-Position): the answer waits, up to 3 s, until it includes that change.',
    example: '00000000000000000812/0000000000000000042',
  })
  @IsOptional()
  @Matches(/^[0-9/]{1,64}$/, { message: 'must be a log position from a command response' })
  minPosition?: string;
}

export class AsOfQueryDto extends ReadYourWritesDto {
  @ApiPropertyOptional({ example: '2021-06-30', description: 'Show it as it stood at the end of this day (UTC).' })
  @EmptyIsAbsent()
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({
    enum: CLOCKS,
    default: 'occurred',
    description:
      'occurred: what was true then, counting what the tracker learned later about that time; recorded: what the tracker showed then, from what it had learned by that day.',
  })
  @EmptyIsAbsent()
  @IsOptional()
  @IsIn(CLOCKS)
  clock?: (typeof CLOCKS)[number];
}

export class ListCommitmentsQueryDto extends AsOfQueryDto {
  @ApiPropertyOptional({
    enum: STATUSES,
    isArray: true,
    description: 'Any of these statuses: repeat it (`status=announced&status=in_progress`) or separate with commas.',
  })
  @StatusList()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(STATUSES.length)
  @IsIn(STATUSES, { each: true })
  status?: (typeof STATUSES)[number][];

  @ApiPropertyOptional({ example: 'Trust & Safety', description: 'Owner team, in any case.' })
  @EmptyIsAbsent()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  owner?: string;

  @ApiPropertyOptional({ example: 'Universal Code of Conduct', description: 'One of its topics, in any case.' })
  @EmptyIsAbsent()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  topic?: string;

  @ApiPropertyOptional({ example: 'office-hours-2020-12-10', description: 'Made in or revisited in this session.' })
  @EmptyIsAbsent()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_RULE })
  session?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Open and past its latest target date.' })
  @EmptyIsAbsent()
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Open and no news (made, revisited, progress, start, re-target, outcome) for longer than the stale period.',
  })
  @EmptyIsAbsent()
  @IsOptional()
  @IsIn(['true', 'false'])
  stale?: 'true' | 'false';

  @ApiPropertyOptional({
    example: 'election',
    description:
      'Words, each also as the start of a longer one and in any form ("election" finds "elections", "ratif" finds "ratified"): in the summary, quote, note, speaker, team, topics and its history (revisits, progress, delivery, drop and re-target notes).',
  })
  @EmptyIsAbsent()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({
    enum: SORTS,
    default: 'changed',
    description: 'changed: latest change first; deadline: soonest first; made: newest session first.',
  })
  @EmptyIsAbsent()
  @IsOptional()
  @IsIn(SORTS)
  sort?: (typeof SORTS)[number];

  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page?: number;

  @ApiPropertyOptional({ default: 25, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize?: number;
}

export class SessionRefDto {
  @ApiProperty({ example: 'office-hours-2020-12-10' }) id!: string;
  @ApiProperty({ example: '2020-12-10' }) date!: string;
}

export class CommitmentSummaryDto {
  @ApiProperty({ example: 'ucoc-phase-2-start' }) id!: string;
  @ApiProperty({ enum: STATUSES }) status!: CommitmentStatus;
  @ApiProperty({ description: 'Open and past its latest target date (derived from today, never stored).' }) overdue!: boolean;
  @ApiProperty({
    description: 'Open and today inside its target window, from its earliest day (or its latest alone) to its latest.',
  })
  due!: boolean;
  @ApiProperty({
    description: 'Open and no news since before the stale cutoff (STALE_AFTER_MONTHS, 6 by default): derived, never stored.',
  })
  stale!: boolean;
  @ApiProperty({
    type: String,
    format: 'date',
    example: '2022-08-18',
    description:
      'The day its latest news happened: made, revisited, progress, start, re-target or outcome. Links and corrections are not news.',
  })
  lastNewsOn!: string;
  @ApiProperty({ description: 'Its target moved later at least once.' }) slipped!: boolean;
  @ApiProperty() summary!: string;
  @ApiProperty() quote!: string;
  @ApiProperty({ type: PersonDto }) speaker!: PersonDto;
  @ApiProperty() ownerTeam!: string;
  @ApiProperty({ type: [String] }) topics!: string[];
  @ApiProperty({ enum: STRENGTHS }) strength!: string;
  @ApiProperty({ type: String, nullable: true, description: 'An editor\u2019s doubts or context, apart from the promise.' })
  note!: string | null;
  @ApiProperty({ type: TargetDto, nullable: true }) target!: TargetDto | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'The latest date first promised.' })
  firstTargetLatestDate!: string | null;
  @ApiProperty({ type: SessionRefDto, description: 'Where it was made.' }) madeIn!: SessionRefDto;
  @ApiProperty({ type: [String], description: 'Sessions that revisited it.' }) revisitedIn!: string[];
  @ApiProperty() updateCount!: number;
  @ApiProperty() slipCount!: number;
  @ApiProperty({ description: 'Slips announced on or before the latest day of the target they replaced.' })
  extensionCount!: number;
  @ApiProperty({ description: 'Slips announced after the target they replaced had passed.' }) lateSlipCount!: number;
  @ApiProperty({ type: String, nullable: true }) supersededBy!: string | null;
  @ApiProperty() madeAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: string | null;
  @ApiProperty({
    enum: DATE_PRECISIONS,
    description:
      '`no_later_than`: it had closed by `closedAt`; `no_earlier_than`: it closed then or after; the notes do not say when. `exact` otherwise.',
  })
  closedAtPrecision!: DatePrecision;
  @ApiProperty() lastChangedAt!: string;
  @ApiProperty({ description: 'The stream revision: send it as If-Match with a change.' }) revision!: number;
}

export class TimelineEntryDto {
  @ApiProperty() revision!: number;
  @ApiProperty({ example: 'CommitmentRevisited' }) type!: string;
  @ApiProperty({ description: 'When it happened in the world.' }) occurredAt!: string;
  @ApiProperty({
    enum: DATE_PRECISIONS,
    description:
      '`no_later_than`: it had happened by `occurredAt`; `no_earlier_than`: it happened then or after; the notes do not say when. `exact` otherwise.',
  })
  datePrecision!: DatePrecision;
  @ApiProperty({ description: 'When the tracker learned it.' }) recordedAt!: string;
  @ApiProperty() actor!: string;
  @ApiProperty({ type: String, nullable: true }) sessionId!: string | null;
  @ApiProperty() text!: string;
  @ApiProperty({ type: [String] }) evidence!: string[];
  @ApiProperty({ description: 'News about the promise; false for bookkeeping of the record (links, corrections).' })
  news!: boolean;
  @ApiProperty({
    type: String,
    enum: SLIP_KINDS,
    nullable: true,
    description: 'For a new target that moved it later: announced while the old one stood, or after it had passed.',
  })
  slip!: SlipKind | null;
}

export class LinkDto {
  @ApiProperty({
    enum: LINK_END_RELATIONS,
    example: 'followed_up_by',
    description: 'Named from this commitment: it "follows_up" the other, or is "followed_up_by" it.',
  })
  relation!: LinkEndRelation;
  @ApiProperty({ description: 'The other commitment.' }) id!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The other commitment’s summary, as it stands.' })
  summary!: string | null;
  @ApiProperty({ enum: STATUSES, nullable: true, description: 'The other commitment’s status, as it stands.' })
  status!: CommitmentStatus | null;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
}

export class CommitmentDetailDto extends CommitmentSummaryDto {
  @ApiProperty({ type: [LinkDto], description: 'Links to other commitments, from both ends.' }) links!: LinkDto[];
  @ApiProperty({ type: [TimelineEntryDto] }) timeline!: TimelineEntryDto[];
  @ApiPropertyOptional({
    type: 'object',
    properties: { date: { type: 'string', format: 'date' }, clock: { type: 'string', enum: ['recorded', 'occurred'] } },
    description: 'Set when the answer is a view of the past.',
  })
  asOf?: { date: string; clock: string };
}

export class FacetOptionDto {
  @ApiProperty({ example: 'Trust & Safety' }) value!: string;
  @ApiProperty({ description: 'How many it finds together with the other active filters.' }) count!: number;
  @ApiProperty({ description: 'This value is an active filter.' }) selected!: boolean;
}

export class FacetsDto {
  @ApiProperty({ type: [FacetOptionDto], description: 'Every status.' }) status!: FacetOptionDto[];
  @ApiProperty({ type: [FacetOptionDto], description: 'Owner teams with a match, and the chosen one.' }) owner!: FacetOptionDto[];
  @ApiProperty({ type: [FacetOptionDto] }) topic!: FacetOptionDto[];
  @ApiProperty({ type: [FacetOptionDto], description: 'Sessions commitments were made or revisited in.' })
  session!: FacetOptionDto[];
}

export class UnknownFilterDto {
  @ApiProperty({ enum: ['owner', 'topic', 'session'] }) field!: string;
  @ApiProperty() value!: string;
  @ApiProperty({ example: "No team called 'Foo'; teams are: Legal, Product." }) message!: string;
}

export class AsOfDto {
  @ApiProperty({ format: 'date' }) date!: string;
  @ApiProperty({ enum: CLOCKS }) clock!: string;
}

export class CommitmentPageDto {
  @ApiProperty({ type: [CommitmentSummaryDto] }) items!: CommitmentSummaryDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: String, format: 'date', description: 'Open commitments with no news since before this day are stale.' })
  staleSince!: string;
  @ApiProperty({ type: FacetsDto, description: 'Each filter\u2019s values with counts, respecting the other filters.' })
  facets!: FacetsDto;
  @ApiProperty({ type: [UnknownFilterDto], description: 'Filters naming a value no commitment has: why nothing was found.' })
  unknown!: UnknownFilterDto[];
  @ApiPropertyOptional({ type: AsOfDto, description: 'Set when the list is a view of the past.' }) asOf?: AsOfDto;
}
