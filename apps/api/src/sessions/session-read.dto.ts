import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SESSION_KINDS } from '#governance';
import { CommitmentSummaryDto } from '../commitments/commitment-read.dto.js';
import { PersonDto } from '../http/dto.js';

export const OUTCOMES = [
  'delivered',
  'delivered_late',
  'partially_delivered',
  'open',
  'overdue',
  'dropped',
  'superseded',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

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
  @ApiPropertyOptional({
    type: 'object',
    properties: { date: { type: 'string', format: 'date' }, clock: { type: 'string', enum: ['occurred', 'recorded'] } },
    description: 'Set when the record is a view of the past.',
  })
  asOf?: { date: string; clock: string };
}
