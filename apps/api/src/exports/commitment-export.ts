import { stringify } from 'csv-stringify/sync';
import type { CommitmentSummaryDto } from '../commitments/commitment-read.dto.js';
import type { SessionRecordDto } from '../sessions/session-read.dto.js';

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
  'target_latest_date',
  'note',
] as const;

/** Topics and sessions are lists inside one cell, separated by this. */
export const LIST_SEPARATOR = '; ';

export function commitmentsToCsv(commitments: readonly CommitmentSummaryDto[]): string {
  const rows = commitments.map((c) => [
    c.id,
    c.status,
    c.overdue,
    c.slipped,
    c.summary,
    c.quote,
    c.speaker.name,
    c.speaker.role ?? '',
    c.ownerTeam,
    c.topics.join(LIST_SEPARATOR),
    c.strength,
    c.target?.asSaid ?? '',
    c.target?.latestDate ?? '',
    c.firstTargetLatestDate ?? '',
    c.note ?? '',
    c.madeIn.id,
    c.madeIn.date,
    c.revisitedIn.join(LIST_SEPARATOR),
    c.updateCount,
    c.slipCount,
    c.supersededBy ?? '',
    c.closedAt ?? '',
    c.lastChangedAt,
    c.revision,
  ]);
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

const WIKI_STATUS: Readonly<Record<string, string>> = {
  delivered: 'Delivered',
  delivered_late: 'Delivered late',
  partially_delivered: 'Partially delivered',
  open: 'Open',
  overdue: 'Overdue',
  dropped: 'Dropped',
  superseded: 'Superseded',
};

/** User text inside a wiki table: no markup, no table syntax, no way out of <nowiki>. */
function wikiText(text: string): string {
  return `<nowiki>${text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replace(/\s+/g, ' ').trim()}</nowiki>`;
}

/** A sortable wikitext table of a session's record, ready to paste on a wiki page. */
export function sessionRecordToWikitext(record: SessionRecordDto): string {
  const row = (entry: SessionRecordDto['made'][number]) => {
    const c = entry.commitment;
    const target = c.target ? `${c.target.asSaid}${c.target.latestDate ? ` (by ${c.target.latestDate})` : ''}` : '—';
    const speaker = c.speaker.role ? `${c.speaker.name}, ${c.speaker.role}` : c.speaker.name;
    return [
      '|-',
      `| ${wikiText(c.summary)} || ${wikiText(speaker)} || ${wikiText(c.ownerTeam)} || ${wikiText(target)} || ${WIKI_STATUS[entry.outcome]}`,
    ];
  };
  const table = (caption: string, entries: SessionRecordDto['made']) => [
    '{| class="wikitable sortable"',
    `|+ ${wikiText(caption)}`,
    '! Commitment !! Speaker !! Owner !! Target !! Status',
    ...entries.flatMap(row),
    '|}',
  ];
  return [
    `== ${wikiText(`${record.title} (${record.date})`)} ==`,
    ...table('Commitments made in this session', record.made),
    ...(record.revisited.length ? ['', ...table('Earlier commitments revisited in this session', record.revisited)] : []),
    '',
  ].join('\n');
}
