import type { RecordedEvent } from '#event-store';

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
}
