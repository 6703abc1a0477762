import type { RecordedEvent } from '#event-store';
import { COMMITMENT_EVENT_TYPES } from '#governance';
import { fromRow, upsertRows, columnsOf } from '../projection/json-rows.js';
import type { Projection, Sql } from '../projection/projection.js';
import type { ChangingCommitmentView } from '../commitments/commitment-view.js';
import {
  commitmentIdsOf,
  foldCommitmentStates,
  foldCommitmentStatesInPlace,
  type CommitmentStateRow,
} from './commitment-state.js';

export const commitmentStateColumns = columnsOf<CommitmentStateRow>({
  commitmentId: 'text',
  revision: 'int',
  position: 'text',
  recordedAt: 'timestamptz',
  occurredAt: 'timestamptz',
  latestOccurredAt: 'timestamptz',
  status: 'text',
  ownerTeam: 'text',
  topics: 'text[]',
  summary: 'text',
  targetEarliestDate: 'date',
  targetLatestDate: 'date',
  madeAt: 'timestamptz',
  closedAt: 'timestamptz',
  closedAtPrecision: 'text',
  slipDays: 'int',
  slipCount: 'int',
  extensionCount: 'int',
  lateSlipCount: 'int',
  lastNewsOn: 'date',
  workStarted: 'boolean',
});

/**
 * `commitment_states`: every commitment's state after each of its events, so the dashboard can
 * be read as of any past day without replaying the log.
 */
export const commitmentStatesProjection: Projection = {
  name: 'commitment_states',
  tables: ['commitment_states'],
  eventTypes: COMMITMENT_EVENT_TYPES,
  replay() {
    // Each commitment's view in memory: every state row is written once, as it is made.
    const views = new Map<string, ChangingCommitmentView>();
    return {
      async add(events, _sql, table, write) {
        await write(table('commitment_states'), commitmentStateColumns, foldCommitmentStatesInPlace(views, events));
      },
      async finish() {},
    };
  },
  async apply(events: readonly RecordedEvent[], sql: Sql, table: (name: string) => string): Promise<void> {
    const ids = commitmentIdsOf(events);
    if (ids.length === 0) return;
    const stored = await sql(
      `select distinct on (commitment_id) * from ${table('commitment_states')}
       where commitment_id = any($1) order by commitment_id, revision desc`,
      [ids],
    );
    const latest = new Map(
      stored.map((record) => {
        const state = fromRow(commitmentStateColumns, record);
        return [state.commitmentId, state] as const;
      }),
    );
    await upsertRows(sql, table('commitment_states'), commitmentStateColumns, foldCommitmentStates(latest, events), {
      key: ['commitment_id', 'revision'],
      update: false,
    });
  },
};
