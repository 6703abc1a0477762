import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { SESSION_KINDS } from '#governance';
import { CommitmentSummaryDto, ReadYourWritesDto } from '../commitments/commitment-read.dto.js';
import { PersonDto } from '../http/dto.js';
import { OUTCOMES, type Outcome } from './outcomes.js';

export class SessionSummaryDto {
  @ApiProperty({ example: 'office-hours-2020-12-10' }) id!: string;
  @ApiProperty({ example: '2020-12-10' }) date!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: SESSION_KINDS }) kind!: string;
  @ApiProperty({ type: [PersonDto] }) hosts!: PersonDto[];
  @ApiProperty({ description: 'The published notes.' }) sourceUrl!: string;
  @ApiProperty({ description: 'Commitments made in it.' }) madeCount!: number;
  @ApiProperty({ description: 'Earlier commitments it revisited.' }) revisitedCount!: number;
  @ApiProperty() revision!: number;
}

export class RecordEntryDto {
  @ApiProperty({ type: CommitmentSummaryDto }) commitment!: CommitmentSummaryDto;
  @ApiProperty({ enum: OUTCOMES, description: 'What became of it, as of today.' }) outcome!: Outcome;
  @ApiProperty({ type: String, nullable: true, description: 'For a revisit: what this session said about it.' }) said!:
    string | null;
}

export class SessionScorecardDto {
  @ApiProperty({ description: 'Commitments made in this session: every count below is out of these.' }) promised!: number;
  @ApiProperty({ description: 'Delivered in full.' }) delivered!: number;
  @ApiProperty() partiallyDelivered!: number;
  @ApiProperty({ description: 'Delivered in full or in part on or before the latest day of their target then.' })
  deliveredOnTime!: number;
  @ApiProperty() inProgress!: number;
  @ApiProperty({ description: 'Open and still only announced.' }) stillAnnounced!: number;
  @ApiProperty({ description: 'Open and no news for longer than the stale period (announced or in progress).' })
  stale!: number;
  @ApiProperty({ description: 'Open and past their target (announced or in progress).' }) overdue!: number;
  @ApiProperty() dropped!: number;
  @ApiProperty() superseded!: number;
  @ApiProperty({ description: 'Rates are null under this many promised: too few to rate.' }) minimumSample!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.375,
    description: '(delivered + partiallyDelivered) ÷ promised, to four decimals; null under the minimum sample.',
  })
  deliveryRate!: number | null;
}

export class SessionRecordDto extends SessionSummaryDto {
  @ApiProperty({ type: [RecordEntryDto], description: 'Promised in this session.' }) made!: RecordEntryDto[];
  @ApiProperty({ type: [RecordEntryDto], description: 'Promised earlier, revisited here.' }) revisited!: RecordEntryDto[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'How many of those made here ended each way.',
    example: { delivered: 3, overdue: 2 },
  })
  outcomes!: Record<Outcome, number>;
  @ApiProperty({ type: SessionScorecardDto, description: 'What became of what was promised here, as of today.' })
  scorecard!: SessionScorecardDto;
  @ApiPropertyOptional({
    type: 'object',
    properties: { date: { type: 'string', format: 'date' }, clock: { type: 'string', enum: ['occurred', 'recorded'] } },
    description: 'Set when the record is a view of the past.',
  })
  asOf?: { date: string; clock: string };
}

export const UPCOMING_STATUSES = ['scheduled', 'held', 'cancelled'] as const;

export class UpcomingSessionsQueryDto extends ReadYourWritesDto {
  @ApiPropertyOptional({
    enum: UPCOMING_STATUSES,
    description: 'Only those still to come (`scheduled`), held since, or called off. All of them by default.',
  })
  @IsOptional()
  @IsIn(UPCOMING_STATUSES)
  status?: (typeof UPCOMING_STATUSES)[number];
}

/** A session announced before its day, and where it stands. */
export class UpcomingSessionDto {
  @ApiProperty({ example: 'office-hours-2030-12-10' }) id!: string;
  @ApiProperty({ type: String, format: 'date', example: '2030-12-10', description: 'Its day as now planned.' }) date!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: [PersonDto] }) hosts!: PersonDto[];
  @ApiProperty({ type: [String], description: 'Teams named for its brief, besides the hosts\u2019 own.' }) teams!: string[];
  @ApiProperty({ enum: UPCOMING_STATUSES, description: 'Still to come, held (recorded since), or called off.' })
  status!: (typeof UPCOMING_STATUSES)[number];
  @ApiProperty({ type: String, nullable: true, description: 'Why it was called off; null unless cancelled.' })
  cancelReason!: string | null;
  @ApiProperty({ description: 'The session stream\u2019s revision at its last change (its calendar entry\u2019s SEQUENCE).' })
  revision!: number;
  @ApiProperty({ type: String, format: 'date-time', description: 'When the tracker learned of its last change.' })
  lastChangedAt!: string;
  @ApiProperty({ example: '/brief?session=office-hours-2030-12-10', description: 'Its brief.' }) brief!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Its record, once held (`/sessions/<id>`); null before.',
  })
  record!: string | null;
}
