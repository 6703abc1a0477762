import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  registerDecorator,
  ValidateIf,
  type ValidationOptions,
} from 'class-validator';
import { isCalendarDate, type Person, type Target } from '#governance';

export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,99}$/;
export const ID_RULE = 'must be 2 to 100 lower-case letters, digits or dashes, starting with a letter or digit';

export const LIMITS = { name: 200, short: 500, text: 4000, list: 20, url: 2000 } as const;

/** A `YYYY-MM-DD` day that exists in the calendar. */
export function IsCalendarDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName,
      options: { message: 'must be a date written YYYY-MM-DD', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isCalendarDate(value) },
    });
}

/** Optional in the body, but when present it may be `null` only where the field allows it. */
export const IsOptionalOrNull = () => ValidateIf((_, value) => value !== undefined && value !== null);

export class PersonDto {
  @ApiProperty({ example: 'Maggie Dennis', maxLength: LIMITS.name })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  name!: string;

  @ApiPropertyOptional({
    example: 'Vice President of Community Resilience and Sustainability',
    nullable: true,
    maxLength: LIMITS.name,
  })
  @IsOptionalOrNull()
  @IsString()
  @MaxLength(LIMITS.name)
  role?: string | null;
}

export class TargetDto {
  @ApiProperty({
    example: 'January or February 2021',
    description: 'The target in the speaker\u2019s words.',
    maxLength: LIMITS.name,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  asSaid!: string;

  @ApiProperty({ example: '2021-02-28', nullable: true, description: 'The latest day those words allow; null for "soon".' })
  @IsOptionalOrNull()
  @IsCalendarDate()
  latestDate!: string | null;
}

export class CommandResponseDto {
  @ApiProperty({ example: 'ucoc-phase-2', description: 'The session or commitment the command changed.' })
  id!: string;

  @ApiProperty({ example: 3, description: 'Its revision after the command; also the ETag.' })
  revision!: number;

  @ApiProperty({
    example: '00000000000000000812/0000000000000000042',
    description: 'Log position of the change, for read-your-writes.',
  })
  position!: string;

  @ApiProperty({ example: ['CommitmentDelivered'], description: 'The events the command recorded.' })
  events!: string[];
}

export class FieldErrorDto {
  @ApiProperty({ example: 'target.latestDate' })
  field!: string;

  @ApiProperty({ example: 'must be a date written YYYY-MM-DD' })
  reason!: string;
}

export class ErrorResponseDto {
  @ApiProperty({ example: 422 })
  statusCode!: number;

  @ApiProperty({ example: 'Unprocessable Entity' })
  error!: string;

  @ApiProperty({
    example: 'The target date 2019-12-31 is before the session of 2020-12-10.',
    description: 'A sentence a person understands.',
  })
  message!: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'For a 400: each offending field and why.' })
  errors?: FieldErrorDto[];
}

export class OccurredAtDto {
  @ApiPropertyOptional({
    example: '2022-08-18T13:00:00Z',
    description: 'When it happened in the world; defaults to now. May lie in the past.',
  })
  @IsOptional()
  @IsString()
  @IsTimestamp()
  occurredAt?: string;
}

/** An ISO 8601 timestamp with a time zone. */
export function IsTimestamp(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTimestamp',
      target: target.constructor,
      propertyName,
      options: { message: 'must be an ISO 8601 timestamp with a time zone, e.g. 2022-08-18T13:00:00Z', ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
          !Number.isNaN(Date.parse(value)),
      },
    });
}

export const toPerson = (dto: PersonDto): Person => ({ name: dto.name, role: dto.role ?? null });
export const toTarget = (dto: TargetDto): Target => ({ asSaid: dto.asSaid, latestDate: dto.latestDate ?? null });
