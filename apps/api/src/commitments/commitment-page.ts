import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { LINK_WORDS, acceptedCommands, isOpenStatus, type CommitmentStatus } from '#governance';
import { roleAllows } from '../auth/roles.js';
import { Pages, STATUS_LABELS } from '../pages/pages.js';
import { closedInWords } from '../pages/words.js';
import { GetSession, ListSessions } from '../sessions/session-queries.js';
import type { SessionSummaryDto } from '../sessions/session-read.dto.js';
import type { StaffViewer } from '../staff/staff-sessions.js';
import type { CommitmentDetailDto } from './commitment-read.dto.js';
import { COMMITMENT_FORMS, drawnForm, type DrawnForm, type FormProblems, type FormValues } from './commitment-forms.js';
import { GetCommitment } from './commitment-queries.js';

export interface AsOf {
  readonly date: string;
  readonly clock: 'recorded' | 'occurred';
}

/** What a signed-in member of staff sees on top of the public page. */
export interface StaffView {
  readonly viewer: StaffViewer;
  /** The message left by the last saved form. */
  readonly notice: string | null;
  /** A refused form, drawn open with its values and its problems next to the fields. */
  readonly refused?: { readonly action: string; readonly values: FormValues; readonly problems: FormProblems };
}

/** What the commitment page is drawn from. */
export interface CommitmentPageData {
  readonly c: CommitmentDetailDto;
  readonly session: SessionSummaryDto | null;
  /** How it closed, in words ("delivered no later than"), and the day; null while open. */
  readonly closed: { readonly words: string; readonly day: string } | null;
  /** Its links, each named from this end, with the other commitment's summary and status. */
  readonly links: readonly {
    readonly words: string;
    readonly id: string;
    readonly summary: string;
    readonly status: string | null;
    readonly label: string | null;
    readonly note: string | null;
  }[];
  readonly staff: StaffPanel | null;
  readonly notice: string | null;
}

/** The staff forms the commitment accepts now, each ready to draw (values and problems of a refused one filled in). */
export interface StaffPanel {
  readonly viewer: StaffViewer;
  readonly forms: readonly DrawnForm[];
}

/** The commitment page: public, and with the staff forms for a signed-in member of staff. */
@Injectable()
export class CommitmentPage {
  constructor(
    private readonly queries: QueryBus,
    private readonly pages: Pages,
  ) {}

  /** `drawnFrom` is told the commitment the page shows, so what it depends on can be named. */
  async render(
    commitmentId: string,
    asOf: AsOf | undefined,
    staff: StaffView | null,
    drawnFrom?: (commitment: CommitmentDetailDto) => void,
  ): Promise<string> {
    const commitment = await this.queries.execute(new GetCommitment(commitmentId, asOf));
    drawnFrom?.(commitment);
    const session = await this.queries.execute(new GetSession(commitment.madeIn.id));
    // The forms change today's commitment, so a past view never offers them.
    const panel = staff && !asOf ? await this.staffPanel(commitment, staff) : null;
    const closed =
      commitment.closedAt !== null && !isOpenStatus(commitment.status)
        ? { words: closedInWords(commitment.status, commitment.closedAtPrecision), day: commitment.closedAt.slice(0, 10) }
        : null;
    const links = commitment.links.map((link) => {
      const words = LINK_WORDS[link.relation];
      return {
        words: words.charAt(0).toUpperCase() + words.slice(1),
        id: link.id,
        summary: link.summary ?? link.id,
        status: link.status,
        label: link.status ? STATUS_LABELS[link.status] : null,
        note: link.note,
      };
    });
    return this.pages.render('commitment', {
      c: commitment,
      links,
      session,
      closed,
      staff: panel,
      notice: staff?.notice ?? null,
    });
  }

  private async staffPanel(commitment: CommitmentDetailDto, staff: StaffView): Promise<StaffPanel> {
    const sessions = await this.queries.execute(new ListSessions());
    const sessionOptions = [
      { value: '', label: 'Choose a session' },
      ...sessions
        .filter((session) => session.date >= commitment.madeIn.date && session.id !== commitment.madeIn.id)
        .map((session) => ({ value: session.id, label: `${session.date}: ${session.title}` })),
    ];
    const accepted: readonly string[] = acceptedCommands(commitment.status as CommitmentStatus);
    const forms = COMMITMENT_FORMS.filter(
      (form) =>
        roleAllows(staff.viewer.role, form.command.role) &&
        (accepted.includes(form.command.type) || form.action === staff.refused?.action),
    ).map((form) =>
      drawnForm(
        form,
        staff.refused?.action === form.action ? staff.refused : undefined,
        form.defaults?.(commitment) ?? {},
        sessionOptions,
      ),
    );
    return { viewer: staff.viewer, forms };
  }
}
