import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { Eta } from 'eta';
import { templates } from './templates.js';

export const STATUS_LABELS: Readonly<Record<string, string>> = {
  announced: 'Announced',
  in_progress: 'In progress',
  delivered: 'Delivered',
  delivered_late: 'Delivered late',
  partially_delivered: 'Partially delivered',
  dropped: 'Dropped',
  superseded: 'Superseded',
  open: 'Open',
  overdue: 'Overdue',
};

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

  constructor() {
    for (const [name, template] of Object.entries(templates)) this.eta.loadTemplate(`@${name}`, template);
  }

  render(name: string, data: Record<string, unknown>): string {
    return this.eta.render(`@${name}`, { ...data, labels: STATUS_LABELS });
  }
}
