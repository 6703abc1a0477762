import { isAbsolute, resolve } from 'node:path';
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
  /** Logs and readiness (LOG_LEVEL, READY_MAX_PROJECTION_LAG_SECONDS). Absent only in hand-built configs: silent logs, 30 s. */
  readonly operations?: OperationsSettings;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface OperationsSettings {
  readonly logLevel: LogLevel;
  /** A projection further behind the log than this (in seconds) makes the api not ready. */
  readonly maxProjectionLagSeconds: number;
}

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
  return {
    port,
    writeRateLimitPerMinute: parsePositiveInteger(env, 'WRITE_RATE_LIMIT_PER_MINUTE', 120),
    runProjector: parseBoolean(env, 'RUN_PROJECTOR', true),
    seedDirectory: parseBoolean(env, 'SEED_RECORD', true) ? resolve(cwd, present(env, 'SEED_DIR') ?? './data/sessions') : null,
    database: parseDatabase(env, cwd),
    eventStore: parseEventStore(env),
    staffSessionSecret: parseSecret(env, 'STAFF_SESSION_SECRET'),
    publicBaseUrl: parsePublicBaseUrl(env, port),
    staleAfterMonths: parseStaleAfterMonths(env),
    operations: {
      logLevel: parseLogLevel(env),
      maxProjectionLagSeconds: parsePositiveInteger(env, 'READY_MAX_PROJECTION_LAG_SECONDS', 30),
    },
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
