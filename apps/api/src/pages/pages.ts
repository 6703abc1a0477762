import { Injectable } from '@nestjs/common';
import { ReadingDays } from '../reading/reading-days.js';
import type { Request } from 'express';
import { Eta } from 'eta';
import type { PageData, PageName } from './page-data.js';
import { templates } from './templates.js';

import { DAY_PRECISION_WORDS, STATUS_LABELS, STRENGTH_LABELS } from './templates/status.js';
import { words } from './words.js';

export { DAY_PRECISION_WORDS, STATUS_LABELS, STRENGTH_LABELS };

/** A browser asks for HTML first; API clients and curl (`*\/*`) get JSON. */
export function wantsHtml(request: Request): boolean {
  // One URL, two representations: a shared cache must keep them apart.
  request.res?.vary('Accept');
  return request.accepts(['application/json', 'text/html']) === 'text/html';
}

/** Server-rendered pages: every value escaped (Eta's autoEscape), no script needed. */
@Injectable()
export class Pages {
  private readonly eta = new Eta({ autoEscape: true, autoTrim: false, cache: true });

  constructor(private readonly days: ReadingDays) {
    for (const [name, template] of Object.entries(templates)) this.eta.loadTemplate(`@${name}`, template);
  }

  render<Name extends PageName>(name: Name, data: PageData[Name]): string {
    return this.eta.render(`@${name}`, {
      ...data,
      labels: STATUS_LABELS,
      strengths: STRENGTH_LABELS,
      dayKnownAs: DAY_PRECISION_WORDS,
      words,
      staleAfterMonths: this.days.staleAfterMonths,
    });
  }
}
