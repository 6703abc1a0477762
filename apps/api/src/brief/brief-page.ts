import type { DrawnForm } from '../commitments/commitment-forms.js';
import type { StaffViewer } from '../staff/staff-sessions.js';
import type { Brief, BriefItem } from './brief.js';

/** Where the brief can be had: page, print view, wikitext, feed and calendar entry, each with the brief's own query. */
export interface BriefLinks {
  readonly page: string;
  readonly print: string;
  readonly wikitext: string;
  readonly atom: string;
  readonly ics: string;
}

export interface BriefPageData {
  readonly brief: Brief;
  readonly links: BriefLinks;
  /** The print view: the brief alone, without links and forms. */
  readonly print: boolean;
  readonly staff: {
    readonly viewer: StaffViewer;
    /** What the last staff form on this page saved. */
    readonly notice: string | null;
    /** The form that announces the session, for a day not passed that is neither announced nor recorded. */
    readonly schedule: DrawnForm | null;
    /** An announced session still to come: its reschedule and cancel forms, posted at the plan's revision. */
    readonly plan: { readonly revision: number; readonly forms: readonly DrawnForm[] } | null;
    /** The form that records the session, for an upcoming one; `canRecordYet` once its day has come. */
    readonly record: { readonly canRecordYet: boolean; readonly form: DrawnForm } | null;
    /** Where what the session said is recorded, the brief's commitments first (by the recorded id, or the one the form suggests). */
    readonly revisits: string;
  } | null;
}

export interface BriefRevisitsPageData {
  readonly brief: Brief;
  readonly viewer: StaffViewer;
  /** The brief's items, most pressing first, each with its revisit form where its status takes one. */
  readonly items: readonly (BriefItem & { readonly sectionTitle: string; readonly form: DrawnForm | null })[];
}
