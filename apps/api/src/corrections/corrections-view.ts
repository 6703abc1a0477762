import { Injectable } from '@nestjs/common';
import type { Correction, CorrectionsOf } from '#read-models';
import { atomXml } from '../feeds/atom.js';
import { PublicLinks } from '../feeds/public-links.js';
import { Pages } from '../pages/pages.js';
import { fieldLabel, valueText } from './correction-text.js';
import type { CorrectionDto, CorrectionsPageDto, CorrectionsQueryDto } from './corrections.dto.js';

export const subjectUrl = (kind: string, id: string) => `/${kind === 'commitment' ? 'commitments' : 'sessions'}/${id}`;

/** `?commitment=` or `?session=`, the same for the list and its feed. */
export const subjectOf = (query: CorrectionsQueryDto): CorrectionsOf =>
  query.commitment ? { kind: 'commitment', id: query.commitment } : query.session ? { kind: 'session', id: query.session } : null;

export const toCorrectionDto = (row: Correction): CorrectionDto => ({
  subject: {
    kind: row.subjectKind,
    id: row.subjectId,
    title: row.subjectTitle,
    url: subjectUrl(row.subjectKind, row.subjectId),
  },
  changes: [...row.changes],
  reason: row.reason,
  actor: row.actor,
  recordedAt: row.recordedAt,
  occurredAt: row.occurredAt,
  position: row.position,
});

/** What the corrections page is drawn from. */
export interface CorrectionsPageData {
  readonly answer: CorrectionsPageDto;
  readonly filter: (NonNullable<CorrectionsOf> & { readonly url: string }) | null;
  readonly feed: string;
  readonly fieldLabel: typeof fieldLabel;
  readonly valueText: typeof valueText;
  readonly previous: string | null;
  readonly next: string | null;
}

/** The corrections log drawn as a page, and as an Atom feed. */
@Injectable()
export class CorrectionsView {
  constructor(
    private readonly pages: Pages,
    private readonly links: PublicLinks,
  ) {}

  page(answer: CorrectionsPageDto, filter: CorrectionsOf): string {
    const link = (path: string, number = 1) => {
      const search = new URLSearchParams();
      if (filter) search.set(filter.kind, filter.id);
      if (number > 1) search.set('page', String(number));
      const text = search.toString();
      return `${path}${text ? `?${text}` : ''}`;
    };
    const pageUrl = (number: number) => link('/corrections', number);
    return this.pages.render('corrections', {
      answer,
      filter: filter && { ...filter, url: subjectUrl(filter.kind, filter.id) },
      feed: link('/corrections.atom'),
      fieldLabel,
      valueText,
      previous: answer.page > 1 ? pageUrl(answer.page - 1) : null,
      next: answer.page * answer.pageSize < answer.total ? pageUrl(answer.page + 1) : null,
    });
  }

  feed(rows: readonly Correction[], filter: CorrectionsOf): string {
    const narrowed = filter ? { [filter.kind]: filter.id } : {};
    const self = this.links.to('/corrections.atom', narrowed);
    return atomXml({
      id: self,
      title: filter
        ? `Commitment tracker: corrections to ${filter.kind} ${filter.id}`
        : 'Commitment tracker: corrections to the record',
      alternate: this.links.to('/corrections', narrowed),
      self,
      updated: rows[0] ? new Date(rows[0].recordedAt) : new Date(0),
      rights: 'Public record',
      entries: rows.map((row) => {
        const subject = this.links.to(subjectUrl(row.subjectKind, row.subjectId));
        const changed = row.changes
          .map((change) => `${fieldLabel(change.field)}: “${valueText(change.from)}” → “${valueText(change.to)}”`)
          .join('; ');
        return {
          id: `${subject}#correction-${row.position}`,
          link: subject,
          title: `Corrected ${row.changes.map((change) => fieldLabel(change.field)).join(', ')} of ${row.subjectTitle}`,
          summary: `${changed}. Why: ${row.reason}`,
          updated: new Date(row.recordedAt),
          author: row.actor,
        };
      }),
    });
  }
}
