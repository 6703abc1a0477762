import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

/** Unknown fields are refused, sizes are bounded by the DTOs, and a 400 names every bad field and why. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
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
