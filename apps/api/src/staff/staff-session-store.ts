import { createHash } from 'node:crypto';
import session, { type SessionData } from 'express-session';
import type { Repository } from 'typeorm';
import type { StaffSessionEntity } from './staff-session.entity.js';

type Callback<T = void> = (error?: unknown, value?: T) => void;

const hashOf = (sessionId: string) => createHash('sha256').update(sessionId, 'utf8').digest('hex');

function expiryOf(data: SessionData, defaultLifetimeMs: number): Date {
  const expires = data.cookie?.expires;
  return expires ? new Date(expires) : new Date(Date.now() + defaultLifetimeMs);
}

/**
 * express-session's store on `staff_sessions`. Rows are keyed by the SHA-256 of the cookie's
 * random id, so the table alone cannot be used to act as a signed-in member of staff.
 */
export class StaffSessionStore extends session.Store {
  constructor(
    private readonly sessions: Repository<StaffSessionEntity>,
    private readonly defaultLifetimeMs: number,
  ) {
    super();
  }

  override get(sessionId: string, callback: Callback<SessionData | null>): void {
    this.sessions
      .createQueryBuilder('s')
      .where('s.id_hash = :idHash and s.expires_at > now()', { idHash: hashOf(sessionId) })
      .getOne()
      .then((row) => callback(undefined, row ? (row.data as unknown as SessionData) : null), callback);
  }

  override set(sessionId: string, data: SessionData, callback?: Callback): void {
    // Expired rows of anyone go in the same statement: sessions are saved at sign-in and after a
    // staff form, often enough to keep the table to the sessions in force.
    this.sessions
      .query(
        `with pruned as (delete from staff_sessions where expires_at <= now() and id_hash <> $1)
         insert into staff_sessions (id_hash, data, expires_at) values ($1, $2, $3)
         on conflict (id_hash) do update set data = excluded.data, expires_at = excluded.expires_at`,
        [hashOf(sessionId), JSON.stringify(data), expiryOf(data, this.defaultLifetimeMs)],
      )
      .then(() => callback?.(), callback);
  }

  override touch(sessionId: string, data: SessionData, callback?: Callback): void {
    this.sessions
      .update({ idHash: hashOf(sessionId) }, { expiresAt: expiryOf(data, this.defaultLifetimeMs) })
      .then(() => callback?.(), callback);
  }

  override destroy(sessionId: string, callback?: Callback): void {
    // Expired rows of anyone go too: sign-outs are rare enough to carry the sweeping.
    this.sessions
      .createQueryBuilder()
      .delete()
      .where('id_hash = :idHash or expires_at <= now()', { idHash: hashOf(sessionId) })
      .execute()
      .then(() => callback?.(), callback);
  }
}
