import { stringify } from 'csv-stringify/sync';
import type { CommitmentSummaryDto } from '../commitments/commitment-read.dto.js';
import type { SessionRecordDto } from '../sessions/session-read.dto.js';
import { figureInWords, statusInWords, targetInWords } from '../pages/words.js';

/** CSV columns, in order. The editable ones round-trip: edit them, import the file, get events. */
export const CSV_COLUMNS = [
  'id',
  'status',
  'overdue',
  'slipped',
  'summary',
  'quote',
  'speaker',
  'speaker_role',
  'owner_team',
  'topics',
  'strength',
  'target_as_said',
  'target_earliest_date',
  'target_latest_date',
  'first_target_latest_date',
  'note',
  'made_in_session',
  'made_in_date',
  'revisited_in',
  'update_count',
  'slip_count',
  'superseded_by',
  'closed_at',
  'last_changed_at',
  'revision',
] as const;

export const EDITABLE_COLUMNS = [
  'summary',
  'quote',
  'speaker',
  'speaker_role',
  'owner_team',
  'topics',
  'strength',
  'target_as_said',
  'target_earliest_date',
  'target_latest_date',
  'note',
] as const;
export type EditableColumn = (typeof EDITABLE_COLUMNS)[number];

/** Topics and sessions are lists inside one cell, separated by this. */
export const LIST_SEPARATOR = '; ';

/** A commitment's details as the recorded state and the read model both carry them. */
interface ExportedDetails {
  readonly summary: string;
  readonly quote: string;
  readonly speaker: { readonly name: string; readonly role?: string | null };
  readonly ownerTeam: string;
  readonly topics: readonly string[];
  readonly strength: string;
  readonly target: {
    readonly asSaid: string;
    readonly earliestDate?: string | null;
    readonly latestDate?: string | null;
  } | null;
  readonly note?: string | null;
}

/**
 * The editable cells of a commitment's details, as the export writes them (before escaping).
 * The import compares each cell with these, so an untouched cell never reads as an edit.
 */
export function editableCells(details: ExportedDetails): Record<EditableColumn, string> {
  return {
    summary: details.summary,
    quote: details.quote,
    speaker: details.speaker.name,
    speaker_role: details.speaker.role ?? '',
    owner_team: details.ownerTeam,
    topics: details.topics.join(LIST_SEPARATOR),
    strength: details.strength,
    target_as_said: details.target?.asSaid ?? '',
    target_earliest_date: details.target?.earliestDate ?? '',
    target_latest_date: details.target?.latestDate ?? '',
    note: details.note ?? '',
  };
}

export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** The columns the tracker derives from the history; an edit to one is refused, never ignored. */
export const DERIVED_COLUMNS = CSV_COLUMNS.filter(
  (column): column is Exclude<CsvColumn, EditableColumn | 'id' | 'revision'> =>
    column !== 'id' && column !== 'revision' && !(EDITABLE_COLUMNS as readonly string[]).includes(column),
);

/** A commitment's row as the export writes it, before escaping. */
export function csvCells(c: CommitmentSummaryDto): Record<CsvColumn, string | number | boolean> {
  return {
    ...editableCells(c),
    id: c.id,
    status: c.status,
    overdue: c.overdue,
    slipped: c.slipped,
    first_target_latest_date: c.firstTargetLatestDate ?? '',
    made_in_session: c.madeIn.id,
    made_in_date: c.madeIn.date,
    revisited_in: c.revisitedIn.join(LIST_SEPARATOR),
    update_count: c.updateCount,
    slip_count: c.slipCount,
    superseded_by: c.supersededBy ?? '',
    closed_at: c.closedAt ?? '',
    last_changed_at: c.lastChangedAt,
    revision: c.revision,
  };
}

export function commitmentsToCsv(commitments: readonly CommitmentSummaryDto[]): string {
  const rows = commitments.map((c) => {
    const cells = csvCells(c);
    return CSV_COLUMNS.map((column) => cells[column]);
  });
  return stringify(
    [[...CSV_COLUMNS], ...rows.map((row) => row.map((cell) => (typeof cell === 'string' ? escapeCell(cell) : cell)))],
    {
      cast: { boolean: (value) => String(value) },
    },
  );
}

// What spreadsheets may run as a formula: = + - @ (also their full-width forms), tab, return.
// Text that already starts with quotes before one of them is escaped too, so that the escaping
// can be undone exactly: `=x` is sent as `'=x`, and `'=x` as `''=x`.
const FORMULA_LIKE = /^'*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A cell as the CSV carries it: formula-like text is prefixed with `'` so spreadsheets show it as text. */
export function escapeCell(text: string): string {
  return FORMULA_LIKE.test(text) ? `'${text}` : text;
}

/** Undoes `escapeCell` exactly, and nothing else: `unescapeCell(escapeCell(x)) === x` for every x. */
export function unescapeCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_LIKE.test(cell) ? cell.slice(1) : cell;
}

/** User text inside a wiki table: no markup, no table syntax, no way out of <nowiki>. */
export function wikiText(text: string): string {
  return `<nowiki>${text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replace(/\s+/g, ' ').trim()}</nowiki>`;
}

/** Where a wikitext export points back to, and the moment its statuses are true of. */
export interface WikitextContext {
  readonly asOf: Date;
  /** The public address of a path of the tracker's (`/commitments/…`). */
  readonly link: (path: string) => string;
}

/** An external wiki link to the tracker; the address is ours (a fixed base and an id), the label is user text. */
const wikiLink = (url: string, label: string) => `[${url.replace(/[\s[\]<>"]/g, encodeURIComponent)} ${wikiText(label)}]`;

/**
 * A sortable wikitext table of a session's record, ready to paste on a wiki page: each commitment
 * links back to its page on the tracker, and the statuses say when they were true.
 */
export function sessionRecordToWikitext(record: SessionRecordDto, context: WikitextContext): string {
  const row = (entry: SessionRecordDto['made'][number]) => {
    const c = entry.commitment;
    const target = c.target ? targetInWords(c.target) : '—';
    const speaker = c.speaker.role ? `${c.speaker.name}, ${c.speaker.role}` : c.speaker.name;
    return [
      '|-',
      `| ${wikiLink(context.link(`/commitments/${c.id}`), c.summary)} || ${wikiText(speaker)} || ${wikiText(c.ownerTeam)} || ${wikiText(target)} || ${statusInWords(c)}`,
    ];
  };
  const asOf = context.asOf.toISOString();
  const when = `${asOf.slice(0, 10)} ${asOf.slice(11, 16)} UTC`;
  const table = (caption: string, entries: SessionRecordDto['made']) => [
    '{| class="wikitable sortable"',
    `|+ ${wikiText(caption)}`,
    '! Commitment !! Speaker !! Owner !! Target !! Status',
    ...entries.flatMap(row),
    '|}',
  ];
  const sc = record.scorecard;
  const of = (count: number, what: string) => `* ${count} of ${sc.promised} ${what}`;
  const scorecard = sc.promised
    ? [
        `* ${figureInWords(sc.delivered + sc.partiallyDelivered, sc.promised, 'delivered')}`,
        of(sc.deliveredOnTime, 'delivered on time'),
        of(sc.inProgress, 'in progress'),
        of(sc.stillAnnounced, 'still only announced'),
        of(sc.stale, 'stale (open, no news for too long)'),
        of(sc.overdue, 'overdue'),
        of(sc.dropped, 'dropped'),
        of(sc.superseded, 'superseded'),
      ]
    : ['Nothing was promised in this session.'];
  return [
    `== ${wikiText(`${record.title} (${record.date})`)} ==`,
    `Status as of ${when}, from the ${wikiLink(context.link(`/sessions/${record.id}`), 'commitment tracker')}; each commitment links to its history there.`,
    '',
    ...table('Commitments made in this session', record.made),
    ...(record.revisited.length ? ['', ...table('Earlier commitments revisited in this session', record.revisited)] : []),
    '',
    '=== Scorecard ===',
    ...scorecard,
    '',
  ].join('\n');
}
