import { parse } from 'csv-parse/sync';
import type { RecordedEvent } from '#event-store';
import {
  commitmentDecider,
  commitmentStreamId,
  CALENDAR_DATE_RULE,
  CLEAN_TEXT_RULE,
  ID_RULE,
  STRENGTHS,
  isCalendarDate,
  isCleanText,
  isWellFormedId,
  type CommitmentCommand,
  type CommitmentDetails,
  type CommitmentState,
  type Strength,
  type Target,
} from '#governance';
import { applyToCommitmentView, type CommitmentView } from '#read-models';
import { fold } from '../command-handling/fold.js';
import { toSummary } from '../commitments/commitment-queries.js';
import type { ReadingDay } from '../reading/reading-days.js';
import { detailUpdates } from '../commitments/detail-updates.js';
import { LIMITS } from '../http/dto.js';
import { refusalOf } from '../session-files/import-plan.js';
import { SessionFileError, type FileProblem } from '../session-files/session-file.js';
import {
  CSV_COLUMNS,
  DERIVED_COLUMNS,
  EDITABLE_COLUMNS,
  csvCells,
  LIST_SEPARATOR,
  editableCells,
  escapeCell,
  unescapeCell,
  type EditableColumn,
} from './commitment-export.js';

export interface CsvChange {
  readonly entry: string;
  readonly commitmentId: string;
  readonly expectedRevision: number;
  readonly command: CommitmentCommand;
}

/**
 * An exported CSV, edited and sent back: each row's editable cells are compared with the
 * commitment now, and differences become a re-target (an open commitment's new target) or a
 * correction. The row's revision guards against overwriting a change made since the export.
 * Every row is checked and decided before anything is written.
 */
export async function planCsvImport(
  file: string,
  text: string,
  now: string,
  /** The day the export's derived cells are compared for (overdue, stale and due follow from it). */
  day: ReadingDay,
  readStream: (streamId: string) => Promise<readonly RecordedEvent[]>,
): Promise<readonly CsvChange[]> {
  let records: Record<string, string>[];
  // A column named twice would let its last cell silently win over the first.
  const twice = new Set<string>();
  const columns = (names: string[]) => {
    names.forEach((name, index) => names.indexOf(name) !== index && twice.add(name));
    return names;
  };
  try {
    records = parse(text, { columns, skip_empty_lines: true, bom: true, trim: false }) as Record<string, string>[];
  } catch (error) {
    throw new SessionFileError(file, [{ entry: 'file', field: '', reason: `is not valid CSV: ${(error as Error).message}` }]);
  }
  if (twice.size > 0)
    throw new SessionFileError(
      file,
      [...twice].map((column) => ({ entry: 'header', field: column, reason: 'is named twice: keep one column of each name' })),
    );
  const header = records.length > 0 ? Object.keys(records[0]!) : [];
  const missing = ['id', 'revision', ...EDITABLE_COLUMNS].filter((column) => !header.includes(column));
  const unknown = header.filter((column) => !(CSV_COLUMNS as readonly string[]).includes(column));
  if (records.length === 0 || missing.length > 0 || unknown.length > 0) {
    const problems: FileProblem[] = [
      ...(records.length === 0 ? [{ entry: 'file', field: '', reason: 'has no rows' }] : []),
      ...missing.map((column) => ({ entry: 'header', field: column, reason: 'is missing' })),
      ...unknown.map((column) => ({ entry: 'header', field: column, reason: 'is not a column of the export' })),
    ];
    throw new SessionFileError(file, problems);
  }

  const problems: FileProblem[] = [];
  const changes: CsvChange[] = [];
  const rowOf = new Map<string, number>();
  for (const [index, record] of records.entries()) {
    const entry = `row ${index + 2}${isWellFormedId(record.id) ? ` (${record.id})` : ''}`;
    const problem = (field: string, reason: string) => problems.push({ entry, field, reason });
    // Every cell is text that can be stored, and the id is an id, before anything is looked up.
    const unstorable = Object.keys(record).filter((column) => !isCleanText(record[column] ?? ''));
    for (const column of unstorable) problem(column, CLEAN_TEXT_RULE);
    if (!unstorable.includes('id') && !isWellFormedId(record.id)) problem('id', ID_RULE);
    if (unstorable.length > 0 || !isWellFormedId(record.id)) continue;
    // Each row is checked against the commitment as exported; a second row for it would be
    // checked against a state the first row's edit changes.
    const earlier = rowOf.get(record.id!);
    if (earlier !== undefined) {
      problem('id', `repeats the commitment of row ${earlier}: edit each commitment in one row`);
      continue;
    }
    rowOf.set(record.id!, index + 2);
    const history = await readStream(commitmentStreamId(record.id!));
    const state = fold(commitmentDecider, history);
    if (state.status === 'not_made') {
      problem('id', 'is not a commitment in the tracker');
      continue;
    }
    const revision = history.length - 1;
    if (record.revision !== String(revision)) {
      problem(
        'revision',
        `is ${record.revision}, but the commitment has changed since (now ${revision}); export again and redo the edit`,
      );
      continue;
    }
    const derived = derivedCells(history, day);
    const edited = DERIVED_COLUMNS.filter((column) => header.includes(column) && cell(record, column) !== derived[column]);
    for (const column of edited) {
      problem(
        column,
        column === 'status'
          ? `is "${cell(record, column)}" but the commitment is ${state.status}: the status is not edited in the CSV, ` +
              'it changes with the commands (progress, start, deliver, drop, supersede, reopen)'
          : `is "${cell(record, column)}" but the tracker has "${derived[column]}": this column is derived from the ` +
              'commitment\u2019s history and is not edited in the CSV (only ' +
              `${EDITABLE_COLUMNS.join(', ')} are); leave it as exported`,
      );
    }
    if (edited.length > 0) continue;
    const wanted = rowDetails(record, state, problem);
    if (!wanted) continue;
    let current: CommitmentState = state;
    let expectedRevision = revision;
    const open = state.status === 'announced' || state.status === 'in_progress';
    const commands = detailUpdates(state, wanted, open, `Edited in ${file}`, { id: record.id!, occurredAt: now, now });
    for (const command of commands) {
      try {
        current = commitmentDecider.decide(command, current).reduce(commitmentDecider.evolve, current);
        changes.push({ entry, commitmentId: record.id!, expectedRevision, command });
        expectedRevision += 1;
      } catch (error) {
        const { field, reason } = refusalOf(error);
        problem(field, reason);
      }
    }
  }
  if (problems.length > 0) throw new SessionFileError(file, problems);
  return changes;
}

/** The derived cells the export would write for this history today, as text. */
function derivedCells(history: readonly RecordedEvent[], day: ReadingDay): Record<string, string> {
  let view: CommitmentView | null = null;
  for (const event of history) view = applyToCommitmentView(view, event).view;
  const cells = csvCells(toSummary(view!, day));
  return Object.fromEntries(DERIVED_COLUMNS.map((column) => [column, String(cells[column])]));
}

// The same limits as CommitmentDetailsDto.
const TEXT_LIMITS: Partial<Record<EditableColumn, number>> = {
  summary: LIMITS.short,
  quote: LIMITS.short,
  speaker: LIMITS.name,
  speaker_role: LIMITS.name,
  owner_team: LIMITS.name,
  target_as_said: LIMITS.name,
  note: LIMITS.text,
};

const splitTopics = (cell: string): string[] =>
  cell
    .split(LIST_SEPARATOR.trim())
    .map((topic) => topic.trim())
    .filter(Boolean);

/** A cell's text: the export's escaping of formula-like text undone exactly (see `escapeCell`). */
function cell(record: Record<string, string>, column: string): string {
  return unescapeCell(record[column]!.trim());
}

/**
 * The details a row asks for. A cell exactly as the export wrote it keeps the recorded value
 * as it is (trimming or splitting it could change text that was stored that way); only an
 * edited cell is read.
 */
function rowDetails(
  record: Record<string, string>,
  recorded: CommitmentDetails,
  problem: (field: string, reason: string) => void,
): CommitmentDetails | undefined {
  const exported = editableCells(recorded);
  const untouched = (column: EditableColumn) => record[column] === escapeCell(exported[column]);
  const text = (column: EditableColumn) => (untouched(column) ? exported[column] : cell(record, column));
  const required = (['summary', 'quote', 'speaker', 'owner_team', 'topics', 'strength'] as const).filter(
    (column) => text(column) === '',
  );
  for (const column of required) problem(column, 'should not be empty');
  const strength = text('strength');
  if (strength && !(STRENGTHS as readonly string[]).includes(strength))
    problem('strength', `must be one of ${STRENGTHS.join(', ')}`);
  const latestDate = text('target_latest_date');
  if (latestDate && !isCalendarDate(latestDate)) problem('target_latest_date', CALENDAR_DATE_RULE);
  const earliestDate = text('target_earliest_date');
  const earliestProblem =
    earliestDate === ''
      ? null
      : !isCalendarDate(earliestDate)
        ? CALENDAR_DATE_RULE
        : !latestDate
          ? 'needs a target_latest_date: a window has a last day'
          : earliestDate > latestDate
            ? `must not be after the target_latest_date ${latestDate}`
            : null;
  if (earliestProblem) problem('target_earliest_date', earliestProblem);
  if (latestDate && !text('target_as_said'))
    problem('target_as_said', 'is needed with a target date: the target in the speaker\u2019s words');
  // An edited cell is held to the limits of the API and the session files.
  let overLimit = false;
  for (const [column, max] of Object.entries(TEXT_LIMITS) as [EditableColumn, number][]) {
    if (!untouched(column) && text(column).length > max) {
      problem(column, `must be shorter than or equal to ${max} characters`);
      overLimit = true;
    }
  }
  if (!untouched('topics')) {
    const topics = splitTopics(text('topics'));
    if (topics.length < 1 || topics.length > LIMITS.topics) {
      problem('topics', `must name 1 to ${LIMITS.topics} topics, separated by "${LIST_SEPARATOR}"`);
      overLimit = true;
    }
    if (topics.some((topic) => topic.length > LIMITS.topic)) {
      problem('topics', `each must be shorter than or equal to ${LIMITS.topic} characters`);
      overLimit = true;
    }
  }
  if (
    overLimit ||
    required.length > 0 ||
    (strength && !(STRENGTHS as readonly string[]).includes(strength)) ||
    (latestDate && !isCalendarDate(latestDate)) ||
    earliestProblem
  ) {
    return undefined;
  }
  const target: Target | null =
    untouched('target_as_said') && untouched('target_earliest_date') && untouched('target_latest_date')
      ? recorded.target
      : text('target_as_said')
        ? {
            asSaid: text('target_as_said'),
            ...(earliestDate ? { earliestDate } : {}),
            latestDate: latestDate || null,
          }
        : null;
  return {
    speaker: {
      name: untouched('speaker') ? recorded.speaker.name : text('speaker'),
      role: untouched('speaker_role') ? recorded.speaker.role : text('speaker_role') || null,
    },
    ownerTeam: text('owner_team'),
    topics: untouched('topics') ? recorded.topics : splitTopics(text('topics')),
    summary: text('summary'),
    quote: text('quote'),
    target,
    strength: strength as Strength,
    note: untouched('note') ? (recorded.note ?? null) : text('note') || null,
  };
}
