import { BadRequestException } from '@nestjs/common';

/**
 * The fields a correction actually sets. Partial DTOs let `null` through as "absent";
 * here it is refused unless the field may be empty.
 */
export function definedChanges<T extends object>(changes: T, nullable: readonly (keyof T)[] = []): Partial<T> {
  const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
  const wronglyNull = entries
    .filter(([field, value]) => value === null && !nullable.includes(field as keyof T))
    .map(([field]) => field);
  if (wronglyNull.length > 0) {
    const errors = wronglyNull.map((field) => ({ field: `changes.${field}`, reason: 'cannot be null' }));
    throw new BadRequestException({ message: errors.map((e) => `${e.field}: ${e.reason}`).join('; '), errors });
  }
  if (entries.length === 0) {
    throw new BadRequestException({
      message: 'changes: must name at least one field',
      errors: [{ field: 'changes', reason: 'must name at least one field' }],
    });
  }
  return Object.fromEntries(entries.map(([field, value]) => [field, plain(value)])) as Partial<T>;
}

// DTO instances become plain data before they enter an event.
function plain(value: unknown): unknown {
  return value === null || typeof value !== 'object' ? value : JSON.parse(JSON.stringify(value));
}
