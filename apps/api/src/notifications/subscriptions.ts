import { DataSource, type EntityManager } from 'typeorm';
import type { Scope, ScopeKind } from './news.js';
import { nextDigestAt } from './sender.js';
import { hashToken, newToken, TOKEN_PATTERN } from './tokens.js';

export type Cadence = 'immediate' | 'daily';

const CONFIRM_DAYS = 7;
/** Confirmation mails one address gets for one thing followed, per day: the form cannot be used to flood a mailbox. */
const CONFIRMATIONS_PER_DAY = 3;

/** Everything kept about an address, as the page that lets its owner delete it shows it. */
export interface StoredAboutYou {
  readonly email: string;
  /** Links sent to the address that open this page (their hashes). */
  readonly addressLinks: number;
  readonly subscriptions: readonly {
    readonly id: string;
    readonly scope: Scope;
    readonly cadence: Cadence;
    readonly createdAt: string;
    readonly confirmedAt: string | null;
    readonly sent: number;
    readonly waiting: number;
    readonly links: number;
  }[];
}

const one = <Row>(rows: unknown): Row | undefined => (rows as Row[])[0];

/**
 * Following by email: sign-up (double opt-in), confirmation, unsubscription and deletion.
 * A link in a mail carries a token; only its SHA-256 hash is stored, beside the subscription it opens.
 */
export class Subscriptions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly digestHourUtc: number,
  ) {}

  /**
   * Records a request to follow and answers the confirmation token to mail, or null when this
   * address has had enough confirmations for it today. The caller answers the same either way,
   * and whether the address already follows it changes nothing it says.
   */
  async request(email: string, scope: Scope, cadence: Cadence, now: Date): Promise<string | null> {
    const address = email.trim().toLowerCase();
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `insert into notification_subscriptions (subscription_id, email, scope_kind, scope_value, cadence, created_at)
         values (gen_random_uuid(), $1, $2, $3, $4, $5) on conflict (email, scope_kind, scope_value) do nothing`,
        [address, scope.kind, scope.value, cadence, now],
      );
      const { subscription_id: id } = one<{ subscription_id: string }>(
        await manager.query(
          `select subscription_id from notification_subscriptions where email = $1 and scope_kind = $2 and scope_value = $3 for update`,
          [address, scope.kind, scope.value],
        ),
      )!;
      const { recent } = one<{ recent: number }>(
        await manager.query(
          `select count(*)::int as recent from notification_tokens
            where subscription_id = $1 and purpose = 'confirm' and created_at > $2`,
          [id, new Date(now.getTime() - 86_400_000)],
        ),
      )!;
      if (recent >= CONFIRMATIONS_PER_DAY) return null;
      const token = newToken();
      await manager.query(
        `insert into notification_tokens (token_hash, subscription_id, purpose, cadence, created_at, expires_at)
         values ($1, $2, 'confirm', $3, $4, $5)`,
        [hashToken(token), id, cadence, now, new Date(now.getTime() + CONFIRM_DAYS * 86_400_000)],
      );
      return token;
    });
  }

  /** Confirms a sign-up: from now on its news is sent. Null when the link is unknown or expired. */
  async confirm(token: string, now: Date): Promise<{ scope: Scope; cadence: Cadence } | null> {
    return this.dataSource.transaction(async (manager) => {
      const found = await this.find(manager, token, 'confirm');
      if (!found || (found.expires_at && new Date(found.expires_at) < now)) return null;
      const cadence = found.cadence as Cadence;
      await manager.query(
        `update notification_subscriptions set confirmed_at = coalesce(confirmed_at, $2), cadence = $3, next_digest_at = $4
          where subscription_id = $1`,
        [found.subscription_id, now, cadence, nextDigestAt(now, this.digestHourUtc)],
      );
      await manager.query(`delete from notification_tokens where subscription_id = $1 and purpose = 'confirm'`, [
        found.subscription_id,
      ]);
      return { scope: { kind: found.scope_kind, value: found.scope_value }, cadence };
    });
  }

  /** What a confirmation link would confirm, or null when it is unknown or expired. */
  async awaitingConfirmation(token: string, now: Date): Promise<Scope | null> {
    const found = await this.find(this.dataSource.manager, token, 'confirm');
    if (!found || (found.expires_at && new Date(found.expires_at) < now)) return null;
    return { kind: found.scope_kind, value: found.scope_value };
  }

  /** What a mail's unsubscribe link stops, or null. */
  async scopeOf(token: string): Promise<Scope | null> {
    const found = await this.find(this.dataSource.manager, token, 'unsubscribe');
    return found ? { kind: found.scope_kind, value: found.scope_value } : null;
  }

  /** Stops the subscription a mail's unsubscribe link names, and forgets it with everything kept for it. */
  async unsubscribe(token: string): Promise<Scope | null> {
    return this.dataSource.transaction(async (manager) => {
      const found = await this.find(manager, token, 'unsubscribe');
      if (!found) return null;
      await manager.query('delete from notification_subscriptions where subscription_id = $1', [found.subscription_id]);
      await forgetAddressIfDone(manager, found.email);
      return { kind: found.scope_kind, value: found.scope_value };
    });
  }

  /** Stops one of the subscriptions of the address a manage link was sent to. */
  async unsubscribeOne(token: string, subscriptionId: string): Promise<Scope | null> {
    return this.dataSource.transaction(async (manager) => {
      const found = await this.findAddress(manager, token);
      if (!found) return null;
      const [deleted] = (await manager.query(
        `delete from notification_subscriptions where subscription_id = $1 and email = $2 returning scope_kind, scope_value`,
        [subscriptionId, found.email],
      )) as [{ scope_kind: ScopeKind; scope_value: string }[], number];
      await forgetAddressIfDone(manager, found.email);
      const row = deleted[0];
      return row ? { kind: row.scope_kind, value: row.scope_value } : null;
    });
  }

  async storedAbout(token: string): Promise<StoredAboutYou | null> {
    const found = await this.findAddress(this.dataSource.manager, token);
    if (!found) return null;
    const rows = (await this.dataSource.query(
      `select s.subscription_id, s.scope_kind, s.scope_value, s.cadence, s.created_at, s.confirmed_at,
              (select count(*)::int from notification_deliveries d join notification_messages m on m.message_id = d.message_id
                where d.subscription_id = s.subscription_id and m.status = 'sent') as sent,
              (select count(*)::int from notification_deliveries d left join notification_messages m on m.message_id = d.message_id
                where d.subscription_id = s.subscription_id and (m.status is null or m.status <> 'sent')) as waiting,
              (select count(*)::int from notification_tokens t where t.subscription_id = s.subscription_id) as links
         from notification_subscriptions s where s.email = $1 order by s.created_at, s.subscription_id`,
      [found.email],
    )) as {
      subscription_id: string;
      scope_kind: ScopeKind;
      scope_value: string;
      cadence: Cadence;
      created_at: Date;
      confirmed_at: Date | null;
      sent: number;
      waiting: number;
      links: number;
    }[];
    const [{ links }] = (await this.dataSource.query(`select count(*)::int as links from notification_tokens where email = $1`, [
      found.email,
    ])) as [{ links: number }];
    return {
      email: found.email,
      addressLinks: links,
      subscriptions: rows.map((row) => ({
        id: row.subscription_id,
        scope: { kind: row.scope_kind, value: row.scope_value },
        cadence: row.cadence,
        createdAt: new Date(row.created_at).toISOString(),
        confirmedAt: row.confirmed_at ? new Date(row.confirmed_at).toISOString() : null,
        sent: row.sent,
        waiting: row.waiting,
        links: row.links,
      })),
    };
  }

  /** Deletes everything kept about the address the token was sent to; answers how many subscriptions went. */
  async forget(token: string): Promise<number | null> {
    return this.dataSource.transaction(async (manager) => {
      const found = await this.findAddress(manager, token);
      if (!found) return null;
      const [, count] = (await manager.query(`delete from notification_subscriptions where email = $1`, [found.email])) as [
        unknown,
        number,
      ];
      await manager.query(`delete from notification_tokens where email = $1`, [found.email]);
      return count;
    });
  }

  /** Sign-ups never confirmed are forgotten once their links have expired: the address was never given for more. */
  async forgetUnconfirmed(now: Date): Promise<void> {
    await this.dataSource.query(
      `delete from notification_subscriptions s where s.confirmed_at is null
         and not exists (select 1 from notification_tokens t where t.subscription_id = s.subscription_id and t.expires_at > $1)`,
      [now],
    );
    await this.dataSource.query(
      `delete from notification_tokens t where t.email is not null
         and not exists (select 1 from notification_subscriptions s where s.email = t.email)`,
    );
  }

  private async findAddress(manager: EntityManager, token: string): Promise<{ email: string } | undefined> {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    return one<{ email: string }>(
      await manager.query(
        `select t.email from notification_tokens t where t.token_hash = $1 and t.purpose = 'manage'
            and exists (select 1 from notification_subscriptions s where s.email = t.email)`,
        [hashToken(token)],
      ),
    );
  }

  private async find(manager: EntityManager, token: string, purpose: 'confirm' | 'unsubscribe') {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    return one<{
      subscription_id: string;
      cadence: string | null;
      expires_at: Date | null;
      email: string;
      scope_kind: ScopeKind;
      scope_value: string;
    }>(
      await manager.query(
        `select t.subscription_id, t.cadence, t.expires_at, s.email, s.scope_kind, s.scope_value
           from notification_tokens t join notification_subscriptions s on s.subscription_id = t.subscription_id
          where t.token_hash = $1 and t.purpose = $2`,
        [hashToken(token), purpose],
      ),
    );
  }
}

/** The address's own tokens go with its last subscription: nothing about it is kept after that. */
async function forgetAddressIfDone(manager: EntityManager, email: string): Promise<void> {
  await manager.query(
    `delete from notification_tokens where email = $1 and not exists (select 1 from notification_subscriptions where email = $1)`,
    [email],
  );
}
