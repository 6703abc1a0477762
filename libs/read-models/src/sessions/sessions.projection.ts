import type { RecordedEvent } from '#event-store';
import { assertNever, SESSION_EVENT_TYPES, sessionIdOfStream, type SessionDetails, type SessionEvent } from '#governance';
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

export function applyToSessionView(view: SessionView | null, recorded: RecordedEvent): SessionView | null {
  return evolve(view, asRecorded<SessionEvent>(recorded));
}

function evolve(view: SessionView | null, event: Recorded<SessionEvent>): SessionView | null {
  if (view && event.position <= view.lastPosition) return view;
  const stamp = { revision: event.revision, lastPosition: event.position };
  switch (event.type) {
    case 'SessionRecorded':
      return { ...event.data, ...stamp };
    case 'SessionCorrected':
      return view && { ...view, ...event.data.changes, ...stamp };
    default:
      return assertNever(event);
  }
}

/** `sessions`: one row per recorded session. Its record (what was promised there) is a query over commitments. */
export const sessionsProjection: Projection = {
  name: 'sessions',
  tables: ['sessions'],
  eventTypes: SESSION_EVENT_TYPES,
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
  },
};
