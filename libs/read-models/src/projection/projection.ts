import type { RecordedEvent } from '#event-store';
import type { WriteRows } from './bulk-load.js';

/**
 * A recorded event read as the domain event it carries. The log's data is untyped JSON; this is
 * the one place a fold takes it as the domain's union, so its `switch` can be exhaustive.
 */
export type Recorded<Event extends { readonly type: string; readonly data: unknown }> = Omit<RecordedEvent, 'type' | 'data'> &
  Event;
export const asRecorded = <Event extends { readonly type: string; readonly data: unknown }>(event: RecordedEvent) =>
  event as unknown as Recorded<Event>;

/** Runs SQL inside the projector's transaction. */
export type Sql = <Row = Record<string, unknown>>(text: string, parameters?: readonly unknown[]) => Promise<Row[]>;

/**
 * A read model fed by the log. `apply` writes one batch inside the transaction that also
 * stores the checkpoint, so a crash leaves rows and checkpoint in step. It addresses its
 * tables through `table(name)`, which is how a rebuild writes shadow tables instead.
 */
export interface Projection {
  readonly name: string;
  /** The live tables it owns, in the order to create shadows for a rebuild. */
  readonly tables: readonly string[];
  apply(events: readonly RecordedEvent[], sql: Sql, table: (name: string) => string): Promise<void>;
  /**
   * For a rebuild into tables nobody else reads: fold the log in memory and write each row
   * once, instead of rewriting a row for every batch that touches it. Optional.
   */
  replay?(): Replay;
  /**
   * The streams whose rows an event changes here, when more than its own (a link shows at both
   * ends): what a change notice names, so answers drawn from them are dropped. Optional.
   */
  touches?(event: RecordedEvent): readonly string[];
  /** The event types it applies; the log is read for those alone (the rest would be read to be ignored). All when absent. */
  readonly eventTypes?: readonly string[];
}

export interface Replay {
  /**
   * Folds a batch in memory; may write rows that are never rewritten (insert-only ones) now.
   * `write` is the fast way to do so (COPY where the database allows it); it may still be
   * sending when `add` returns, and all it wrote is stored before the rebuild builds indexes.
   */
  add(events: readonly RecordedEvent[], sql: Sql, table: (name: string) => string, write: WriteRows): Promise<void>;
  /** Writes the rows kept in memory. */
  finish(sql: Sql, table: (name: string) => string, write: WriteRows): Promise<void>;
}
