import { BadRequestException, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { fieldPath, inspectInput } from './input-guard.js';

/**
 * Every body, form, query and path parameter, before class-transformer or a DTO sees it: no
 * text with a NUL or a lone surrogate anywhere (field names included), no hostile nesting.
 * Text bodies (session files, CSV) are left to their parsers, which name the entry and field.
 */
class GuardedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom' && !(metadata.type === 'body' && typeof value === 'string' && !metadata.data)) {
      const problems = inspectInput(value);
      if (problems.length > 0) {
        const root = metadata.type === 'param' || metadata.data ? (metadata.data ?? '') : '';
        const errors = problems.map(({ path, reason }) => ({ field: fieldPath(path, root) || 'body', reason }));
        throw new BadRequestException({ message: errors.map(({ field, reason }) => `${field}: ${reason}`).join('; '), errors });
      }
    }
    return super.transform(value, metadata);
  }
}

/** Unknown fields are refused, sizes are bounded by the DTOs, and a 400 names every bad field and why. */
export function validationPipe(): ValidationPipe {
  return new GuardedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (validationErrors) => {
      const errors = flatten(validationErrors);
      const message = errors.map(({ field, reason }) => `${field}: ${reason}`).join('; ');
      return new BadRequestException({ message, errors });
    },
  });
}

/** Each bad field with its reason, nested fields named by path (`newTarget.asSaid`, `evidence[0]`). */
export function flatten(validationErrors: readonly ValidationError[], parent = ''): { field: string; reason: string }[] {
  return validationErrors.flatMap((error) => {
    const field =
      parent === ''
        ? error.property
        : /^\d+$/.test(error.property)
          ? `${parent}[${error.property}]`
          : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({
      field,
      reason: withoutFieldName(reason, error.property),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

// class-validator starts messages with the property name; the field is reported on its own.
function withoutFieldName(reason: string, property: string): string {
  if (reason.startsWith('property ')) return reason.replace(/^property \S+ /, '');
  return reason.startsWith(`${property} `) ? reason.slice(property.length + 1) : reason;
}
