import type { CommitmentForm, FormProblems, FormValues } from '../commitments/commitment-forms.js';
import { SESSION_COMMANDS } from '../sessions/session-commands.js';

const given = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());

/**
 * The staff forms of an announced session, on its staff brief: the JSON API's reschedule and
 * cancel commands behind forms (the same DTOs, the same command table entries), posted with the
 * revision the page showed.
 */
export const ANNOUNCED_SESSION_FORMS: readonly CommitmentForm[] = [
  {
    action: 'reschedule',
    title: 'Reschedule this session',
    done: 'Session rescheduled: its brief, feed and calendar entries follow.',
    command: SESSION_COMMANDS.commands.reschedule,
    fields: [
      { name: 'date', label: 'New day', type: 'date', required: false, hint: 'Leave empty to keep the day.' },
      { name: 'title', label: 'New title', type: 'text', required: false, hint: 'Leave empty to keep the title.' },
      { name: 'reason', label: 'Why the plan changes', type: 'text', required: true },
    ],
    body: (values) => {
      const date = given(values.date);
      const title = given(values.title);
      return { changes: { ...(date ? { date } : {}), ...(title ? { title } : {}) }, reason: values.reason?.trim() ?? '' };
    },
    fieldOf: (path) => (path.startsWith('changes.') ? path.slice('changes.'.length) : undefined),
  },
  {
    action: 'cancel',
    title: 'Cancel this session',
    done: 'Session cancelled: its feed and calendar entries say so.',
    command: SESSION_COMMANDS.commands.cancel,
    fields: [{ name: 'reason', label: 'Why it is cancelled', type: 'text', required: true }],
    body: (values) => ({ reason: values.reason?.trim() ?? '' }),
  },
];

export const announcedSessionForm = (action: string) => ANNOUNCED_SESSION_FORMS.find((form) => form.action === action) ?? null;

/** A rescheduling that names nothing to change is refused by the form, next to its fields, before the API would. */
export function nothingToChange(form: CommitmentForm, values: FormValues): FormProblems | null {
  if (form.action !== 'reschedule' || given(values.date) || given(values.title)) return null;
  return { fields: { date: 'give a new day or a new title' }, form: null };
}
