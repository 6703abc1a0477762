import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { DEFAULT_STALE_AFTER_MONTHS } from '#governance';

/** Where events live; read models always live in PostgreSQL (server or embedded). */
export type EventStoreTarget =
  { readonly kind: 'postgres' } | { readonly kind: 'eventstoredb'; readonly connectionString: string };

export type DatabaseTarget =
  { readonly kind: 'server'; readonly url: string } | { readonly kind: 'embedded'; readonly dataDir: string };

export interface AppConfig {
  readonly port: number;
  /** Writes one token may make per minute. */
  readonly writeRateLimitPerMinute: number;
  /** Run the projector inside the api (the single-machine default) or leave it to apps/projector. */
  readonly runProjector: boolean;
  /** Session files loaded into an empty log at start (the seed record); null when turned off. */
  readonly seedDirectory: string | null;
  readonly database: DatabaseTarget;
  /**
   * A streaming replica of `database` the public reads are served from (READ_DATABASE_URL);
   * absent or null: they read `database` itself. Writes, staff pages and checkpoints stay on the primary.
   */
  readonly readDatabaseUrl?: string | null;
  readonly eventStore: EventStoreTarget;
  /**
   * Signs staff sign-in cookies. Several api instances behind one address need the same one;
   * when absent, each process picks its own and staff sign in again after a restart.
   */
  readonly staffSessionSecret?: string | null;
  /**
   * The address the public reaches the tracker at (scheme, host, optional path; no trailing
   * slash). Absolute links in feeds are built from it, never from the request's Host header.
   * Absent only in hand-built configs, where `http://localhost:${port}` is meant.
   */
  readonly publicBaseUrl?: string;
  /**
   * An open commitment with no news for longer than this many months is stale (STALE_AFTER_MONTHS).
   * Absent only in hand-built configs, where the default (6) is meant.
   */
  readonly staleAfterMonths?: number;
  /** Following by email and webhook. Absent only in hand-built configs, where the defaults are meant. */
  readonly notifications?: NotificationSettings;
  /** Public answers kept in memory. Absent only in hand-built configs, where the defaults are meant. */
  readonly readCache?: ReadCacheSettings;
  /** Logs and readiness (LOG_LEVEL, READY_MAX_PROJECTION_LAG_SECONDS). Absent only in hand-built configs: silent logs, 30 s. */
  readonly operations?: OperationsSettings;
}

/** Public answers kept in memory and dropped by what the projections apply (issue 15). */
export interface ReadCacheSettings {
  /** Bytes kept at most (READ_CACHE_MB, default 64; 0 turns the cache off). */
  readonly maxBytes: number;
  /** An answer is drawn again after this long however quiet the log (READ_CACHE_MAX_AGE_SECONDS, default 60). */
  readonly maxAgeMs: number;
}

export const DEFAULT_READ_CACHE: ReadCacheSettings = { maxBytes: 64 * 1024 * 1024, maxAgeMs: 60_000 };

/** The read cache settings of a config, with their defaults. */
export const readCacheOf = (config: Pick<AppConfig, 'readCache'>): ReadCacheSettings => config.readCache ?? DEFAULT_READ_CACHE;

/** How notifications are sent (issue 14). */
export interface NotificationSettings {
  /** Run the notifier (follows the log, sends mail and webhooks) in this process (RUN_NOTIFIER, default RUN_PROJECTOR). */
  readonly run: boolean;
  /** SMTP_URL, such as smtps://user:pass@mail.example.org:465; null: messages are written as files to `mailDirectory`. */
  readonly smtpUrl: string | null;
  /** Where messages go when no SMTP server is configured: DATA_DIR/mail. */
  readonly mailDirectory: string;
  /** The From address (MAIL_FROM). */
  readonly mailFrom: string;
  /** Webhooks may target loopback and private addresses (WEBHOOK_ALLOW_PRIVATE_TARGETS, default false). */
  readonly webhookAllowPrivateTargets: boolean;
  /** Failed attempts after which a delivery is parked (DELIVERY_MAX_ATTEMPTS, default 8). */
  readonly maxAttempts: number;
  /** The first pause before a retry, doubling each time with jitter (DELIVERY_RETRY_FIRST_MS, default 30000). */
  readonly retryFirstMs: number;
  /**
   * How long a sender holds a delivery it is sending (DELIVERY_LEASE_SECONDS, default 60): another
   * instance, or this one after a crash, takes it up once the lease has run out. Sends time out at half of it.
   */
  readonly leaseSeconds: number;
  /** The hour of the day (UTC) digests go out (DIGEST_HOUR_UTC, default 7). */
  readonly digestHourUtc: number;
  /** Sign-ups one address (IP) may make per hour (FOLLOW_SIGNUPS_PER_HOUR, default 10). */
  readonly signupsPerHour: number;
}

/**
 * For a one-shot CLI that boots the whole api to reach its queries: nothing follows the log,
 * sends notifications or seeds the record while it runs (the api does that, and a CLI that did
 * would deliver mail from a terminal).
 */
export const forOneShotCli = (config: AppConfig): AppConfig => ({
  ...config,
  runProjector: false,
  seedDirectory: null,
  notifications: { ...notificationSettingsOf(config), run: false },
});

/** The notification settings of a config, with their defaults. */
export const notificationSettingsOf = (
  config: Pick<AppConfig, 'notifications' | 'runProjector' | 'port' | 'publicBaseUrl' | 'database'>,
): NotificationSettings =>
  config.notifications ?? {
    run: config.runProjector,
    smtpUrl: null,
    // A hand-built config (a test's) with no DATA_DIR of its own writes mail outside the checkout.
    mailDirectory:
      config.database.kind === 'embedded' && config.database.dataDir !== 'memory://'
        ? join(config.database.dataDir, 'mail')
        : join(tmpdir(), 'commitment-tracker-mail'),
    mailFrom: `Commitment tracker <tracker@${new URL(publicBaseUrlOf(config)).hostname}>`,
    webhookAllowPrivateTargets: false,
    maxAttempts: 8,
    retryFirstMs: 30_000,
    leaseSeconds: 60,
    digestHourUtc: 7,
    signupsPerHour: 10,
  };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface OperationsSettings {
  readonly logLevel: LogLevel;
  /** A projection further behind the log than this (in seconds) makes the api not ready. */
  readonly maxProjectionLagSeconds: number;
  /**
   * A read replica further behind its primary than this (in seconds) makes the api not ready
   * (READY_MAX_REPLICA_LAG_SECONDS). Absent only in hand-built configs: DEFAULT_MAX_REPLICA_LAG_SECONDS.
   */
  readonly maxReplicaLagSeconds?: number;
}

export const DEFAULT_MAX_REPLICA_LAG_SECONDS = 10;

/** The operations settings of a config, with the defaults of a hand-built one (tests): nothing logged. */
export const operationsOf = (config: Pick<AppConfig, 'operations'>): OperationsSettings =>
  config.operations ?? { logLevel: 'silent', maxProjectionLagSeconds: 30 };

const MOST_STALE_AFTER_MONTHS = 120;

/** The stale period of a config, with its default. */
export const staleAfterMonthsOf = (config: Pick<AppConfig, 'staleAfterMonths'>): number =>
  config.staleAfterMonths ?? DEFAULT_STALE_AFTER_MONTHS;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Parses the environment once, at boot. Everything else receives the typed result;
 * a bad value stops the boot with a message naming the variable.
 */
export function loadConfig(env: Environment, cwd: string): AppConfig {
  const port = parsePort(env);
  const runProjector = parseBoolean(env, 'RUN_PROJECTOR', true);
  const publicBaseUrl = parsePublicBaseUrl(env, port);
  return {
    port,
    writeRateLimitPerMinute: parsePositiveInteger(env, 'WRITE_RATE_LIMIT_PER_MINUTE', 120),
    runProjector,
    seedDirectory: parseBoolean(env, 'SEED_RECORD', true) ? resolve(cwd, present(env, 'SEED_DIR') ?? './data/sessions') : null,
    database: parseDatabase(env, cwd),
    readDatabaseUrl: parseReadDatabaseUrl(env),
    eventStore: parseEventStore(env),
    staffSessionSecret: parseSecret(env, 'STAFF_SESSION_SECRET'),
    publicBaseUrl,
    staleAfterMonths: parseStaleAfterMonths(env),
    notifications: parseNotifications(env, cwd, runProjector, publicBaseUrl),
    readCache: parseReadCache(env),
    operations: {
      logLevel: parseLogLevel(env),
      maxProjectionLagSeconds: parsePositiveInteger(env, 'READY_MAX_PROJECTION_LAG_SECONDS', 30),
      maxReplicaLagSeconds: parsePositiveInteger(env, 'READY_MAX_REPLICA_LAG_SECONDS', DEFAULT_MAX_REPLICA_LAG_SECONDS),
    },
  };
}

function parseReadCache(env: Environment): ReadCacheSettings {
  const megabytes = present(env, 'READ_CACHE_MB');
  let maxBytes = DEFAULT_READ_CACHE.maxBytes;
  if (megabytes !== undefined) {
    if (!/^\d+$/.test(megabytes) || Number(megabytes) > 65_536)
      throw new ConfigError('READ_CACHE_MB', `must be a whole number of megabytes from 0 (off) to 65536, got "${megabytes}"`);
    maxBytes = Number(megabytes) * 1024 * 1024;
  }
  const seconds = present(env, 'READ_CACHE_MAX_AGE_SECONDS');
  let maxAgeMs = DEFAULT_READ_CACHE.maxAgeMs;
  if (seconds !== undefined) {
    if (!/^\d+$/.test(seconds) || Number(seconds) < 1 || Number(seconds) > 86_400)
      throw new ConfigError('READ_CACHE_MAX_AGE_SECONDS', `must be a whole number of seconds from 1 to 86400, got "${seconds}"`);
    maxAgeMs = Number(seconds) * 1000;
  }
  return { maxBytes, maxAgeMs };
}

function parseNotifications(env: Environment, cwd: string, runProjector: boolean, publicBaseUrl: string): NotificationSettings {
  const smtpUrl = present(env, 'SMTP_URL') ?? null;
  if (smtpUrl !== null) {
    let protocol: string;
    try {
      protocol = new URL(smtpUrl).protocol;
    } catch {
      throw new ConfigError('SMTP_URL', 'must be a URL such as smtps://user:password@mail.example.org:465');
    }
    if (protocol !== 'smtp:' && protocol !== 'smtps:')
      throw new ConfigError('SMTP_URL', `must use smtp:// or smtps://, got "${protocol}"`);
  }
  const mailFrom = present(env, 'MAIL_FROM') ?? `Commitment tracker <tracker@${new URL(publicBaseUrl).hostname}>`;
  if (!/@[^\s@<>]+>?$/.test(mailFrom) || /[\r\n]/.test(mailFrom))
    throw new ConfigError('MAIL_FROM', `must be an address such as "Tracker <tracker@example.org>", got "${mailFrom}"`);
  const hour = present(env, 'DIGEST_HOUR_UTC') ?? '7';
  if (!/^\d{1,2}$/.test(hour) || Number(hour) > 23)
    throw new ConfigError('DIGEST_HOUR_UTC', `must be an hour from 0 to 23, got "${hour}"`);
  const digestHourUtc = Number(hour);
  return {
    run: parseBoolean(env, 'RUN_NOTIFIER', runProjector),
    smtpUrl,
    mailDirectory: resolve(cwd, present(env, 'DATA_DIR') ?? './data', 'mail'),
    mailFrom,
    webhookAllowPrivateTargets: parseBoolean(env, 'WEBHOOK_ALLOW_PRIVATE_TARGETS', false),
    maxAttempts: parsePositiveInteger(env, 'DELIVERY_MAX_ATTEMPTS', 8),
    retryFirstMs: parsePositiveInteger(env, 'DELIVERY_RETRY_FIRST_MS', 30_000),
    leaseSeconds: parsePositiveInteger(env, 'DELIVERY_LEASE_SECONDS', 60),
    digestHourUtc,
    signupsPerHour: parsePositiveInteger(env, 'FOLLOW_SIGNUPS_PER_HOUR', 10),
  };
}

/** The public base URL of a config, with its default. */
export const publicBaseUrlOf = (config: Pick<AppConfig, 'port' | 'publicBaseUrl'>): string =>
  config.publicBaseUrl ?? `http://localhost:${config.port}`;

function parsePublicBaseUrl(env: Environment, port: number): string {
  const raw = present(env, 'PUBLIC_BASE_URL');
  if (raw === undefined) return `http://localhost:${port}`;
  const reason = 'must be an absolute http:// or https:// URL with no query or fragment, such as https://tracker.example.org';
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError('PUBLIC_BASE_URL', reason);
  }
  if (
    (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') ||
    parsed.hostname === '' ||
    parsed.username !== '' ||
    parsed.password !== '' ||
    parsed.search !== '' ||
    parsed.hash !== '' ||
    raw.includes('?') ||
    raw.includes('#')
  ) {
    throw new ConfigError('PUBLIC_BASE_URL', `${reason}, got "${raw}"`);
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

function present(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function parsePort(env: Environment): number {
  const raw = present(env, 'PORT');
  if (raw === undefined) return 3000;
  if (!/^\d+$/.test(raw)) throw new ConfigError('PORT', `must be a whole number, got "${raw}"`);
  const port = Number(raw);
  if (port < 1 || port > 65535) throw new ConfigError('PORT', `must be between 1 and 65535, got ${port}`);
  return port;
}

function parsePositiveInteger(env: Environment, name: string, fallback: number): number {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new ConfigError(name, `must be a whole number of at least 1, got "${raw}"`);
  return Number(raw);
}

function parseStaleAfterMonths(env: Environment): number {
  const months = parsePositiveInteger(env, 'STALE_AFTER_MONTHS', DEFAULT_STALE_AFTER_MONTHS);
  if (months > MOST_STALE_AFTER_MONTHS)
    throw new ConfigError('STALE_AFTER_MONTHS', `must be at most ${MOST_STALE_AFTER_MONTHS} months, got ${months}`);
  return months;
}

function parseLogLevel(env: Environment): LogLevel {
  const raw = present(env, 'LOG_LEVEL')?.toLowerCase();
  if (raw === undefined) return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw))
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return raw as LogLevel;
}

function parseBoolean(env: Environment, name: string, fallback: boolean): boolean {
  const raw = present(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function parseSecret(env: Environment, name: string): string | null {
  const raw = present(env, name);
  if (raw === undefined) return null;
  if (raw.length < 32) throw new ConfigError(name, `must be at least 32 characters, got ${raw.length}`);
  return raw;
}

function parseDatabase(env: Environment, cwd: string): DatabaseTarget {
  const url = present(env, 'DATABASE_URL');
  if (url !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError('DATABASE_URL', 'must be a URL such as postgres://user@host:5432/db');
    }
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
      throw new ConfigError('DATABASE_URL', `must use postgres:// or postgresql://, got "${parsed.protocol}"`);
    }
    return { kind: 'server', url };
  }
  const dataDir = present(env, 'DATA_DIR') ?? './data';
  if (/[\0]/.test(dataDir)) throw new ConfigError('DATA_DIR', 'must be a file system path');
  return { kind: 'embedded', dataDir: isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir) };
}

function parseReadDatabaseUrl(env: Environment): string | null {
  const url = present(env, 'READ_DATABASE_URL');
  if (url === undefined) return null;
  if (present(env, 'DATABASE_URL') === undefined)
    throw new ConfigError(
      'READ_DATABASE_URL',
      'needs DATABASE_URL: a replica follows a PostgreSQL server, not the embedded database',
    );
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('READ_DATABASE_URL', 'must be a URL such as postgres://user@replica:5432/db');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    throw new ConfigError('READ_DATABASE_URL', `must use postgres:// or postgresql://, got "${parsed.protocol}"`);
  return url;
}

function parseEventStore(env: Environment): EventStoreTarget {
  const connectionString = present(env, 'EVENTSTORE_CONNECTION_STRING');
  if (connectionString === undefined) return { kind: 'postgres' };
  if (!/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb|kdb\+discover):\/\/.+/.test(connectionString)) {
    throw new ConfigError(
      'EVENTSTORE_CONNECTION_STRING',
      'must be an EventStoreDB connection string such as esdb://localhost:2113?tls=false',
    );
  }
  return { kind: 'eventstoredb', connectionString };
}
