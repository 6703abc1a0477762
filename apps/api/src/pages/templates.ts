/**
 * Page templates (Eta), one file each. `<%= %>` escapes; raw output `<%~ %>` is used only for
 * includes and the layout body, never for data. Everything works without JavaScript.
 */
import type { PageName, PartialName } from './page-data.js';
import { layout } from './templates/layout.js';
import { status, statusWords } from './templates/status.js';
import { commitment } from './templates/commitment.js';
import { session } from './templates/session.js';
import { commitments } from './templates/commitments.js';
import { sessions, upcomingSessions } from './templates/sessions.js';
import { dashboard } from './templates/dashboard.js';
import { barChart } from './templates/bar-chart.js';
import { corrections } from './templates/corrections.js';
import { errorPage } from './templates/error-page.js';
import { field } from './templates/field.js';
import { staffActions, staffForm, staffRecord } from './templates/staff-actions.js';
import { staffHome } from './templates/staff-home.js';
import { staffSignIn } from './templates/staff-sign-in.js';
import { asOfForm, asOfNotice } from './templates/as-of.js';
import { staffDrafts } from './templates/staff-drafts.js';
import { staffDraftReview } from './templates/staff-draft-review.js';
import { staffDraftImported } from './templates/staff-draft-imported.js';
import { brief, briefForm, briefRevisits } from './templates/brief.js';

export const templates = {
  layout,
  status,
  statusWords,
  commitment,
  session,
  commitments,
  sessions,
  upcomingSessions,
  dashboard,
  barChart,
  corrections,
  field,
  errorPage,
  staffSignIn,
  staffHome,
  staffActions,
  staffForm,
  staffRecord,
  asOfForm,
  asOfNotice,
  staffDrafts,
  staffDraftReview,
  staffDraftImported,
  brief,
  briefRevisits,
  briefForm,
} as const satisfies Readonly<Record<PageName | PartialName, string>>;
