import type { UpcomingSessionView } from '#read-models';
import type { DrawnForm } from '../commitments/commitment-forms.js';
import type { CommitmentPageData } from '../commitments/commitment-page.js';
import type { CommitmentListPageData } from '../commitments/commitments-read.controller.js';
import type { CorrectionsPageData } from '../corrections/corrections-view.js';
import type { DashboardPageData } from '../dashboard/dashboard-page.js';
import type { DraftReviewPageData } from '../drafting/draft-review.js';
import type { ErrorBody } from '../http/error.filter.js';
import type { SessionRecordDto, SessionSummaryDto, UpcomingSessionDto } from '../sessions/session-read.dto.js';
import type { StaffViewer } from '../staff/staff-sessions.js';
import type { BriefPageData, BriefRevisitsPageData } from '../brief/brief-page.js';

/**
 * What each page is drawn from, by template name: `Pages.render` accepts only these, so a page
 * and the code that feeds it cannot drift apart unnoticed. The templates themselves stay Eta.
 */
export interface PageData {
  readonly commitment: CommitmentPageData;
  readonly commitments: CommitmentListPageData;
  readonly session: { readonly s: SessionRecordDto };
  readonly sessions: { readonly sessions: readonly SessionSummaryDto[] };
  readonly upcomingSessions: {
    readonly sessions: readonly UpcomingSessionDto[];
    /** The status asked for, or null for all. */
    readonly status: UpcomingSessionDto['status'] | null;
  };
  readonly dashboard: DashboardPageData;
  readonly corrections: CorrectionsPageData;
  readonly errorPage: { readonly error: ErrorBody };
  readonly staffHome: { readonly viewer: StaffViewer; readonly notice: string | null };
  readonly staffRecord: { readonly viewer: StaffViewer; readonly forms: readonly DrawnForm[] };
  readonly staffSignIn: { readonly csrfToken: string; readonly returnTo: string; readonly error: string | null };
  readonly staffDrafts: { readonly viewer: StaffViewer; readonly notes: string; readonly error: string | null };
  readonly staffDraftReview: DraftReviewPageData;
  readonly staffDraftImported: {
    readonly viewer: StaffViewer;
    readonly sessionId: string;
    readonly title: string;
    readonly commitments: readonly { readonly id: string; readonly summary: string }[];
    readonly events: number;
    readonly position: string | null;
  };
  readonly brief: BriefPageData;
  readonly briefRevisits: BriefRevisitsPageData;
  readonly briefForm: {
    readonly today: string;
    readonly hosts: readonly string[];
    readonly teams: readonly string[];
    /** Sessions announced and still to come, latest first. */
    readonly upcoming: readonly UpcomingSessionView[];
  };
}

export type PageName = keyof PageData;

/** Pieces included by pages (`include('@status', …)`), never drawn on their own. */
export type PartialName =
  'layout' | 'status' | 'statusWords' | 'barChart' | 'field' | 'staffActions' | 'staffForm' | 'asOfForm' | 'asOfNotice';
