import type { DataSource } from 'typeorm';
import type { NotificationSettings } from '#config';
import type { Clock } from '../command-handling/clock.js';
import type { PublicLinks } from '../feeds/public-links.js';
import { confirmationMail, digestMail, newsMail, scopeWords, type MailContent } from './mail-content.js';
import type { Mailer } from './mailer.js';
import { isAboutSession, type NewsItem, type Notice, type Scope, type ScopeKind, type SessionNewsItem } from './news.js';
import { newToken, hashToken } from './tokens.js';
import { callWebhook } from './webhook-calls.js';
import { sleep } from './notifier.js';
import { announcedBriefPath } from '../brief/announcements.js';

const CLAIMED_AT_ONCE = 10;
const LONGEST_RETRY_MS = 6 * 3_600_000;
const IDLE_POLL_MS = 100;

interface MessageRow {
  readonly message_id: string;
  readonly kind: 'immediate' | 'digest' | 'webhook';
  readonly subscription_id: string | null;
  readonly webhook_id: string | null;
  readonly attempts: number;
}

/** The next hour `hour` (UTC) strictly after `now`. */
export function nextDigestAt(now: Date, hour: number): Date {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour));
  if (next <= now) next.setUTCDate(next.getUTCDate() + 1);
  return next;
}

/** Exponential backoff with jitter: `first`·2^(attempt−1), capped, then somewhere between half of it and all of it. */
export const retryDelayMs = (attempt: number, firstMs: number, random: () => number = Math.random): number => {
  const ceiling = Math.min(firstMs * 2 ** Math.min(attempt - 1, 30), LONGEST_RETRY_MS);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
};

/**
 * Sends what the notifier queued, one message at a time. A message is leased (so another instance
 * leaves it alone), sent, then marked sent. A crash between the server's acceptance and the mark
 * is the one gap no sender can close: the lease runs out and the message is sent again, with the
 * same Message-ID (`<message id@host>`) for mail and the same `X-Tracker-Delivery` for webhooks,
 * so a receiver tells the repeat from a new change. At-least-once on the wire, once per change
 * and follower in the record.
 */
export class Sender {
  private readonly messageHost: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly links: PublicLinks,
    private readonly clock: Clock,
    private readonly settings: NotificationSettings,
  ) {
    this.messageHost = new URL(links.base).hostname;
  }

  /** Forms the digests that are due, then sends the messages that are; answers how many it tried. */
  async tick(): Promise<number> {
    await this.formDigests();
    const now = new Date();
    const claimed = (await this.dataSource.query(
      `update notification_messages set leased_until = $2
        where message_id in (select message_id from notification_messages
                              where status = 'pending' and next_attempt_at <= $1 and (leased_until is null or leased_until < $1)
                              order by created_at, message_id limit $3 for update skip locked)
        returning message_id, kind, subscription_id, webhook_id, attempts`,
      [now, new Date(now.getTime() + this.settings.leaseSeconds * 1000), CLAIMED_AT_ONCE],
    )) as [MessageRow[], number] | MessageRow[];
    const rows = (Array.isArray(claimed[0]) ? claimed[0] : claimed) as MessageRow[];
    for (const row of rows) {
      try {
        await this.send(row);
        await this.dataSource.query(
          `update notification_messages set status = 'sent', sent_at = now(), leased_until = null, last_error = null
            where message_id = $1`,
          [row.message_id],
        );
      } catch (error) {
        await this.failed(row, error instanceof Error ? error.message : String(error));
      }
    }
    return rows.length;
  }

  async follow(signal: AbortSignal, onError: (error: unknown) => void): Promise<void> {
    while (!signal.aborted) {
      try {
        if ((await this.tick()) > 0) continue;
      } catch (error) {
        onError(error);
      }
      await sleep(IDLE_POLL_MS, signal);
    }
  }

  /** Sends the confirmation of a sign-up, outside the log: nothing has been followed yet. */
  async sendConfirmation(to: string, scope: Scope, cadence: 'immediate' | 'daily', token: string): Promise<void> {
    const content = confirmationMail(scopeWords(scope), cadence, this.links.to(`/follow/confirm/${token}`));
    await this.mailer.send({ from: this.settings.mailFrom, to, ...content, headers: { 'Auto-Submitted': 'auto-generated' } });
  }

  private async failed(row: MessageRow, reason: string): Promise<void> {
    const attempts = row.attempts + 1;
    const parked = attempts >= this.settings.maxAttempts;
    await this.dataSource.query(
      `update notification_messages set attempts = $2, status = $3, next_attempt_at = $4, leased_until = null, last_error = $5
        where message_id = $1 and status = 'pending'`,
      [
        row.message_id,
        attempts,
        parked ? 'parked' : 'pending',
        new Date(Date.now() + retryDelayMs(attempts, this.settings.retryFirstMs)),
        (parked ? `parked after ${attempts} failed attempts; last: ${reason}` : reason).slice(0, 2000),
      ],
    );
  }

  private async newsOf(messageId: string): Promise<Notice[]> {
    const rows = (await this.dataSource.query(
      `select n.news from notification_deliveries d join notification_news n on n.event_id = d.event_id
        where d.message_id = $1 order by n.position`,
      [messageId],
    )) as { news: Notice }[];
    return rows.map((row) => row.news);
  }

  private async send(row: MessageRow): Promise<void> {
    const news = await this.newsOf(row.message_id);
    if (news.length === 0) return;
    if (row.kind === 'webhook') return this.callWebhook(row, news[0]!);
    const [subscription] = (await this.dataSource.query(
      'select subscription_id, email, scope_kind, scope_value from notification_subscriptions where subscription_id = $1',
      [row.subscription_id],
    )) as { subscription_id: string; email: string; scope_kind: ScopeKind; scope_value: string }[];
    if (!subscription) return;
    const scope: Scope = { kind: subscription.scope_kind, value: subscription.scope_value };
    const links = await this.manageLinks(subscription.subscription_id, subscription.email);
    const latest = news.at(-1)!;
    const words = scopeWords(scope, scope.kind === 'commitment' && !isAboutSession(latest) ? latest.summary : undefined);
    const content: MailContent =
      row.kind === 'immediate' ? newsMail(news[0]!, words, links, this.linkOf) : digestMail(news, words, links, this.linkOf);
    await this.mailer.send({
      from: this.settings.mailFrom,
      to: subscription.email,
      messageId: `<${row.message_id}@${this.messageHost}>`,
      ...content,
      list: { unsubscribe: links.unsubscribe, id: { url: this.messageHost, comment: 'Commitment tracker' } },
      headers: {
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'Auto-Submitted': 'auto-generated',
        'X-Tracker-Changes': news.map((item) => item.eventId).join(' '),
      },
    });
  }

  /**
   * Fresh tokens for this message's links: one stops this subscription, one opens everything kept
   * about the address. Their hashes are stored; the tokens only travel in the mail.
   */
  private async manageLinks(subscriptionId: string, email: string): Promise<{ unsubscribe: string; manage: string }> {
    const unsubscribe = newToken();
    const manage = newToken();
    await this.dataSource.query(
      `insert into notification_tokens (token_hash, purpose, subscription_id, email, created_at)
       values ($1, 'unsubscribe', $2, null, now()), ($3, 'manage', null, $4, now())`,
      [hashToken(unsubscribe), subscriptionId, hashToken(manage), email],
    );
    return {
      unsubscribe: this.links.to(`/follow/unsubscribe/${unsubscribe}`),
      manage: this.links.to(`/follow/manage/${manage}`),
    };
  }

  /** Where a piece of news leads: the commitment's page, or the announced session's brief. */
  private readonly linkOf = (notice: Notice): string =>
    this.links.to(
      isAboutSession(notice) ? announcedBriefPath(notice.sessionId) : `/commitments/${encodeURIComponent(notice.commitmentId)}`,
    );

  private async callWebhook(row: MessageRow, item: Notice): Promise<void> {
    const [webhook] = (await this.dataSource.query('select url, secret from webhooks where webhook_id = $1', [
      row.webhook_id,
    ])) as { url: string; secret: string }[];
    if (!webhook) return;
    // JSON.stringify escapes what the text holds: a receiver parses back exactly what was said.
    const body = JSON.stringify({
      delivery: row.message_id,
      event: {
        id: item.eventId,
        type: item.eventType,
        position: item.position,
        revision: item.revision,
        occurredAt: item.occurredAt,
        recordedAt: item.recordedAt,
        text: item.text,
      },
      ...(isAboutSession(item) ? { session: this.sessionOf(item) } : { commitment: this.commitmentOf(item) }),
    });
    await callWebhook(
      {
        url: webhook.url,
        secret: webhook.secret,
        deliveryId: row.message_id,
        eventType: item.eventType,
        body,
        timestamp: Math.floor(Date.now() / 1000),
      },
      { allowPrivate: this.settings.webhookAllowPrivateTargets, timeoutMs: (this.settings.leaseSeconds * 1000) / 2 },
    );
  }

  private commitmentOf(item: NewsItem) {
    return {
      id: item.commitmentId,
      summary: item.summary,
      status: item.status,
      ownerTeam: item.ownerTeam,
      topics: item.topics,
      sessions: item.sessions,
      url: this.linkOf(item),
    };
  }

  private sessionOf(item: SessionNewsItem) {
    return {
      id: item.sessionId,
      title: item.title,
      date: item.date,
      previousDate: item.previousDate,
      status: item.status,
      reason: item.reason,
      hosts: item.hosts,
      teams: item.teams,
      url: this.linkOf(item),
    };
  }

  /**
   * Gathers a follower's waiting news into one digest message when their hour has come (daily),
   * or at once for those who switched to immediate. A digest's news is fixed when it is formed, so
   * a digest sent again after a crash is the same digest, with the same Message-ID.
   */
  private async formDigests(): Promise<void> {
    const now = this.clock.now();
    const next = nextDigestAt(now, this.settings.digestHourUtc);
    await this.dataSource.query(
      `update notification_subscriptions s set next_digest_at = $2
        where s.cadence = 'daily' and s.confirmed_at is not null and s.next_digest_at <= $1
          and not exists (select 1 from notification_deliveries d where d.subscription_id = s.subscription_id and d.message_id is null)`,
      [now, next],
    );
    const due = (await this.dataSource.query(
      `select s.subscription_id from notification_subscriptions s
        where s.confirmed_at is not null and (s.cadence = 'immediate' or s.next_digest_at <= $1)
          and exists (select 1 from notification_deliveries d where d.subscription_id = s.subscription_id and d.message_id is null)`,
      [now],
    )) as { subscription_id: string }[];
    for (const { subscription_id: subscriptionId } of due) {
      await this.dataSource.transaction(async (manager) => {
        const [still] = (await manager.query(
          `select subscription_id from notification_subscriptions where subscription_id = $1
             and (cadence = 'immediate' or next_digest_at <= $2) for update`,
          [subscriptionId, now],
        )) as unknown[];
        if (!still) return;
        const [{ id }] = (await manager.query('select gen_random_uuid() as id')) as [{ id: string }];
        const updated = (await manager.query(
          'update notification_deliveries set message_id = $1 where subscription_id = $2 and message_id is null returning delivery_id',
          [id, subscriptionId],
        )) as [unknown[], number];
        if ((Array.isArray(updated[0]) ? updated[0] : updated).length === 0) return;
        await manager.query(
          `insert into notification_messages (message_id, kind, subscription_id, next_attempt_at, created_at)
           values ($1, 'digest', $2, now(), now())`,
          [id, subscriptionId],
        );
        await manager.query('update notification_subscriptions set next_digest_at = $2 where subscription_id = $1', [
          subscriptionId,
          next,
        ]);
      });
    }
  }
}
