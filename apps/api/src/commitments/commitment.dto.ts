import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  registerDecorator,
  ValidateIf,
} from 'class-validator';
import {
  DATE_PRECISIONS,
  DROP_REASONS,
  LINK_RELATIONS,
  REVISIT_REPORT_KINDS,
  STRENGTHS,
  type DatePrecision,
  type DropReason,
  type LinkRelation,
  type RevisitReport,
  type Strength,
} from '#governance';
import {
  ID_PATTERN,
  ID_RULE,
  IsOptionalNotNull,
  IsOptionalOrNull,
  LIMITS,
  NestedObject,
  NestedObjects,
  OccurredAtDto,
  PersonDto,
  TargetDto,
} from '../http/dto.js';

const requiredText = (max: number) => [IsString(), IsNotEmpty(), MaxLength(max)];
const apply =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    for (const decorator of decorators) decorator(target, key);
  };
const RequiredText = (max: number) => apply(...requiredText(max));
const IdOf = (each = false) => Matches(ID_PATTERN, { message: each ? `each ${ID_RULE}` : ID_RULE, each });
/** Most parts a split makes, or commitments a merge or supersession names. */
const MOST_PARTS = 10;
const idDoc = { type: String, pattern: ID_PATTERN.source, minLength: 2, maxLength: 100 } as const;
const evidenceDoc = {
  type: 'array',
  items: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: LIMITS.url },
  maxItems: LIMITS.list,
} as const;
const EvidenceLinks = () =>
  apply(
    IsOptionalNotNull(),
    IsArray(),
    ArrayMaxSize(LIMITS.list),
    IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { each: true, message: 'each must be an http(s) URL' }),
    MaxLength(LIMITS.url, { each: true }),
  );

const datePrecisionDoc = {
  enum: DATE_PRECISIONS,
  example: 'no_later_than',
  description:
    'How exactly the day is known: `no_later_than` when the notes say it had happened by then but not when (e.g. "has been ratified"); `no_earlier_than` when it happened then or after, on a day not given (answered "after the call"). Absent: exact.',
} as const;

/** A bound needs a day that is given: "no later than now" says nothing. */
function BoundsAGivenDay(day: string) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'boundsAGivenDay',
      target: target.constructor,
      propertyName,
      options: { message: `$value needs ${day}, the day that bounds it` },
      validator: {
        validate: (value: unknown, args) =>
          value === undefined || value === 'exact' || (args?.object as Record<string, unknown>)[day] !== undefined,
      },
    });
}

/** What every status change takes beyond its own fields: when, how exactly that is known, and links that show it. */
export class StatusChangeDto extends OccurredAtDto {
  @ApiPropertyOptional({
    example: ['https://meta.wikimedia.org/wiki/Universal_Code_of_Conduct'],
    description: 'Links that show it: http(s) URLs.',
    ...evidenceDoc,
  })
  @EvidenceLinks()
  evidence?: string[];

  @ApiPropertyOptional(datePrecisionDoc)
  @IsOptionalNotNull()
  @IsIn(DATE_PRECISIONS)
  @BoundsAGivenDay('occurredAt')
  datePrecision?: DatePrecision;
}

/** A status report given with a revisit, as sessions give them; it happened no later than the session when so marked. */
export class RevisitReportDto {
  @ApiProperty({ enum: REVISIT_REPORT_KINDS, example: 'progress' })
  @IsIn(REVISIT_REPORT_KINDS)
  kind!: RevisitReport['kind'];

  @ApiPropertyOptional({
    example: 'Enforcement guidelines going into translation.',
    description: 'For progress and deliveries.',
    minLength: 1,
    maxLength: LIMITS.text,
  })
  @ValidateIf((report: RevisitReportDto) => report.kind !== 'dropped')
  @RequiredText(LIMITS.text)
  note?: string;

  @ApiPropertyOptional({ description: 'Links that show it: http(s) URLs.', ...evidenceDoc })
  @EvidenceLinks()
  evidence?: string[];

  @ApiPropertyOptional({ enum: DROP_REASONS, description: 'For a drop.' })
  @ValidateIf((report: RevisitReportDto) => report.kind === 'dropped')
  @IsIn(DROP_REASONS)
  reason?: DropReason;

  @ApiPropertyOptional({ description: 'For a drop.', minLength: 1, maxLength: LIMITS.text })
  @ValidateIf((report: RevisitReportDto) => report.kind === 'dropped')
  @RequiredText(LIMITS.text)
  explanation?: string;

  @ApiPropertyOptional(datePrecisionDoc)
  @IsOptionalNotNull()
  @IsIn(DATE_PRECISIONS)
  datePrecision?: DatePrecision;
}

export class CommitmentDetailsDto {
  @ApiProperty({ type: PersonDto, description: 'Who made the commitment, with their role as given.' })
  @NestedObject(() => PersonDto)
  speaker!: PersonDto;

  @ApiProperty({ example: 'Trust & Safety', minLength: 1, maxLength: LIMITS.name })
  @RequiredText(LIMITS.name)
  ownerTeam!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: LIMITS.topic },
    minItems: 1,
    maxItems: LIMITS.topics,
    example: ['Universal Code of Conduct'],
    description: 'One to ten topics, each 1 to 100 characters.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LIMITS.topics)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(LIMITS.topic, { each: true })
  topics!: string[];

  @ApiProperty({
    example: 'Start phase 2 of the Universal Code of Conduct',
    description: 'In the tracker\u2019s words.',
    minLength: 1,
    maxLength: LIMITS.short,
  })
  @RequiredText(LIMITS.short)
  summary!: string;

  @ApiProperty({
    example: 'We are planning to start in January or February.',
    description: 'Short and exact.',
    minLength: 1,
    maxLength: LIMITS.short,
  })
  @RequiredText(LIMITS.short)
  quote!: string;

  @ApiPropertyOptional({ type: TargetDto, nullable: true, description: 'Absent or null when no time was named.' })
  @IsOptionalOrNull()
  @NestedObject(() => TargetDto)
  target?: TargetDto | null;

  @ApiProperty({ enum: STRENGTHS, example: 'plan', description: 'How firm it was.' })
  @IsIn(STRENGTHS)
  strength!: Strength;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    minLength: 1,
    maxLength: LIMITS.text,
    description: 'An editor\u2019s doubts or context, apart from the promise.',
  })
  @IsOptionalOrNull()
  @RequiredText(LIMITS.text)
  note?: string | null;
}

export class MakeCommitmentDto extends CommitmentDetailsDto {
  @ApiPropertyOptional({ ...idDoc, example: 'ucoc-phase-2-start', description: `Chosen id; ${ID_RULE}. Generated when absent.` })
  @IsOptionalNotNull()
  @IdOf()
  id?: string;

  @ApiProperty({ ...idDoc, example: 'office-hours-2020-12-10', description: 'The recorded session where it was made.' })
  @IdOf()
  sessionId!: string;
}

export class RevisitCommitmentDto {
  @ApiProperty({
    ...idDoc,
    example: 'conversation-hour-2022-08-18',
    description: 'A recorded session after the one where it was made.',
  })
  @IdOf()
  sessionId!: string;

  @ApiProperty({ example: 'Enforcement guidelines go to consultation on September 7th.', minLength: 1, maxLength: LIMITS.text })
  @RequiredText(LIMITS.text)
  statement!: string;

  @ApiPropertyOptional({
    type: String,
    example: 'We hope to launch the consultations on September 7th.',
    nullable: true,
    minLength: 1,
    maxLength: LIMITS.short,
  })
  @IsOptionalOrNull()
  @RequiredText(LIMITS.short)
  quote?: string | null;

  @ApiPropertyOptional({ type: PersonDto, nullable: true })
  @IsOptionalOrNull()
  @NestedObject(() => PersonDto)
  speaker?: PersonDto | null;

  @ApiPropertyOptional({ type: TargetDto, nullable: true, description: 'When the later session named a new target.' })
  @IsOptionalOrNull()
  @NestedObject(() => TargetDto)
  newTarget?: TargetDto | null;

  @ApiPropertyOptional({
    type: RevisitReportDto,
    nullable: true,
    description:
      'What the session reported about it: progress, a delivery (full or partial) or a drop, recorded with the revisit in one step. Refused, with nothing written, where the commitment\u2019s state does not allow it.',
  })
  @IsOptionalOrNull()
  @NestedObject(() => RevisitReportDto)
  report?: RevisitReportDto | null;
}

export class ReportProgressDto extends StatusChangeDto {
  @ApiProperty({ example: 'Enforcement guidelines sent for translation.', minLength: 1, maxLength: LIMITS.text })
  @RequiredText(LIMITS.text)
  note!: string;
}

export class StartWorkDto extends StatusChangeDto {
  @ApiPropertyOptional({
    type: String,
    example: 'Drafting committee formed.',
    nullable: true,
    minLength: 1,
    maxLength: LIMITS.text,
  })
  @IsOptionalOrNull()
  @RequiredText(LIMITS.text)
  note?: string | null;
}

export class RetargetCommitmentDto extends StatusChangeDto {
  @ApiProperty({ type: TargetDto })
  @NestedObject(() => TargetDto)
  newTarget!: TargetDto;

  @ApiProperty({ example: 'Translations took longer than planned.', minLength: 1, maxLength: LIMITS.short })
  @RequiredText(LIMITS.short)
  reason!: string;
}

export class DeliverCommitmentDto extends StatusChangeDto {
  @ApiProperty({ enum: ['full', 'partial'], example: 'full' })
  @IsIn(['full', 'partial'])
  completeness!: 'full' | 'partial';

  @ApiProperty({ example: 'Results announced on Meta.', minLength: 1, maxLength: LIMITS.text })
  @RequiredText(LIMITS.text)
  note!: string;
}

export class DropCommitmentDto extends StatusChangeDto {
  @ApiProperty({ enum: DROP_REASONS, example: 'deprioritised' })
  @IsIn(DROP_REASONS)
  reason!: DropReason;

  @ApiProperty({ example: 'Budget moved to the enforcement guidelines.', minLength: 1, maxLength: LIMITS.text })
  @RequiredText(LIMITS.text)
  explanation!: string;
}

export class SupersedeCommitmentDto extends StatusChangeDto {
  @ApiProperty({ ...idDoc, example: 'ucoc-enforcement-vote-january', description: 'The commitment that replaces this one.' })
  @IdOf()
  supersededBy!: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { ...idDoc, type: 'string' },
    maxItems: MOST_PARTS - 1,
    description: 'When several commitments replace it together: the others besides `supersededBy`.',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(MOST_PARTS - 1)
  @ArrayUnique({ message: 'each commitment only once' })
  @IdOf(true)
  alsoSupersededBy?: string[];

  @ApiProperty({ example: 'Restated as the January vote in the 2022 session.', minLength: 1, maxLength: LIMITS.text })
  @RequiredText(LIMITS.text)
  note!: string;
}

export class SplitPartDto {
  @ApiPropertyOptional({ ...idDoc, example: 'ucoc-phase-2-drafting', description: 'Chosen id; one is made if absent.' })
  @IsOptionalNotNull()
  @IdOf()
  id?: string;

  @ApiProperty({ example: 'Draft the enforcement guidelines', minLength: 1, maxLength: LIMITS.short })
  @RequiredText(LIMITS.short)
  summary!: string;

  @ApiPropertyOptional({
    type: String,
    minLength: 1,
    maxLength: LIMITS.text,
    description: 'The words of the original quote this part is about; absent keeps the whole quote.',
  })
  @IsOptionalNotNull()
  @RequiredText(LIMITS.text)
  quote?: string;

  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: LIMITS.name, description: 'Absent keeps the original owner.' })
  @IsOptionalNotNull()
  @RequiredText(LIMITS.name)
  ownerTeam?: string;

  @ApiPropertyOptional({ type: TargetDto, description: 'Absent keeps the original target.' })
  @IsOptionalNotNull()
  @NestedObject(() => TargetDto)
  target?: TargetDto;
}

export class SplitCommitmentDto extends StatusChangeDto {
  @ApiProperty({ type: [SplitPartDto], minItems: 2, maxItems: MOST_PARTS, description: 'The new commitments it is split into.' })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(MOST_PARTS)
  @NestedObjects(() => SplitPartDto)
  parts!: SplitPartDto[];

  @ApiProperty({ example: 'The 2022 session reported on the two halves separately.', minLength: 1, maxLength: LIMITS.text })
  @RequiredText(LIMITS.text)
  note!: string;
}

export class MergeCommitmentDto extends StatusChangeDto {
  @ApiProperty({ ...idDoc, example: 'ucoc-enforcement-vote-january', description: 'The open commitment that carries it on.' })
  @IdOf()
  into!: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { ...idDoc, type: 'string' },
    maxItems: MOST_PARTS - 1,
    description: 'Other commitments merged into the same one at once.',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(MOST_PARTS - 1)
  @ArrayUnique({ message: 'each commitment only once' })
  @IdOf(true)
  alsoMerging?: string[];

  @ApiProperty({ example: 'Both were the same promise, restated in 2022.', minLength: 1, maxLength: LIMITS.text })
  @RequiredText(LIMITS.text)
  note!: string;
}

export class ReopenCommitmentDto extends StatusChangeDto {
  @ApiProperty({ example: 'Marked delivered by mistake.', minLength: 1, maxLength: LIMITS.short })
  @RequiredText(LIMITS.short)
  reason!: string;
}

export class CommitmentChangesDto extends PartialType(CommitmentDetailsDto) {}

export class CorrectCommitmentDto {
  @ApiProperty({
    type: CommitmentChangesDto,
    minProperties: 1,
    description: 'Only the fields to fix (at least one); not progress, and not a slip.',
  })
  @NestedObject(() => CommitmentChangesDto)
  changes!: CommitmentChangesDto;

  @ApiProperty({ example: 'Speaker\u2019s role as given in the notes.', minLength: 1, maxLength: LIMITS.short })
  @RequiredText(LIMITS.short)
  reason!: string;
}

export class LinkCommitmentDto {
  @ApiProperty({ ...idDoc, example: 'ucoc-enforcement-vote-january' })
  @IdOf()
  linkedTo!: string;

  @ApiProperty({ enum: LINK_RELATIONS, example: 'related' })
  @IsIn(LINK_RELATIONS)
  relation!: LinkRelation;

  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: LIMITS.short })
  @IsOptionalOrNull()
  @RequiredText(LIMITS.short)
  note?: string | null;
}
