import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsNotEmpty,
  IsString,
  MaxLength,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import {
  CALENDAR_DATE_RULE,
  TIMESTAMP_RULE,
  isCalendarDate,
  isPlainObject,
  isTimestamp,
  type Person,
  type Target,
} from '#governance';

// One definition of an id, in the domain; the API, the pipes and the docs use it.
export { ID_PATTERN, ID_RULE } from '#governance';

/** How long each kind of text and list may be: the API's DTOs, the session-file schema and the CSV import share them. */
export const LIMITS = { name: 200, short: 500, text: 4000, list: 20, url: 2000, topics: 10, topic: 100 } as const;

/** A `YYYY-MM-DD` day that exists in the calendar. */
export function IsCalendarDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName,
      options: { message: CALENDAR_DATE_RULE, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isCalendarDate(value) },
    });
}

/** Optional in the body, but when present it may be `null` only where the field allows it. */
export const IsOptionalOrNull = () => ValidateIf((_, value) => value !== undefined && value !== null);

/** Optional in the body, and never `null` (class-validator's IsOptional would let `null` through). */
export function IsOptionalNotNull(): PropertyDecorator {
  return (target, propertyName) => {
    ValidateIf((_, value) => value !== undefined)(target, propertyName);
    registerDecorator({
      name: 'isNotNull',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'cannot be null' },
      validator: { validate: (value: unknown) => value !== null },
    });
  };
}

/** One object, not a list of them (which `@ValidateNested` alone would accept) and not missing. */
export function IsSingleObject(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isSingleObject',
      target: target.constructor,
      propertyName,
      options: {
        message: ({ value }: ValidationArguments) =>
          Array.isArray(value) ? 'must be an object, not a list' : 'must be an object',
        ...options,
      },
      validator: { validate: (value: unknown) => isPlainObject(value) },
    });
}

/** A nested object of a DTO's type: present (unless made optional), one object, each of its fields validated. */
export const NestedObject =
  (type: () => new () => object): PropertyDecorator =>
  (target, key) => {
    IsSingleObject()(target, key as string);
    ValidateNested()(target, key);
    Type(type)(target, key);
  };

/** A list of objects of a DTO's type: each one an object, not a list. */
export const NestedObjects =
  (type: () => new () => object): PropertyDecorator =>
  (target, key) => {
    IsSingleObject({ each: true, message: 'each must be an object' })(target, key as string);
    ValidateNested({ each: true })(target, key);
    Type(type)(target, key);
  };

export class PersonDto {
  @ApiProperty({ example: 'Maggie Dennis', minLength: 1, maxLength: LIMITS.name })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  name!: string;

  @ApiPropertyOptional({
    type: String,
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
    minLength: 1,
    maxLength: LIMITS.name,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  asSaid!: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    example: '2021-01-01',
    nullable: true,
    description:
      'The first day those words allow (YYYY-MM-DD), for a window such as "January or February 2021"; absent or null when they name only an end. Needs a latestDate on or after it.',
  })
  @IsOptionalOrNull()
  @IsCalendarDate()
  earliestDate?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    example: '2021-02-28',
    nullable: true,
    description: 'The latest day those words allow (YYYY-MM-DD); absent or null for "soon".',
  })
  @IsOptionalOrNull()
  @IsCalendarDate()
  latestDate?: string | null;
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
    type: String,
    format: 'date-time',
    example: '2022-08-18T13:00:00Z',
    description: 'When it happened in the world, with a time zone; defaults to now. May lie in the past, not in the future.',
  })
  @IsOptionalNotNull()
  @IsTimestamp()
  occurredAt?: string;
}

/** An ISO 8601 timestamp with a time zone, on a day that exists, every part in range: nothing rolls over. */
export function IsTimestamp(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTimestamp',
      target: target.constructor,
      propertyName,
      options: { message: TIMESTAMP_RULE, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isTimestamp(value) },
    });
}

/** A person as given (a request body, a session file), as the domain records it. */
export const toPerson = (person: { readonly name: string; readonly role?: string | null | undefined }): Person => ({
  name: person.name,
  role: person.role ?? null,
});

type TargetInput = {
  readonly asSaid: string;
  readonly earliestDate?: string | null | undefined;
  readonly latestDate?: string | null | undefined;
};

/** A target as given, as the domain records it; none stays none. An earliest day is recorded only when one is given. */
export function toTarget(target: TargetInput): Target;
export function toTarget(target: TargetInput | null | undefined): Target | null;
export function toTarget(target: TargetInput | null | undefined): Target | null {
  if (!target) return null;
  const { asSaid, earliestDate, latestDate } = target;
  return earliestDate ? { asSaid, earliestDate, latestDate: latestDate ?? null } : { asSaid, latestDate: latestDate ?? null };
}
