import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import {
  CALENDAR_DATE_RULE,
  DROP_REASONS,
  LINK_RELATIONS,
  LINK_WORDS,
  STRENGTHS,
  dayStart,
  isCalendarDate,
  SESSION_KINDS,
  type DomainCommand,
} from '#governance';
import type { Aggregate } from '../command-handling/command-table.js';
import { SESSION_COMMANDS } from '../sessions/session-commands.js';
import type { CommitmentDetailDto } from './commitment-read.dto.js';
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
  readonly command: AnyCommandEntry<DomainCommand>;
  readonly fields: readonly FormField[];
  /** Turns the form's values into the JSON API's request body: one validation for both. */
  readonly body: (values: FormValues) => Record<string, unknown>;
  /** The form field a request body field is shown next to, where the generic naming does not find it. */
  readonly fieldOf?: (path: string) => string | undefined;
  /** Values the form starts with (a correction starts from the record as it stands). */
  readonly defaults?: (commitment: CommitmentDetailDto) => FormValues;
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
const boundedPrecision = (value: string | undefined) =>
  value === 'no_later_than' || value === 'no_earlier_than' ? { datePrecision: value } : {};
const datePrecision = (values: FormValues) => boundedPrecision(values.datePrecision);
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
  { value: 'no_earlier_than', label: 'that day or after (the notes do not say when)' },
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

/** One id per line (or separated by commas or spaces). */
const ids = (value: string | undefined) => (value ?? '').split(/[\s,]+/).filter((id) => id !== '');
const noteField: FormField = { name: 'note', label: 'Note for the public', type: 'textarea', required: true };

/** The fields of one part of a split: `part1Summary`, `part1Quote`, … */
const SPLIT_SLOTS = 3;
const partFields = (slot: number): FormField[] => [
  { name: `part${slot}Summary`, label: `Part ${slot}: what it promises`, type: 'text', required: slot <= 2 },
  {
    name: `part${slot}Quote`,
    label: `Part ${slot}: the words of the quote it is about`,
    type: 'textarea',
    required: false,
    hint: 'Copied from the original quote; leave empty to keep the whole quote.',
  },
  {
    name: `part${slot}OwnerTeam`,
    label: `Part ${slot}: owner`,
    type: 'text',
    required: false,
    hint: 'Leave empty to keep the owner.',
  },
  {
    name: `part${slot}TargetAsSaid`,
    label: `Part ${slot}: target, in the words used`,
    type: 'text',
    required: false,
    hint: 'Leave empty to keep the target.',
  },
  { name: `part${slot}TargetDate`, label: `Part ${slot}: latest day those words allow`, type: 'date', required: false },
];
const slotsOf = (values: FormValues) => {
  const filled = Array.from({ length: SPLIT_SLOTS }, (_, index) => index + 1).filter((slot) =>
    ['Summary', 'Quote', 'OwnerTeam', 'TargetAsSaid', 'TargetDate'].some((part) => optional(values[`part${slot}${part}`])),
  );
  // Up to the last filled slot (at least two), so a problem of part N is shown next to slot N.
  return Array.from({ length: Math.max(2, ...filled) }, (_, index) => index + 1);
};
const partOf = (values: FormValues, slot: number) => {
  const value = (name: string) => optional(values[`part${slot}${name}`]);
  const targetAsSaid = value('TargetAsSaid');
  const targetDate = value('TargetDate');
  return {
    summary: values[`part${slot}Summary`]?.trim() ?? '',
    ...(value('Quote') ? { quote: value('Quote') } : {}),
    ...(value('OwnerTeam') ? { ownerTeam: value('OwnerTeam') } : {}),
    ...(targetAsSaid || targetDate ? { target: { asSaid: targetAsSaid ?? '', latestDate: targetDate ?? null } } : {}),
  };
};
const splitFieldOf = (path: string) => {
  const match = /^parts\[(\d+)\](?:\.(\w+))?(?:\.(\w+))?/.exec(path);
  if (!match) return path === 'parts' ? 'part2Summary' : undefined;
  const slot = Number(match[1]) + 1;
  const field = match[2] === 'target' ? (match[3] === 'latestDate' ? 'TargetDate' : 'TargetAsSaid') : match[2];
  const names: Record<string, string> = {
    quote: 'Quote',
    ownerTeam: 'OwnerTeam',
    TargetDate: 'TargetDate',
    TargetAsSaid: 'TargetAsSaid',
  };
  return `part${slot}${(field && names[field]) ?? 'Summary'}`;
};

const STRENGTH_LABELS: Readonly<Record<(typeof STRENGTHS)[number], string>> = {
  firm: 'A firm promise',
  plan: 'A plan',
  hope: 'A hope',
  follow_up: 'A promise to follow up',
  vague: 'Vague',
};

// The relations an editor links by hand; `related` stays readable for older links.
const TYPED_LINK_RELATIONS = LINK_RELATIONS.filter((relation) => relation !== 'related');

/** A commitment's details as a form shows them: for making one and for correcting one. */
const DETAIL_FIELDS: readonly FormField[] = [
  { name: 'summary', label: 'Summary', type: 'text', required: true },
  { name: 'quote', label: 'Quote', type: 'textarea', required: true },
  { name: 'speakerName', label: 'Said by', type: 'text', required: true },
  { name: 'speakerRole', label: 'Their role', type: 'text', required: false },
  { name: 'ownerTeam', label: 'Owner', type: 'text', required: true },
  { name: 'topics', label: 'Topics', type: 'text', required: true, hint: 'Separated by commas.' },
  {
    name: 'strength',
    label: 'How firm it was',
    type: 'select',
    required: true,
    options: STRENGTHS.map((value) => ({ value, label: STRENGTH_LABELS[value] })),
  },
  {
    name: 'targetAsSaid',
    label: 'Target, in the words used',
    type: 'text',
    required: false,
    hint: 'Empty when no time was named.',
  },
  { name: 'targetDate', label: 'Latest day those words allow', type: 'date', required: false },
  { name: 'editorNote', label: 'Editor’s note', type: 'textarea', required: false },
];
const detailsOf = (values: FormValues) => ({
  summary: values.summary?.trim() ?? '',
  quote: values.quote?.trim() ?? '',
  speaker: { name: values.speakerName?.trim() ?? '', role: optional(values.speakerRole) ?? null },
  ownerTeam: values.ownerTeam?.trim() ?? '',
  topics: (values.topics ?? '')
    .split(',')
    .map((topic) => topic.trim())
    .filter((topic) => topic !== ''),
  strength: values.strength ?? '',
  target: optional(values.targetAsSaid) || optional(values.targetDate) ? target(values) : null,
  note: optional(values.editorNote) ?? null,
});
const detailFieldOf = (field: string): string | undefined => {
  if (field.startsWith('speaker.role')) return 'speakerRole';
  if (field.startsWith('speaker')) return 'speakerName';
  if (field.startsWith('target.latestDate')) return 'targetDate';
  if (field.startsWith('target')) return 'targetAsSaid';
  if (field.startsWith('note')) return 'editorNote';
  return undefined;
};

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
      { value: 'no_earlier_than', label: 'after the session (answered later; the notes do not say when)' },
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
    ...boundedPrecision(values.reportDatePrecision),
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
  {
    action: 'links',
    title: 'Link it to another commitment',
    done: 'Link recorded; it shows on both commitments.',
    command: COMMITMENT_COMMANDS.commands.link,
    fields: [
      {
        name: 'relation',
        label: 'This commitment',
        type: 'select',
        required: true,
        options: [
          { value: '', label: 'Choose how they relate' },
          ...TYPED_LINK_RELATIONS.map((value) => ({ value, label: LINK_WORDS[value] })),
        ],
      },
      {
        name: 'linkedTo',
        label: 'The other commitment’s id',
        type: 'text',
        required: true,
        hint: 'As in its address: /commitments/<id>.',
      },
      { name: 'note', label: 'Note', type: 'textarea', required: false },
    ],
    body: (values) => ({
      linkedTo: values.linkedTo?.trim() ?? '',
      relation: values.relation ?? '',
      ...(optional(values.note) ? { note: values.note } : {}),
    }),
  },
  {
    action: 'supersede',
    title: 'Mark it superseded',
    done: 'Recorded as superseded; it shows on every commitment that supersedes it.',
    command: COMMITMENT_COMMANDS.commands.supersede,
    fields: [
      {
        name: 'supersededBy',
        label: 'Superseded by (ids)',
        type: 'textarea',
        required: true,
        hint: 'One commitment id per line; several when it was replaced by several.',
      },
      noteField,
      occurredOnField,
    ],
    body: (values) => {
      const [first, ...also] = ids(values.supersededBy);
      return {
        supersededBy: first ?? '',
        ...(also.length > 0 ? { alsoSupersededBy: also } : {}),
        note: values.note ?? '',
        ...occurredAt(values),
      };
    },
    fieldOf: (path) => (path.startsWith('alsoSupersededBy') ? 'supersededBy' : undefined),
  },
  {
    action: 'merge',
    title: 'Merge it into another commitment',
    done: 'Merged; it shows on the commitment it was merged into.',
    command: COMMITMENT_COMMANDS.commands.merge,
    fields: [
      {
        name: 'into',
        label: 'Merged into (id)',
        type: 'text',
        required: true,
        hint: 'The open commitment that carries the promise on.',
      },
      {
        name: 'alsoMerging',
        label: 'Also merge these into it (ids)',
        type: 'textarea',
        required: false,
        hint: 'Other commitments that were the same promise, one id per line.',
      },
      noteField,
      occurredOnField,
    ],
    body: (values) => {
      const also = ids(values.alsoMerging);
      return {
        into: values.into?.trim() ?? '',
        ...(also.length > 0 ? { alsoMerging: also } : {}),
        note: values.note ?? '',
        ...occurredAt(values),
      };
    },
  },
  {
    action: 'split',
    title: 'Split it into several commitments',
    done: 'Split; each part is a new commitment of the same session.',
    command: COMMITMENT_COMMANDS.commands.split,
    fields: [...Array.from({ length: SPLIT_SLOTS }, (_, index) => partFields(index + 1)).flat(), noteField, occurredOnField],
    body: (values) => ({
      parts: slotsOf(values).map((slot) => partOf(values, slot)),
      note: values.note ?? '',
      ...occurredAt(values),
    }),
    fieldOf: splitFieldOf,
  },
  {
    action: 'corrections',
    title: 'Correct the record',
    done: 'Correction recorded.',
    command: COMMITMENT_COMMANDS.commands.correct,
    fields: [...DETAIL_FIELDS, { name: 'reason', label: 'Why it is corrected', type: 'textarea', required: true }],
    body: (values) => ({ changes: detailsOf(values), reason: values.reason ?? '' }),
    fieldOf: (path) => (path.startsWith('changes.') ? detailFieldOf(path.slice('changes.'.length)) : undefined),
    defaults: (c) => ({
      summary: c.summary,
      quote: c.quote,
      speakerName: c.speaker.name,
      speakerRole: c.speaker.role ?? '',
      ownerTeam: c.ownerTeam,
      topics: c.topics.join(', '),
      strength: c.strength,
      targetAsSaid: c.target?.asSaid ?? '',
      targetDate: c.target?.latestDate ?? '',
      editorNote: c.note ?? '',
    }),
  },
];

/** Link, split, merge, supersede, correct: the forms that reshape the record, for editors (supersede for staff). */
export const commitmentForm = (action: string) => COMMITMENT_FORMS.find((form) => form.action === action) ?? null;

/** A form that makes a new session or commitment, on the staff "record" page; the new one's page follows. */
export interface CreationForm extends CommitmentForm {
  readonly aggregate: Aggregate;
  /** The staff page shown once it is saved, when not the new resource's own page. */
  readonly next?: (id: string) => string;
}

const SESSION_KIND_LABELS: Readonly<Record<(typeof SESSION_KINDS)[number], string>> = {
  office_hour: 'Office hour',
  conversation_hour: 'Conversation hour',
  board_qa: 'Board Q&A',
  other: 'Another kind of meeting',
};
const idField = (example: string): FormField => ({
  name: 'id',
  label: 'Its id',
  type: 'text',
  required: false,
  hint: `Lower-case letters, digits and dashes, as in “${example}”; leave empty for one to be made.`,
});
const chosenId = (values: FormValues) => (optional(values.id) ? { id: optional(values.id) } : {});

/** One host a line: the name, then a comma and the role if given. */
const hostLines = (value: string | undefined) =>
  lines(value).map((line) => {
    const [name, ...role] = line.split(',');
    return { name: name!.trim(), role: role.join(',').trim() || null };
  });

export const CREATION_FORMS: readonly CreationForm[] = [
  {
    action: 'upcoming-session',
    title: 'Announce an upcoming session',
    done: 'Session announced: its brief, feed entry and calendar entry are published.',
    aggregate: SESSION_COMMANDS.aggregate,
    command: SESSION_COMMANDS.commands.schedule,
    next: (id) => `/staff/brief?${new URLSearchParams({ session: id })}`,
    fields: [
      { name: 'title', label: 'Title', type: 'text', required: true },
      { name: 'date', label: 'Day it will be held', type: 'date', required: true },
      {
        name: 'hosts',
        label: 'Hosts',
        type: 'textarea',
        required: true,
        hint: 'One per line: the name, then a comma and the role if given.',
      },
      {
        name: 'teams',
        label: 'Teams to brief',
        type: 'textarea',
        required: false,
        hint: 'One per line, besides the hosts’ own teams; may be left empty.',
      },
      idField('office-hours-2026-12-10'),
    ],
    body: (values) => ({
      ...chosenId(values),
      title: values.title?.trim() ?? '',
      date: values.date?.trim() ?? '',
      hosts: hostLines(values.hosts),
      teams: lines(values.teams),
    }),
  },
  {
    action: 'session',
    title: 'Record a session',
    done: 'Session recorded.',
    aggregate: SESSION_COMMANDS.aggregate,
    command: SESSION_COMMANDS.commands.record,
    fields: [
      { name: 'title', label: 'Title', type: 'text', required: true },
      { name: 'date', label: 'Day it was held', type: 'date', required: true },
      {
        name: 'kind',
        label: 'Kind',
        type: 'select',
        required: true,
        options: [
          { value: '', label: 'Choose a kind' },
          ...SESSION_KINDS.map((value) => ({ value, label: SESSION_KIND_LABELS[value] })),
        ],
      },
      {
        name: 'hosts',
        label: 'Hosts',
        type: 'textarea',
        required: true,
        hint: 'One per line: the name, then a comma and the role if given.',
      },
      { name: 'sourceUrl', label: 'Link to the published notes', type: 'text', required: true },
      idField('office-hours-2020-12-10'),
    ],
    body: (values) => ({
      ...chosenId(values),
      title: values.title?.trim() ?? '',
      date: values.date?.trim() ?? '',
      kind: values.kind ?? '',
      hosts: hostLines(values.hosts),
      sourceUrl: values.sourceUrl?.trim() ?? '',
    }),
  },
  {
    action: 'commitment',
    title: 'Record a commitment made in a session',
    done: 'Commitment recorded.',
    aggregate: COMMITMENT_COMMANDS.aggregate,
    command: COMMITMENT_COMMANDS.commands.make,
    fields: [
      { name: 'sessionId', label: 'Session', type: 'select', required: true, options: 'sessions' },
      ...DETAIL_FIELDS,
      idField('ucoc-phase-2-start'),
    ],
    body: (values) => {
      const { target: said, note, ...details } = detailsOf(values);
      return {
        ...chosenId(values),
        sessionId: values.sessionId ?? '',
        ...details,
        ...(said ? { target: said } : {}),
        ...(note ? { note } : {}),
      };
    },
    fieldOf: detailFieldOf,
  },
];

export const creationForm = (action: string) => CREATION_FORMS.find((form) => form.action === action) ?? null;

/** A form as the `@staffForm` template draws it. */
export type DrawnForm = ReturnType<typeof drawnForm>;

/** A form as the `@staffForm` template draws it: its values (refused ones, else its defaults) and its problems by field. */
export function drawnForm(
  form: CommitmentForm,
  refused: { readonly values: FormValues; readonly problems: FormProblems } | undefined,
  defaults: FormValues,
  sessionOptions: readonly { readonly value: string; readonly label: string }[],
) {
  return {
    action: form.action,
    title: form.title,
    open: refused !== undefined,
    error: refused?.problems.form ?? null,
    hasFieldErrors: refused !== undefined && Object.keys(refused.problems.fields).length > 0,
    fields: form.fields.map((field) => ({
      ...field,
      id: `${form.action}-${field.name}`,
      options: field.options === 'sessions' ? sessionOptions : field.options,
      value: refused?.values[field.name] ?? defaults[field.name] ?? '',
      error: refused?.problems.fields[field.name] ?? null,
    })),
  };
}

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
function formFieldOf(form: CommitmentForm, path: string): string {
  const own = form.fieldOf?.(path);
  if (own !== undefined) return own;
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
    const name = formFieldOf(form, field);
    // The API says "each must be…" of a list; the form has one link per line.
    fields[name] ??= name === 'evidence' ? reason.replace(/^each (?!link)/, 'each link ') : reason;
  }
  return Object.keys(fields).length ? { problems: { fields, form: null } } : { dto };
}

/** A refusal by the domain, next to the field it names (when the form has that field), else for the whole form. */
export function ruleProblem(
  form: CommitmentForm,
  error: { readonly message: string; readonly field?: string | undefined },
): FormProblems {
  const about = error.field === undefined ? null : formFieldOf(form, error.field);
  return about !== null && form.fields.some((field) => field.name === about)
    ? { fields: { [about]: error.message }, form: null }
    : { fields: {}, form: error.message };
}
