import type { RecordedEvent } from '#event-store';
import {
  LINK_EVENT_TYPES,
  commitmentIdOfStream,
  commitmentStreamId,
  linkChangesOf,
  type CommitmentEvent,
  type RecordedRelation,
} from '#governance';
import { columnsOf, upsertRows } from '../projection/json-rows.js';
import { asRecorded, type Projection, type Sql } from '../projection/projection.js';

/** One link between two commitments, kept once, as the commitment whose event recorded it names it. */
export interface LinkRow {
  readonly fromId: string;
  readonly toId: string;
  readonly relation: RecordedRelation;
  readonly note: string | null;
  readonly occurredAt: string;
  readonly recordedAt: string;
  /** The event that recorded it: a replayed event changes nothing. */
  readonly position: string;
  /** Its place among the links that event made (a split's parts in order). */
  readonly place: number;
}

export const linkColumns = columnsOf<LinkRow>({
  fromId: 'text',
  toId: 'text',
  relation: 'text',
  note: 'text',
  occurredAt: 'timestamptz',
  recordedAt: 'timestamptz',
  position: 'text',
  place: 'int',
});

/** What a batch does to the links: rows to add, and a commitment's links of some relations to remove, in log order. */
type LinkWrite =
  | { readonly kind: 'add'; readonly row: LinkRow }
  | { readonly kind: 'remove'; readonly fromId: string; readonly relations: readonly RecordedRelation[] };

/** The pure fold: each commitment event's link changes, from the end that recorded them. */
export function linkWritesOf(events: readonly RecordedEvent[]): LinkWrite[] {
  return events.flatMap((recorded): LinkWrite[] => {
    const fromId = commitmentIdOfStream(recorded.streamId);
    if (fromId === null) return [];
    const event = asRecorded<CommitmentEvent>(recorded);
    return linkChangesOf(event).map((change, place) =>
      change.kind === 'add'
        ? {
            kind: 'add',
            row: {
              fromId,
              toId: change.to,
              relation: change.relation,
              note: change.note,
              occurredAt: recorded.metadata.occurredAt,
              recordedAt: recorded.metadata.recordedAt,
              position: recorded.position,
              place,
            },
          }
        : { kind: 'remove', fromId, relations: change.relations },
    );
  });
}

/**
 * `commitment_links`: every link between commitments, from hand-made links, splits, merges and
 * supersessions, stored once from the end whose event made it. Both ends read it (see
 * `linksOf`), so the far end sees a link without an event on its own stream.
 */
export const linksProjection: Projection = {
  name: 'links',
  tables: ['commitment_links'],
  eventTypes: LINK_EVENT_TYPES,

  // A link added shows at its far end too, with no event on that end's stream.
  touches(event: RecordedEvent): readonly string[] {
    const farEnds = linkWritesOf([event]).flatMap((write) => (write.kind === 'add' ? [commitmentStreamId(write.row.toId)] : []));
    return [event.streamId, ...farEnds];
  },

  replay() {
    // Each commitment's links as it recorded them, by key: the rows that following the log leaves.
    const linksFrom = new Map<string, Map<string, LinkRow>>();
    return {
      async add(events) {
        for (const write of linkWritesOf(events)) {
          if (write.kind === 'add') {
            const links = linksFrom.get(write.row.fromId) ?? new Map<string, LinkRow>();
            linksFrom.set(write.row.fromId, links);
            links.set(linkKey(write.row), write.row);
            continue;
          }
          const links = linksFrom.get(write.fromId);
          for (const [key, row] of links ?? []) if (write.relations.includes(row.relation)) links!.delete(key);
        }
      },
      async finish(_sql, table, write) {
        await write(
          table('commitment_links'),
          linkColumns,
          [...linksFrom.values()].flatMap((links) => [...links.values()]),
        );
      },
    };
  },

  async apply(events: readonly RecordedEvent[], sql: Sql, table: (name: string) => string): Promise<void> {
    const writes = linkWritesOf(events);
    // Consecutive adds go in one statement; a removal is applied in its place in the log.
    let adds: LinkRow[] = [];
    const flush = async () => {
      await upsertRows(sql, table('commitment_links'), linkColumns, dedupe(adds), {
        key: ['from_id', 'to_id', 'relation'],
        update: true,
      });
      adds = [];
    };
    for (const write of writes) {
      if (write.kind === 'add') {
        adds.push(write.row);
        continue;
      }
      await flush();
      await sql(`delete from ${table('commitment_links')} where from_id = $1 and relation = any($2)`, [
        write.fromId,
        write.relations,
      ]);
    }
    await flush();
  },
};

/** What makes a link one: the table's key. */
const linkKey = (row: LinkRow) => `${row.fromId}\n${row.toId}\n${row.relation}`;

// One statement cannot upsert the same key twice; the later event wins.
function dedupe(rows: readonly LinkRow[]): LinkRow[] {
  return [...new Map(rows.map((row) => [linkKey(row), row])).values()];
}
