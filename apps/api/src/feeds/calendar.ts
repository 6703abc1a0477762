import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { isOverdue, windowStart, type CalendarDate } from '#governance';
import type { CommitmentView } from '#read-models';
import { ID_PATTERN, ID_RULE, LIMITS } from '../http/dto.js';
import { printable } from './feed-text.js';
import { ReadYourWritesDto } from '../commitments/commitment-read.dto.js';

/** One value or several (`?team=a&team=b`); empty ones are none. */
const List = () =>
  Transform(({ value }: { value: unknown }) => {
    if (value === undefined || value === null) return undefined;
    const kept = (Array.isArray(value) ? value : [value]).filter((part) => part !== '');
    return kept.length > 0 ? [...new Set(kept)] : undefined;
  });

export const FOLLOWED_IDS = 100;
export const FOLLOWED_NAMES = 20;

/** A followed set: any of these commitments, teams or topics; `session` narrows to those made there. */
export class CalendarQueryDto extends ReadYourWritesDto {
  @ApiPropertyOptional({ isArray: true, type: String, description: 'A commitment id; repeat it for several.' })
  @List()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(FOLLOWED_IDS)
  @Matches(ID_PATTERN, { each: true, message: `each ${ID_RULE}` })
  commitment?: string[];

  @ApiPropertyOptional({ isArray: true, type: String, description: 'An owner team, in any case; repeat it for several.' })
  @List()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(FOLLOWED_NAMES)
  @IsString({ each: true })
  @MaxLength(LIMITS.name, { each: true })
  team?: string[];

  @ApiPropertyOptional({ isArray: true, type: String, description: 'A topic, in any case; repeat it for several.' })
  @List()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(FOLLOWED_NAMES)
  @IsString({ each: true })
  @MaxLength(LIMITS.topic, { each: true })
  topic?: string[];

  @ApiPropertyOptional({ description: 'Only commitments made in this session.' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_RULE })
  session?: string;
}

const DAY_MS = 86_400_000;
const dayAfter = (date: CalendarDate) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS);

/**
 * Target windows as all-day events: from the window's first day (its latest alone when the words
 * name only an end) to the day after its last, as iCalendar's exclusive DTEND wants. SEQUENCE is
 * how often the window changed, so a calendar replaces its copy on each re-target; an open
 * commitment past its window is marked overdue in its title and category.
 */
export function targetsCalendar(
  rows: readonly (CommitmentView & { readonly targetChanges: number })[],
  today: CalendarDate,
  linkTo: (path: string) => string,
  followed: readonly string[],
): string {
  const calendar = ical({
    name: followed.length ? `Commitment target dates: ${printable(followed.join(', '))}` : 'Commitment target dates',
    prodId: { company: 'commitment-tracker', product: 'targets' },
    method: ICalCalendarMethod.PUBLISH,
  });
  for (const row of rows) {
    const latest = row.targetLatestDate!;
    const first = windowStart({ earliestDate: row.targetEarliestDate, latestDate: latest })!;
    const overdue = isOverdue(row.status, latest, today);
    const link = linkTo(`/commitments/${row.commitmentId}`);
    calendar.createEvent({
      id: `${row.commitmentId}@commitment-tracker`,
      sequence: row.targetChanges,
      start: new Date(`${first}T00:00:00Z`),
      end: dayAfter(latest),
      allDay: true,
      status: ICalEventStatus.CONFIRMED,
      summary: printable(`${overdue ? 'Overdue' : 'Due'}: ${row.summary}`),
      description: printable(
        `${row.targetAsSaid ?? ''} (${row.ownerTeam}).${overdue ? ` Overdue: the window ended on ${latest}.` : ''} ${link}`,
      ),
      categories: [{ name: overdue ? 'Overdue' : 'Open' }],
      url: link,
    });
  }
  return calendar.toString();
}
