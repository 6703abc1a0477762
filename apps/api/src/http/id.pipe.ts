import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { ID_PATTERN, ID_RULE } from './dto.js';

/** Route ids follow the same rule as ids chosen in a body. */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!ID_PATTERN.test(value))
      throw new BadRequestException({ message: `id: ${ID_RULE}`, errors: [{ field: 'id', reason: ID_RULE }] });
    return value;
  }
}
