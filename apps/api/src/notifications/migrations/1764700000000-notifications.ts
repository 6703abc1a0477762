import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Following by email and webhook. The notifier follows the log with its own checkpoint
 * (`notification_checkpoints`); for each piece of news it stores the news once and one delivery
 * per follower, unique by (follower, event), in the transaction that moves its checkpoint. A
 * message (one mail, one digest, one webhook call) is what the sender sends; each delivery
 * belongs to exactly one message once it is sent, so a change reaches a follower once.
 *
 * An address is kept only while it follows something: deleting a subscription deletes its
 * tokens, deliveries and messages, and the address's own (manage) tokens go with its last one. Tokens are stored as SHA-256 hashes; a webhook's secret is
 * stored as given, since signing needs it.
 */
export class Notifications1764700000000 implements MigrationInterface {
  name = 'Notifications1764700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table notification_checkpoints (
        processor text primary key,
        position text not null,
        updated_at timestamptz not null default now()
      )`);
    await runner.query(`
      create table notification_subscriptions (
        subscription_id uuid primary key,
        email text not null,
        scope_kind text not null check (scope_kind in ('commitment', 'team', 'topic', 'session')),
        scope_value text not null,
        cadence text not null check (cadence in ('immediate', 'daily')),
        created_at timestamptz not null,
        confirmed_at timestamptz,
        next_digest_at timestamptz,
        unique (email, scope_kind, scope_value)
      )`);
    await runner.query(
      `create index notification_subscriptions_scope on notification_subscriptions (scope_kind, scope_value) where confirmed_at is not null`,
    );
    await runner.query(`
      create table notification_tokens (
        token_hash text primary key,
        purpose text not null check (purpose in ('confirm', 'unsubscribe', 'manage')),
        subscription_id uuid references notification_subscriptions on delete cascade,
        email text,
        cadence text check (cadence in ('immediate', 'daily')),
        created_at timestamptz not null,
        expires_at timestamptz,
        check ((purpose = 'manage') = (email is not null and subscription_id is null)),
        check (purpose = 'manage' or subscription_id is not null)
      )`);
    await runner.query(`create index notification_tokens_subscription on notification_tokens (subscription_id, created_at)`);
    await runner.query(`create index notification_tokens_email on notification_tokens (email)`);
    await runner.query(`
      create table webhooks (
        webhook_id uuid primary key,
        url text not null,
        scope_kind text not null check (scope_kind in ('all', 'commitment', 'team', 'topic', 'session')),
        scope_value text not null,
        secret text not null,
        created_by text not null,
        created_at timestamptz not null
      )`);
    await runner.query(`
      create table notification_news (
        event_id uuid primary key,
        position text not null,
        commitment_id text not null,
        event_type text not null,
        news jsonb not null
      )`);
    await runner.query(`
      create table notification_messages (
        message_id uuid primary key,
        kind text not null check (kind in ('immediate', 'digest', 'webhook')),
        subscription_id uuid references notification_subscriptions on delete cascade,
        webhook_id uuid references webhooks on delete cascade,
        status text not null default 'pending' check (status in ('pending', 'sent', 'parked')),
        attempts int not null default 0,
        next_attempt_at timestamptz not null,
        leased_until timestamptz,
        last_error text,
        created_at timestamptz not null,
        sent_at timestamptz,
        check ((subscription_id is null) <> (webhook_id is null))
      )`);
    await runner.query(
      `create index notification_messages_due on notification_messages (next_attempt_at) where status = 'pending'`,
    );
    await runner.query(`
      create table notification_deliveries (
        delivery_id uuid primary key,
        event_id uuid not null references notification_news,
        subscription_id uuid references notification_subscriptions on delete cascade,
        webhook_id uuid references webhooks on delete cascade,
        message_id uuid references notification_messages on delete cascade deferrable initially deferred,
        created_at timestamptz not null,
        check ((subscription_id is null) <> (webhook_id is null)),
        unique (subscription_id, event_id),
        unique (webhook_id, event_id)
      )`);
    await runner.query(`create index notification_deliveries_message on notification_deliveries (message_id)`);
    await runner.query(
      `create index notification_deliveries_unbatched on notification_deliveries (subscription_id) where message_id is null`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'notification_deliveries',
      'notification_messages',
      'notification_news',
      'webhooks',
      'notification_tokens',
      'notification_subscriptions',
      'notification_checkpoints',
    ])
      await runner.query(`drop table ${table}`);
  }
}
