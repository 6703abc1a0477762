import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { READ_REPLICA, type ReadReplica } from '#storage';

/** How far the read replica is behind its primary. */
export interface ReplicaLag {
  /** WAL the primary has written that the replica has not replayed yet. */
  readonly bytes: number;
  /** How old the last transaction the replica replayed is, while it has WAL left to replay; 0 when caught up. */
  readonly seconds: number;
}

/** The replica's lag, from the primary's WAL position and the replica's replay position (null without a replica). */
@Injectable()
export class ReplicaLags {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(READ_REPLICA) private readonly replica: ReadReplica | null,
  ) {}

  get configured(): boolean {
    return this.replica !== null;
  }

  async lag(): Promise<ReplicaLag | null> {
    if (!this.replica) return null;
    const [primary] = (await this.dataSource.query('select pg_current_wal_lsn()::text as lsn')) as { lsn: string }[];
    // A quiet primary writes no transactions: the replay timestamp then ages though nothing is missing,
    // so the seconds count only while WAL is left to replay.
    const {
      rows: [replica],
    } = await this.replica.pool.query<{ recovering: boolean; bytes: string | null; seconds: number | null }>(
      `select pg_is_in_recovery() as recovering,
              pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn())::text as bytes,
              extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as seconds`,
      [primary!.lsn],
    );
    // Not in recovery (READ_DATABASE_URL names the primary itself): nothing to replay.
    if (!replica!.recovering) return { bytes: 0, seconds: 0 };
    const bytes = Math.max(0, Number(replica!.bytes ?? 0));
    return { bytes, seconds: bytes === 0 ? 0 : Math.max(0, replica!.seconds ?? 0) };
  }
}
