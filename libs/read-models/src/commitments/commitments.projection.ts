import type { RecordedEvent } from '#event-store';
import { COMMITMENT_EVENT_TYPES, commitmentIdOfStream, type CommitmentEvent } from '#governance';
import { fromRow, upsertRows, columnsOf } from '../projection/json-rows.js';
import { asRecorded, type Projection, type Sql } from '../projection/projection.js';
import {
  applyToCommitmentView,
  applyToCommitmentViewInPlace,
  type ChangingCommitmentView,
  type CommitmentView,
  type TimelineEntry,
} from './commitment-view.js';
import { searchTextOf, withHistoryWords } from './search-document.js';

/** The row: the view, and the two texts its search vector is made of (today's words, and its history's). */
type StoredView = CommitmentView & { readonly searchText: string; readonly searchHistory: string };

export const commitmentColumns = columnsOf<StoredView>({
  commitmentId: 'text',
  status: 'text',
  sessionId: 'text',
  sessionDate: 'date',
  revisitedIn: 'text[]',
  speakerName: 'text',
  speakerRole: 'text',
  ownerTeam: 'text',
  topics: 'text[]',
  summary: 'text',
  quote: 'text',
  strength: 'text',
  note: 'text',
  targetAsSaid: 'text',
  targetEarliestDate: 'date',
  targetLatestDate: 'date',
  firstTargetLatestDate: 'date',
  supersededBy: 'text',
  workStarted: 'boolean',
  updateCount: 'int',
  slipCount: 'int',
  extensionCount: 'int',
  lateSlipCount: 'int',
  slipDays: 'int',
  lastNewsOn: 'date',
  madeAt: 'timestamptz',
  closedAt: 'timestamptz',
  closedAtPrecision: 'text',
  lastChangedAt: 'timestamptz',
  lastRecordedAt: 'timestamptz',
  revision: 'int',
  lastPosition: 'text',
  searchText: 'text',
  searchHistory: 'text',
});

export const timelineColumns = columnsOf<TimelineEntry>({
  commitmentId: 'text',
  revision: 'int',
  eventType: 'text',
  occurredAt: 'timestamptz',
  recordedAt: 'timestamptz',
  actor: 'text',
  sessionId: 'text',
  text: 'text',
  evidence: 'text[]',
  datePrecision: 'text',
  slip: 'text',
  position: 'text',
});

/** `commitments` (one row each) and `commitment_timeline` (one entry per event). */
export const commitmentsProjection: Projection = {
  replay() {
    // Nothing else sees these views until `finish` writes them: the fold may change them in place.
    const views = new Map<string, ChangingCommitmentView>();
    const histories = new Map<string, string>();
    return {
      async add(events, _sql, table, write) {
        const entries: TimelineEntry[] = [];
        for (const event of events) {
          if (commitmentIdOfStream(event.streamId) === null) continue;
          // Keyed by stream: the fold gives each entry the commitment id of the view it belongs to.
          const before = views.get(event.streamId) ?? null;
          const { view, entry } = applyToCommitmentViewInPlace(before, event);
          if (view && view !== before) views.set(event.streamId, view);
          if (entry) {
            entries.push(entry);
            const history = histories.get(event.streamId) ?? '';
            histories.set(event.streamId, withHistoryWords(history, asRecorded<CommitmentEvent>(event)));
          }
        }
        await write(table('commitment_timeline'), timelineColumns, entries);
      },
      async finish(_sql, table, write) {
        const rows = Array.from(views, ([streamId, view]) => ({
          ...view,
          searchText: searchTextOf(view),
          searchHistory: histories.get(streamId) ?? '',
        }));
        await write(table('commitments'), commitmentColumns, rows);
      },
    };
  },

  name: 'commitments',
  tables: ['commitments', 'commitment_timeline'],
  eventTypes: COMMITMENT_EVENT_TYPES,
  async apply(events: readonly RecordedEvent[], sql: Sql, table: (name: string) => string): Promise<void> {
    const relevant = events.flatMap((event) => {
      const id = commitmentIdOfStream(event.streamId);
      return id === null ? [] : [{ id, event }];
    });
    if (relevant.length === 0) return;
    const ids = [...new Set(relevant.map(({ id }) => id))];
    const stored = await sql(`select * from ${table('commitments')} where commitment_id = any($1)`, [ids]);
    const views = new Map<string, CommitmentView>(
      stored.map((row) => [row.commitment_id as string, fromRow(commitmentColumns, row)]),
    );
    const histories = new Map<string, string>(stored.map((row) => [row.commitment_id as string, row.search_history as string]));
    const changed = new Set<string>();
    const entries: TimelineEntry[] = [];
    for (const { id, event } of relevant) {
      const { view, entry } = applyToCommitmentView(views.get(id) ?? null, event);
      if (view && view !== views.get(id)) {
        views.set(id, view);
        changed.add(id);
      }
      if (entry) {
        entries.push({ ...entry, commitmentId: id });
        histories.set(id, withHistoryWords(histories.get(id) ?? '', asRecorded<CommitmentEvent>(event)));
      }
    }
    const rows = [...changed].map((id) => {
      const view = views.get(id)!;
      return { ...view, searchText: searchTextOf(view), searchHistory: histories.get(id) ?? '' };
    });
    await upsertRows(sql, table('commitments'), commitmentColumns, rows, { key: ['commitment_id'], update: true });
    await upsertRows(sql, table('commitment_timeline'), timelineColumns, entries, {
      key: ['commitment_id', 'revision'],
      update: false,
    });
  },
};
