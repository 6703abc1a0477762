import { Injectable } from '@nestjs/common';
import { ReadingDays } from '../reading/reading-days.js';
import type { Request } from 'express';
import { Eta } from 'eta';
import { templates } from './templates.js';

import { STATUS_LABELS } from './templates/status.js';
import { words } from './words.js';

export { STATUS_LABELS };

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

  render(name: string, data: Record<string, unknown>): string {
    return this.eta.render(`@${name}`, { ...data, labels: STATUS_LABELS, words, staleAfterMonths: this.days.staleAfterMonths });
  }
}
