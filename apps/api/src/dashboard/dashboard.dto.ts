import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { COMMITMENT_STATUSES, DATE_PRECISIONS, STRENGTHS } from '#governance';
import { IsCalendarDate } from '../http/dto.js';
import { ReadYourWritesDto } from '../commitments/commitment-read.dto.js';

export const CLOCKS = ['recorded', 'occurred'] as const;
const STATUSES = COMMITMENT_STATUSES;

export class DashboardQueryDto extends ReadYourWritesDto {
  @ApiPropertyOptional({
    example: '2021-06-30',
    description: 'The dashboard as it stood at the end of this day (UTC), with that day as "today". Not after today.',
  })
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({
    enum: CLOCKS,
    default: 'occurred',
    description:
      'With asOf. occurred (the default): what was true then, counting what the tracker learned of later, each ' +
      'commitment folded from its events dated by that day. recorded: what the tracker showed then. Both exact.',
  })
  @IsOptional()
  @IsIn(CLOCKS)
  clock?: (typeof CLOCKS)[number];
}

export class AsOfDto {
  @ApiProperty({ example: '2021-06-30' }) date!: string;
  @ApiProperty({ enum: CLOCKS }) clock!: (typeof CLOCKS)[number];
  @ApiProperty({
    example: 0,
    description:
      'Commitments whose state here also includes an event dated after this day: one recorded earlier in its history ' +
      'than a backdated event dated on or before it. Kept for older clients: the api now folds the occurred clock ' +
      'from the log, so it is always 0.',
  })
  includesLaterEvents!: number;
}

export class StatusCountsDto {
  @ApiProperty() announced!: number;
  @ApiProperty() in_progress!: number;
  @ApiProperty() delivered!: number;
  @ApiProperty() partially_delivered!: number;
  @ApiProperty() dropped!: number;
  @ApiProperty() superseded!: number;
  @ApiProperty() split!: number;
}

export class TotalsDto {
  @ApiProperty({ description: 'Every commitment recorded.' }) all!: number;
  @ApiProperty({ description: 'announced or in_progress.' }) open!: number;
  @ApiProperty({ description: 'delivered, partially_delivered, dropped, superseded or split.' }) closed!: number;
  @ApiProperty({ type: StatusCountsDto }) byStatus!: StatusCountsDto;
}

export class OpenCountDto {
  @ApiProperty({ example: 'Trust & Safety' }) name!: string;
  @ApiProperty({ example: 3 }) open!: number;
}

export class StaleCommitmentDto {
  @ApiProperty({ example: 'ucoc-phase-2-start' }) id!: string;
  @ApiProperty() summary!: string;
  @ApiProperty() ownerTeam!: string;
  @ApiProperty({ example: '2020-12-10', description: 'The day it was made.' }) madeOn!: string;
  @ApiProperty({ example: '2022-08-18', description: 'The day of its latest news.' }) lastNewsOn!: string;
}

export class FlagsDto {
  @ApiProperty({ description: 'Open, with today inside the target window (derived, never stored).' }) due!: number;
  @ApiProperty({ description: 'Open, with no news since before staleSince (derived, never stored).' }) stale!: number;
  @ApiProperty({ example: '2026-06-01', description: 'Today less the stale period (STALE_AFTER_MONTHS, 6 by default).' })
  staleSince!: string;
  @ApiProperty({ type: [StaleCommitmentDto], description: 'The ten stale ones longest without news.' })
  longestWithoutNews!: StaleCommitmentDto[];
}

export class TeamCountsDto {
  @ApiProperty({ example: 'Trust & Safety' }) name!: string;
  @ApiProperty() open!: number;
  @ApiProperty({ description: 'Of the open ones, past their target.' }) overdue!: number;
  @ApiProperty({ description: 'Of the open ones, with no news for longer than the stale period.' }) stale!: number;
  @ApiProperty({ description: 'Of the open ones, inside their target window today.' }) due!: number;
}

export class OverdueCommitmentDto {
  @ApiProperty({ example: 'ucoc-phase-2-start' }) id!: string;
  @ApiProperty() summary!: string;
  @ApiProperty() ownerTeam!: string;
  @ApiProperty({ enum: STRENGTHS, description: 'How firm it was.' }) strength!: string;
  @ApiProperty({ example: '2021-02-28', description: 'The latest date its current target allows.' }) targetLatestDate!: string;
  @ApiProperty({ example: 122, description: 'Days since that date.' }) daysOverdue!: number;
}

export class OverdueDto {
  @ApiProperty({ description: 'Open, with a latest target date before today (derived, never stored).' }) count!: number;
  @ApiProperty({ type: [OverdueCommitmentDto], description: 'The ten most overdue, longest first.' })
  mostOverdue!: OverdueCommitmentDto[];
}

export class UpcomingCommitmentDto {
  @ApiProperty({ example: 'ucoc-vote' }) id!: string;
  @ApiProperty() summary!: string;
  @ApiProperty() ownerTeam!: string;
  @ApiProperty({ enum: STRENGTHS, description: 'How firm it was.' }) strength!: string;
  @ApiProperty({ example: '2022-09-07' }) targetLatestDate!: string;
  @ApiProperty({ example: 6, description: 'Days until that date; 0 when due today.' }) daysLeft!: number;
}

export class UpcomingDto {
  @ApiProperty({ description: 'Open, latest target date from today through today + 30 days.' }) within30Days!: number;
  @ApiProperty({ description: 'Open, latest target date from today through today + 90 days.' }) within90Days!: number;
  @ApiProperty({ type: [UpcomingCommitmentDto], description: 'The ten open ones due soonest, from today on.' })
  nextDue!: UpcomingCommitmentDto[];
}

export class OnTimeDto {
  @ApiProperty({
    description:
      'Delivered or partially delivered, with a latest target date, where it is known whether by then (not one known only to have closed no later than a day after it).',
  })
  withTarget!: number;
  @ApiProperty({ description: 'Of those, closed on or before the latest date of the target they had then.' }) onTime!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.5,
    description: 'onTime ÷ withTarget, to four decimals; null under the minimum sample.',
  })
  rate!: number | null;
}

export class DeliveryDto {
  @ApiProperty() closed!: number;
  @ApiProperty() delivered!: number;
  @ApiProperty() partiallyDelivered!: number;
  @ApiProperty({ example: 5, description: 'Every rate is null when its whole is under this: too few to rate.' })
  minimumSample!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.25,
    description: 'delivered ÷ closed, to four decimals; null under the minimum sample.',
  })
  deliveryRate!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 0.25, description: 'partiallyDelivered ÷ closed.' })
  partialDeliveryRate!: number | null;
  @ApiProperty({ type: OnTimeDto }) onTime!: OnTimeDto;
}

export class SlipSizeDto {
  @ApiProperty({ example: 31 }) fromDays!: number;
  @ApiProperty({ type: Number, nullable: true, example: 90, description: 'Inclusive; null: no upper bound.' }) toDays!:
    number | null;
  @ApiProperty({ example: 4, description: 'Slipped commitments whose targets moved later by this many days in all.' })
  count!: number;
}

export class SlipsDto {
  @ApiProperty({ description: 'Commitments whose target moved later at least once.' }) slipped!: number;
  @ApiProperty({ description: 'Of those, the ones whose target moved later more than once.' }) slippedMoreThanOnce!: number;
  @ApiProperty({ description: 'Commitments with an extension: a later target announced while the old one still stood.' })
  extended!: number;
  @ApiProperty({ description: 'Commitments with a late slip: a later target announced after the old one had passed.' })
  slippedLate!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 370,
    description: 'Median of the days their targets moved later in all.',
  })
  medianSlipDays!: number | null;
  @ApiProperty({
    type: [SlipSizeDto],
    description:
      'Slipped commitments by the days their targets moved later in all. 0 days: every slip was to a vaguer target with no date.',
  })
  bySize!: SlipSizeDto[];
}

export class RecentChangeDto {
  @ApiProperty({ example: 'ucoc-phase-2-start' }) id!: string;
  @ApiProperty() summary!: string;
  @ApiProperty() ownerTeam!: string;
  @ApiProperty({ enum: STRENGTHS, description: 'How firm it was.' }) strength!: string;
  @ApiProperty({ enum: STATUSES }) status!: (typeof STATUSES)[number];
  @ApiProperty({ example: 'CommitmentRetargeted' }) eventType!: string;
  @ApiProperty({ description: 'What changed, as the line in the commitment’s history says it.' }) change!: string;
  @ApiProperty({ example: '2022-08-18T16:00:00.000Z' }) occurredAt!: string;
  @ApiProperty({
    enum: DATE_PRECISIONS,
    description: '`no_later_than`: it had happened by `occurredAt`; `no_earlier_than`: then or after; the day is not known.',
  })
  datePrecision!: (typeof DATE_PRECISIONS)[number];
  @ApiProperty({ example: '2022-08-19T09:12:00.000Z' }) recordedAt!: string;
}

export class MonthCountsDto {
  @ApiProperty({ example: '2021-03' }) month!: string;
  @ApiProperty({ description: 'Made by the end of the month and not closed by then.' }) open!: number;
  @ApiProperty({ description: 'Closed by the end of the month.' }) closed!: number;
}

export class DashboardDto {
  @ApiProperty({ example: '2022-09-01', description: 'The day the figures are for: today, or the asOf day.' }) today!: string;
  @ApiProperty({ type: AsOfDto, nullable: true, description: 'Set when the answer is a view of the past.' })
  asOf!: AsOfDto | null;
  @ApiProperty({ type: TotalsDto }) totals!: TotalsDto;
  @ApiProperty({ type: FlagsDto }) flags!: FlagsDto;
  @ApiProperty({ type: [OpenCountDto], description: 'Open commitments per owner team, most first, then by name.' })
  openByOwnerTeam!: OpenCountDto[];
  @ApiProperty({
    type: [TeamCountsDto],
    description: 'Open, overdue, stale and due per owner team: most overdue first, then most stale, then by name.',
  })
  byTeam!: TeamCountsDto[];
  @ApiProperty({ type: [OpenCountDto], description: 'Open commitments per topic, most first, then by name.' })
  openByTopic!: OpenCountDto[];
  @ApiProperty({ type: OverdueDto }) overdue!: OverdueDto;
  @ApiProperty({ type: UpcomingDto }) upcoming!: UpcomingDto;
  @ApiProperty({ type: DeliveryDto }) delivery!: DeliveryDto;
  @ApiProperty({ type: SlipsDto }) slips!: SlipsDto;
  @ApiProperty({
    type: [MonthCountsDto],
    description:
      'Month by month (UTC, occurred time) from the first commitment to this month. From each commitment’s current ' +
      'record: a reopened commitment counts as open since it was made.',
  })
  overTime!: MonthCountsDto[];
  @ApiProperty({
    type: [RecentChangeDto],
    description:
      'The ten commitments the tracker recorded news of most recently, each with that news, newest first: made, ' +
      'revisited, progress, start, re-target or outcome, never bookkeeping (links, corrections). ' +
      'With asOf: each commitment’s latest news dated before the end of that day by the chosen clock.',
  })
  recentlyChanged!: RecentChangeDto[];
}
