import type { DataSource, EntityManager } from 'typeorm';
import { LOG_START, type EventStore, type LogCursor, type RecordedEvent } from '#event-store';
import { isAboutSession, isCommitmentNews, isSessionNewsEvent, newsOf, sessionNewsOf, type Notice } from './news.js';

const PROCESSOR = 'notifier';
const FIRST_IDLE_WAIT_MS = 10;
const LONGEST_IDLE_WAIT_MS = 500;

type Query = (text: string, parameters?: readonly unknown[]) => Promise<Record<string, unknown>[]>;
const queryOf =
  (runner: DataSource | EntityManager): Query =>
  (text, parameters) =>
    runner.query(text, parameters as unknown[]);

/**
 * The notifier follows the log from its own stored checkpoint, as a projection does. For each
 * batch it reads the commitments' histories first (PGlite serves one transaction at a time), then
 * in one transaction, under its advisory lock and only if the checkpoint has not moved, it stores
 * each piece of news, one delivery per follower (unique by follower and event) and, for those who
 * asked to hear at once and for webhooks, the message that carries it, and moves the checkpoint.
 * A crash before the commit leaves nothing, after it leaves everything: no change is ever queued
 * twice or skipped. Sending is the sender's job (deliveries.ts).
 */
export class Notifier {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly batchSize = 200,
  ) {}

  async checkpoint(query: Query = queryOf(this.dataSource)): Promise<LogCursor> {
    const [row] = await query('select position from notification_checkpoints where processor = $1', [PROCESSOR]);
    return (row?.position as LogCursor | undefined) ?? LOG_START;
  }

  async step(): Promise<'applied' | 'caught_up' | 'busy'> {
    const after = await this.checkpoint();
    const page = await this.store.readAll({ after, maxCount: this.batchSize });
    if (page.events.length === 0) return 'caught_up';
    const news = await this.newsIn(page.events);
    return this.dataSource.transaction(async (manager) => {
      const query = queryOf(manager);
      const [{ locked }] = (await query(`select pg_try_advisory_xact_lock(hashtext('notifications:notifier')) as locked`)) as [
        { locked: boolean },
      ];
      if (!locked || (await this.checkpoint(query)) !== after) return 'busy';
      for (const item of news) await queue(query, item);
      await query(
        `insert into notification_checkpoints (processor, position, updated_at) values ($1, $2, now())
         on conflict (processor) do update set position = excluded.position, updated_at = now()`,
        [PROCESSOR, page.next],
      );
      return 'applied';
    });
  }

  /** Follows the log until `signal` aborts; a failure is reported and the same batch tried again. */
  async follow(signal: AbortSignal, onError: (error: unknown) => void): Promise<void> {
    let wait = FIRST_IDLE_WAIT_MS;
    while (!signal.aborted) {
      try {
        if ((await this.step()) === 'applied') {
          wait = FIRST_IDLE_WAIT_MS;
          continue;
        }
      } catch (error) {
        onError(error);
        wait = LONGEST_IDLE_WAIT_MS;
      }
      await sleep(wait, signal);
      wait = Math.min(wait * 2, LONGEST_IDLE_WAIT_MS);
    }
  }

  private async newsIn(events: readonly RecordedEvent[]): Promise<Notice[]> {
    const histories = new Map<string, readonly RecordedEvent[]>();
    const news: Notice[] = [];
    for (const event of events) {
      const ofSession = isSessionNewsEvent(event);
      if (!ofSession && !isCommitmentNews(event)) continue;
      let history = histories.get(event.streamId);
      if (!history || history.at(-1)!.revision < event.revision) {
        history = await this.store.readStream(event.streamId);
        histories.set(event.streamId, history);
      }
      const item = ofSession ? sessionNewsOf(history, event) : newsOf(history, event);
      if (item) news.push(item);
    }
    return news;
  }
}

/**
 * Who a piece of news is for: a commitment's followers, its team's, its topics' and its sessions';
 * an announced session's followers and those of the teams it names. Webhooks following all get all.
 */
function audienceOf(item: Notice) {
  return isAboutSession(item)
    ? { commitmentId: null, sessionId: item.sessionId, teams: item.teams, topics: [], sessions: [item.sessionId] }
    : { commitmentId: item.commitmentId, sessionId: null, teams: [item.ownerTeam], topics: item.topics, sessions: item.sessions };
}

/** Stores one piece of news and a delivery for each of its followers (those who confirmed before it was recorded). */
async function queue(query: Query, item: Notice): Promise<void> {
  const audience = audienceOf(item);
  await query(
    `insert into notification_news (event_id, position, commitment_id, session_id, event_type, news) values ($1, $2, $3, $4, $5, $6)
     on conflict (event_id) do nothing`,
    [item.eventId, item.position, audience.commitmentId, audience.sessionId, item.eventType, JSON.stringify(item)],
  );
  const followers = [item.eventId, item.recordedAt, audience.commitmentId, audience.teams, audience.topics, audience.sessions];
  await query(
    `with matched as (
       select s.subscription_id, s.cadence, gen_random_uuid() as delivery_id
         from notification_subscriptions s
        where s.confirmed_at is not null and s.confirmed_at <= $2
          and ((s.scope_kind = 'commitment' and s.scope_value = $3)
            or (s.scope_kind = 'team' and s.scope_value = any($4::text[]))
            or (s.scope_kind = 'topic' and s.scope_value = any($5::text[]))
            or (s.scope_kind = 'session' and s.scope_value = any($6::text[])))
     ), inserted as (
       insert into notification_deliveries (delivery_id, event_id, subscription_id, message_id, created_at)
       select delivery_id, $1, subscription_id, case when cadence = 'immediate' then delivery_id end, now() from matched
       on conflict do nothing
       returning subscription_id, message_id
     )
     insert into notification_messages (message_id, kind, subscription_id, next_attempt_at, created_at)
     select message_id, 'immediate', subscription_id, now(), now() from inserted where message_id is not null`,
    followers,
  );
  await query(
    `with matched as (
       select w.webhook_id, gen_random_uuid() as delivery_id
         from webhooks w
        where w.created_at <= $2
          and (w.scope_kind = 'all'
            or (w.scope_kind = 'commitment' and w.scope_value = $3)
            or (w.scope_kind = 'team' and w.scope_value = any($4::text[]))
            or (w.scope_kind = 'topic' and w.scope_value = any($5::text[]))
            or (w.scope_kind = 'session' and w.scope_value = any($6::text[])))
     ), inserted as (
       insert into notification_deliveries (delivery_id, event_id, webhook_id, message_id, created_at)
       select delivery_id, $1, webhook_id, delivery_id, now() from matched
       on conflict do nothing
       returning webhook_id, message_id
     )
     insert into notification_messages (message_id, kind, webhook_id, next_attempt_at, created_at)
     select message_id, 'webhook', webhook_id, now(), now() from inserted`,
    followers,
  );
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const wake = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', wake);
      resolve();
    }, ms);
    signal?.addEventListener('abort', wake, { once: true });
  });
}
