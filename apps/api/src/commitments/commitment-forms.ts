import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import {
  CALENDAR_DATE_RULE,
  DROP_REASONS,
  dayStart,
  isCalendarDate,
  type CommitmentCommand,
  type RuleViolationError,
} from '#governance';
import type { AnyCommandEntry } from '../command-handling/command-table.js';
import { flatten } from '../http/validation.js';
import { COMMITMENT_COMMANDS } from './commitment-commands.js';

/** A control of a staff form, as the `@field` template draws it. */
export interface FormField {
  readonly name: string;
  readonly label: string;
  readonly type: 'text' | 'textarea' | 'select' | 'date';
  readonly required: boolean;
  readonly hint?: string;
  /** For a select; `sessions` is filled in with the recorded sessions when the page is drawn. */
  readonly options?: readonly { readonly value: string; readonly label: string }[] | 'sessions';
}

export type FormValues = Readonly<Record<string, string>>;

/** What a submitted form was refused for: reasons by field, and one for the whole form. */
export interface FormProblems {
  readonly fields: Readonly<Record<string, string>>;
  readonly form: string | null;
}

export interface CommitmentForm {
  /** The last segment of its address, `/staff/commitments/:id/<action>`. */
  readonly action: string;
  readonly title: string;
  /** Shown on the next page after it is saved. */
  readonly done: string;
  /**
   * The command it posts, validated by the entry's DTO and run through the command runner like
   * the JSON API's route; offered when the decider accepts it in the commitment's status.
   */
  readonly command: AnyCommandEntry<CommitmentCommand>;
  readonly fields: readonly FormField[];
  /** Turns the form's values into the JSON API's request body: one validation for both. */
  readonly body: (values: FormValues) => Record<string, unknown>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const optional = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
const lines = (value: string | undefined) =>
  (value ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

// A day chosen in a form is taken as its start, so "today" is never in the future.
const occurredAt = (values: FormValues) => {
  const day = optional(values.occurredOn);
  return day === undefined ? {} : { occurredAt: DAY.test(day) ? dayStart(day) : day };
};
const evidence = (values: FormValues) => {
  const links = lines(values.evidence);
  return links.length ? { evidence: links } : {};
};
const datePrecision = (values: FormValues) =>
  values.datePrecision === 'no_later_than' ? { datePrecision: 'no_later_than' } : {};
/** When, how exactly that is known, and links that show it: what every status change takes. */
const statusChange = (values: FormValues) => ({ ...evidence(values), ...occurredAt(values), ...datePrecision(values) });
const target = (values: FormValues) => {
  const earliestDate = optional(values.targetEarliestDate);
  return {
    asSaid: values.targetAsSaid?.trim() ?? '',
    ...(earliestDate === undefined ? {} : { earliestDate }),
    latestDate: optional(values.targetDate) ?? null,
  };
};

const occurredOnField: FormField = {
  name: 'occurredOn',
  label: 'It happened on',
  type: 'date',
  required: false,
  hint: 'Leave empty for today.',
};
const evidenceField: FormField = {
  name: 'evidence',
  label: 'Evidence links',
  type: 'textarea',
  required: false,
  hint: 'Links that show it (http or https), one per line.',
};
const DATE_PRECISION_OPTIONS = [
  { value: 'exact', label: 'on that day' },
  { value: 'no_later_than', label: 'no later than that day (the notes do not say when)' },
];
const datePrecisionField: FormField = {
  name: 'datePrecision',
  label: 'The day is',
  type: 'select',
  required: false,
  options: DATE_PRECISION_OPTIONS,
  hint: 'For “has been ratified” with no date: the day it was known by, never shown as the day it happened.',
};
/** The fields every status change ends with. */
const statusChangeFields = [evidenceField, occurredOnField, datePrecisionField];
const targetFields = (required: boolean): FormField[] => [
  {
    name: 'targetAsSaid',
    label: 'New target, in the words used',
    type: 'text',
    required,
    hint: 'For example “by the end of March 2023”.',
  },
  {
    name: 'targetEarliestDate',
    label: 'First day those words allow',
    type: 'date',
    required: false,
    hint: 'For a window: “January or February 2021” starts on 1 January 2021. Leave empty when the words name only an end (“by March”).',
  },
  {
    name: 'targetDate',
    label: 'Latest day those words allow',
    type: 'date',
    required: false,
    hint: 'Leave empty when no date can be read from them (“soon”).',
  },
];

const DROP_REASON_LABELS: Readonly<Record<(typeof DROP_REASONS)[number], string>> = {
  deprioritised: 'Deprioritised',
  no_longer_possible: 'No longer possible',
  replaced: 'Replaced by something else',
  out_of_scope: 'Out of scope',
  other: 'Another reason (explain below)',
};

const REPORT_KIND_OPTIONS = [
  { value: '', label: 'no status report' },
  { value: 'progress', label: 'progress' },
  { value: 'delivered', label: 'delivered' },
  { value: 'partially_delivered', label: 'partially delivered' },
  { value: 'dropped', label: 'dropped' },
];
/** A status report given with the revisit: the fields of the standalone forms, prefixed `report`. */
const revisitReportFields: FormField[] = [
  { name: 'reportKind', label: 'The session reported', type: 'select', required: false, options: REPORT_KIND_OPTIONS },
  {
    name: 'reportNote',
    label: 'What happened (progress or delivery)',
    type: 'textarea',
    required: false,
  },
  { ...evidenceField, name: 'reportEvidence' },
  {
    name: 'reportReason',
    label: 'Reason (drop)',
    type: 'select',
    required: false,
    options: [{ value: '', label: '—' }, ...DROP_REASONS.map((value) => ({ value, label: DROP_REASON_LABELS[value] }))],
  },
  { name: 'reportExplanation', label: 'Explanation for the public (drop)', type: 'textarea', required: false },
  {
    ...datePrecisionField,
    name: 'reportDatePrecision',
    label: 'It happened',
    options: [
      { value: 'exact', label: 'at the session' },
      { value: 'no_later_than', label: 'no later than the session (the notes do not say when)' },
    ],
    hint: undefined,
  },
];
const revisitReport = (values: FormValues) => {
  const kind = optional(values.reportKind);
  if (kind === undefined) return {};
  const links = lines(values.reportEvidence);
  const facts = {
    ...(links.length ? { evidence: links } : {}),
    ...(values.reportDatePrecision === 'no_later_than' ? { datePrecision: 'no_later_than' } : {}),
  };
  return kind === 'dropped'
    ? { report: { kind, reason: values.reportReason ?? '', explanation: values.reportExplanation ?? '', ...facts } }
    : { report: { kind, note: values.reportNote ?? '', ...facts } };
};

export const COMMITMENT_FORMS: readonly CommitmentForm[] = [
  {
    action: 'progress',
    title: 'Report progress',
    done: 'Progress reported.',
    command: COMMITMENT_COMMANDS.commands.reportProgress,
    fields: [{ name: 'note', label: 'What happened', type: 'textarea', required: true }, ...statusChangeFields],
    body: (values) => ({ note: values.note ?? '', ...statusChange(values) }),
  },
  {
    action: 'start',
    title: 'Mark work as started',
    done: 'Marked as started.',
    command: COMMITMENT_COMMANDS.commands.startWork,
    fields: [{ name: 'note', label: 'Note', type: 'textarea', required: false }, ...statusChangeFields],
    body: (values) => ({ ...(optional(values.note) ? { note: values.note } : {}), ...statusChange(values) }),
  },
  {
    action: 'retarget',
    title: 'Give it a new target',
    done: 'New target recorded.',
    command: COMMITMENT_COMMANDS.commands.retarget,
    fields: [
      ...targetFields(true),
      { name: 'reason', label: 'Why it changed', type: 'textarea', required: true },
      ...statusChangeFields,
    ],
    body: (values) => ({ newTarget: target(values), reason: values.reason ?? '', ...statusChange(values) }),
  },
  {
    action: 'delivery',
    title: 'Record delivery',
    done: 'Delivery recorded.',
    command: COMMITMENT_COMMANDS.commands.deliver,
    fields: [
      {
        name: 'completeness',
        label: 'Delivered',
        type: 'select',
        required: true,
        options: [
          { value: 'full', label: 'in full' },
          { value: 'partial', label: 'in part' },
        ],
      },
      { name: 'note', label: 'What was delivered', type: 'textarea', required: true },
      ...statusChangeFields,
    ],
    body: (values) => ({ completeness: values.completeness ?? '', note: values.note ?? '', ...statusChange(values) }),
  },
  {
    action: 'drop',
    title: 'Drop it',
    done: 'Recorded as dropped.',
    command: COMMITMENT_COMMANDS.commands.drop,
    fields: [
      {
        name: 'reason',
        label: 'Reason',
        type: 'select',
        required: true,
        options: DROP_REASONS.map((value) => ({ value, label: DROP_REASON_LABELS[value] })),
      },
      { name: 'explanation', label: 'Explanation for the public', type: 'textarea', required: true },
      ...statusChangeFields,
    ],
    body: (values) => ({ reason: values.reason ?? '', explanation: values.explanation ?? '', ...statusChange(values) }),
  },
  {
    action: 'reopen',
    title: 'Reopen it',
    done: 'Reopened.',
    command: COMMITMENT_COMMANDS.commands.reopen,
    fields: [{ name: 'reason', label: 'Why it is open again', type: 'textarea', required: true }, ...statusChangeFields],
    body: (values) => ({ reason: values.reason ?? '', ...statusChange(values) }),
  },
  {
    action: 'revisit',
    title: 'Record what a later session said',
    done: 'Revisit recorded.',
    command: COMMITMENT_COMMANDS.commands.revisit,
    fields: [
      { name: 'sessionId', label: 'Session', type: 'select', required: true, options: 'sessions' },
      { name: 'statement', label: 'What was said about it', type: 'textarea', required: true },
      { name: 'quote', label: 'Exact words', type: 'textarea', required: false },
      ...targetFields(false),
      ...revisitReportFields,
    ],
    body: (values) => ({
      sessionId: values.sessionId ?? '',
      statement: values.statement ?? '',
      ...(optional(values.quote) ? { quote: values.quote } : {}),
      ...(optional(values.targetAsSaid) || optional(values.targetDate) || optional(values.targetEarliestDate)
        ? { newTarget: target(values) }
        : {}),
      ...revisitReport(values),
    }),
  },
];

export const commitmentForm = (action: string) => COMMITMENT_FORMS.find((form) => form.action === action) ?? null;

/** The form's text values, and nothing else it did not ask for. */
export function formValues(form: CommitmentForm, body: unknown): FormValues {
  const submitted = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  return Object.fromEntries(
    form.fields.flatMap((field) => {
      const value = submitted[field.name];
      return typeof value === 'string' ? [[field.name, value]] : [];
    }),
  );
}

// A field of the request body, named as the form names it.
function formFieldOf(path: string): string {
  if (path.startsWith('report.')) {
    const field = path.slice('report.'.length).split(/[.[]/)[0]!;
    return `report${field.charAt(0).toUpperCase()}${field.slice(1)}`;
  }
  if (path === 'report') return 'reportKind';
  if (path.startsWith('newTarget.latestDate')) return 'targetDate';
  if (path.startsWith('newTarget.earliestDate')) return 'targetEarliestDate';
  if (path.startsWith('newTarget')) return 'targetAsSaid';
  if (path.startsWith('evidence')) return 'evidence';
  if (path === 'occurredAt') return 'occurredOn';
  return path.split(/[.[]/)[0]!;
}

/** Validates the form with the JSON API's own DTO; the problems are named by form field. */
export async function readForm(form: CommitmentForm, values: FormValues): Promise<{ dto: object } | { problems: FormProblems }> {
  const fields: Record<string, string> = {};
  const day = optional(values.occurredOn);
  if (day !== undefined && !isCalendarDate(day)) fields.occurredOn = CALENDAR_DATE_RULE;
  const dto = plainToInstance(form.command.input, form.body(values));
  const errors = flatten(await validate(dto, { whitelist: true, forbidNonWhitelisted: true }));
  for (const { field, reason } of errors) {
    const name = formFieldOf(field);
    // The API says "each must be…" of a list; the form has one link per line.
    fields[name] ??= name === 'evidence' ? reason.replace(/^each (?!link)/, 'each link ') : reason;
  }
  return Object.keys(fields).length ? { problems: { fields, form: null } } : { dto };
}

/** A refusal by the domain, next to the field the rule names (when the form has that field), else for the whole form. */
export function ruleProblem(form: CommitmentForm, error: RuleViolationError): FormProblems {
  const about = error.field === undefined ? null : formFieldOf(error.field);
  return about !== null && form.fields.some((field) => field.name === about)
    ? { fields: { [about]: error.message }, form: null }
    : { fields: {}, form: error.message };
}
