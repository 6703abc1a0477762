import type { RecordedEvent } from '#event-store';
import {
  assertNever,
  SESSION_EVENT_TYPES,
  sessionIdOfStream,
  type SessionDetails,
  type SessionEvent,
  type UpcomingSessionDetails,
} from '#governance';
import { fromRow, upsertRows, columnsOf } from '../projection/json-rows.js';
import { asRecorded, type Projection, type Recorded, type Sql } from '../projection/projection.js';

export interface SessionView extends Omit<SessionDetails, 'hosts'> {
  readonly sessionId: string;
  readonly hosts: SessionDetails['hosts'];
  readonly revision: number;
  readonly lastPosition: string;
}

export const sessionColumns = columnsOf<SessionView>({
  sessionId: 'text',
  date: 'date',
  title: 'text',
  kind: 'text',
  hosts: 'jsonb',
  sourceUrl: 'text',
  revision: 'int',
  lastPosition: 'text',
});

/** Where an announced session stands: still to come, held (recorded), or called off. */
export type UpcomingStatus = 'scheduled' | 'held' | 'cancelled';

export interface UpcomingSessionView extends UpcomingSessionDetails {
  readonly sessionId: string;
  readonly status: UpcomingStatus;
  readonly cancelReason: string | null;
  /** The stream's revision when the plan last changed: a calendar entry's SEQUENCE. */
  readonly revision: number;
  /** When the tracker learned of its last change: a feed entry's `updated`. */
  readonly lastChangedAt: string;
  readonly lastPosition: string;
}

export const upcomingSessionColumns = columnsOf<UpcomingSessionView>({
  sessionId: 'text',
  date: 'date',
  title: 'text',
  hosts: 'jsonb',
  teams: 'jsonb',
  status: 'text',
  cancelReason: 'text',
  revision: 'int',
  lastChangedAt: 'timestamptz',
  lastPosition: 'text',
});

export function applyToSessionView(view: SessionView | null, recorded: RecordedEvent): SessionView | null {
  return evolve(view, asRecorded<SessionEvent>(recorded));
}

function evolveUpcoming(view: UpcomingSessionView | null, event: Recorded<SessionEvent>): UpcomingSessionView | null {
  if (view && event.position <= view.lastPosition) return view;
  const stamp = { revision: event.revision, lastChangedAt: event.metadata.recordedAt, lastPosition: event.position };
  switch (event.type) {
    case 'SessionScheduled':
      return { ...event.data, status: 'scheduled', cancelReason: null, ...stamp };
    case 'SessionRescheduled':
      return view && { ...view, ...event.data.changes, ...stamp };
    case 'SessionCancelled':
      return view && { ...view, status: 'cancelled', cancelReason: event.data.reason, ...stamp };
    case 'SessionRecorded':
      return view && { ...view, status: 'held', ...stamp };
    case 'SessionCorrected':
      return view;
    default:
      return assertNever(event);
  }
}

// What changes an announced session's row; a correction of a held one is the sessions table's alone.
const UPCOMING_TYPES: ReadonlySet<string> = new Set([
  'SessionScheduled',
  'SessionRescheduled',
  'SessionCancelled',
  'SessionRecorded',
]);

function evolve(view: SessionView | null, event: Recorded<SessionEvent>): SessionView | null {
  if (view && event.position <= view.lastPosition) return view;
  const stamp = { revision: event.revision, lastPosition: event.position };
  switch (event.type) {
    case 'SessionRecorded':
      return { ...event.data, ...stamp };
    case 'SessionCorrected':
      return view && { ...view, ...event.data.changes, ...stamp };
    // Announced, not held: the upcoming table's (its row appears once it is recorded as held).
    case 'SessionScheduled':
    case 'SessionRescheduled':
    case 'SessionCancelled':
      return view;
    default:
      return assertNever(event);
  }
}

/**
 * `sessions`: one row per recorded session; its record (what was promised there) is a query over
 * commitments. `upcoming_sessions`: one row per session announced before its day.
 */
export const sessionsProjection: Projection = {
  name: 'sessions',
  tables: ['sessions', 'upcoming_sessions'],
  eventTypes: SESSION_EVENT_TYPES,
  replay() {
    // Both tables' views in memory, written once at the end: what following the log leaves.
    const views = new Map<string, SessionView | null>();
    const plans = new Map<string, UpcomingSessionView | null>();
    return {
      async add(events) {
        for (const recorded of events) {
          const id = sessionIdOfStream(recorded.streamId);
          if (id === null) continue;
          const event = asRecorded<SessionEvent>(recorded);
          views.set(id, evolve(views.get(id) ?? null, event));
          if (UPCOMING_TYPES.has(event.type)) plans.set(id, evolveUpcoming(plans.get(id) ?? null, event));
        }
      },
      async finish(_sql, table, write) {
        await write(
          table('sessions'),
          sessionColumns,
          [...views.values()].filter((view) => view !== null),
        );
        await write(
          table('upcoming_sessions'),
          upcomingSessionColumns,
          [...plans.values()].filter((plan) => plan !== null),
        );
      },
    };
  },
  async apply(events: readonly RecordedEvent[], sql: Sql, table: (name: string) => string): Promise<void> {
    const relevant = events.flatMap((event) => {
      const id = sessionIdOfStream(event.streamId);
      return id === null ? [] : [{ id, event }];
    });
    if (relevant.length === 0) return;
    const ids = [...new Set(relevant.map(({ id }) => id))];
    const stored = await sql(`select * from ${table('sessions')} where session_id = any($1)`, [ids]);
    const views = new Map<string, SessionView | null>(
      stored.map((row) => [row.session_id as string, fromRow(sessionColumns, row)]),
    );
    for (const { id, event } of relevant) {
      views.set(id, applyToSessionView(views.get(id) ?? null, event));
    }
    const rows = [...views.values()].filter((view): view is SessionView => view !== null);
    await upsertRows(sql, table('sessions'), sessionColumns, rows, { key: ['session_id'], update: true });

    const announced = relevant.filter(({ event }) => UPCOMING_TYPES.has(event.type));
    if (announced.length === 0) return;
    const announcedIds = [...new Set(announced.map(({ id }) => id))];
    const planned = await sql(`select * from ${table('upcoming_sessions')} where session_id = any($1)`, [announcedIds]);
    const plans = new Map<string, UpcomingSessionView | null>(
      planned.map((row) => [row.session_id as string, fromRow(upcomingSessionColumns, row)]),
    );
    for (const { id, event } of announced) plans.set(id, evolveUpcoming(plans.get(id) ?? null, asRecorded<SessionEvent>(event)));
    const planRows = [...plans.values()].filter((view): view is UpcomingSessionView => view !== null);
    await upsertRows(sql, table('upcoming_sessions'), upcomingSessionColumns, planRows, { key: ['session_id'], update: true });
  },
};
