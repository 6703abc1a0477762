import { ConfigError, forOneShotCli, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('defaults to port 3000, the embedded database under ./data and PostgreSQL events', () => {
    expect(loadConfig({}, '/srv/tracker')).toEqual({
      port: 3000,
      writeRateLimitPerMinute: 120,
      runProjector: true,
      seedDirectory: '/srv/tracker/data/sessions',
      database: { kind: 'embedded', dataDir: '/srv/tracker/data' },
      eventStore: { kind: 'postgres' },
      staffSessionSecret: null,
      publicBaseUrl: 'http://localhost:3000',
      staleAfterMonths: 6,
      notifications: {
        run: true,
        smtpUrl: null,
        mailDirectory: '/srv/tracker/data/mail',
        mailFrom: 'Commitment tracker <tracker@localhost>',
        webhookAllowPrivateTargets: false,
        maxAttempts: 8,
        retryFirstMs: 30_000,
        leaseSeconds: 60,
        digestHourUtc: 7,
        signupsPerHour: 10,
      },
      readCache: { maxBytes: 64 * 1024 * 1024, maxAgeMs: 60_000 },
      operations: { logLevel: 'info', maxProjectionLagSeconds: 30, maxReplicaLagSeconds: 10 },
      readDatabaseUrl: null,
    });
  });

  it('uses a server database when DATABASE_URL is set, and EventStoreDB when its connection string is', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        WRITE_RATE_LIMIT_PER_MINUTE: '30',
        RUN_PROJECTOR: 'false',
        SEED_RECORD: 'false',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tracker',
        EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
        STAFF_SESSION_SECRET: 'a-secret-shared-by-every-api-instance',
        STALE_AFTER_MONTHS: '12',
        LOG_LEVEL: 'WARN',
        READY_MAX_PROJECTION_LAG_SECONDS: '5',
        READ_DATABASE_URL: 'postgres://postgres@127.0.0.1:5433/tracker',
        READY_MAX_REPLICA_LAG_SECONDS: '3',
      },
      '/srv',
    );
    expect(config).toEqual({
      port: 8080,
      writeRateLimitPerMinute: 30,
      runProjector: false,
      seedDirectory: null,
      database: { kind: 'server', url: 'postgres://postgres@127.0.0.1:5432/tracker' },
      readDatabaseUrl: 'postgres://postgres@127.0.0.1:5433/tracker',
      eventStore: { kind: 'eventstoredb', connectionString: 'esdb://localhost:2113?tls=false' },
      staffSessionSecret: 'a-secret-shared-by-every-api-instance',
      publicBaseUrl: 'http://localhost:8080',
      staleAfterMonths: 12,
      notifications: expect.objectContaining({ run: false, smtpUrl: null }),
      readCache: expect.any(Object),
      operations: { logLevel: 'warn', maxProjectionLagSeconds: 5, maxReplicaLagSeconds: 3 },
    });
  });

  it('reads the read cache settings (0 turns it off), and names a bad one', () => {
    expect(loadConfig({ READ_CACHE_MB: '0', READ_CACHE_MAX_AGE_SECONDS: '5' }, '/srv').readCache).toEqual({
      maxBytes: 0,
      maxAgeMs: 5000,
    });
    expect(() => loadConfig({ READ_CACHE_MB: '-1' }, '/srv')).toThrow(/READ_CACHE_MB must be a whole number/);
    expect(() => loadConfig({ READ_CACHE_MAX_AGE_SECONDS: '0' }, '/srv')).toThrow(/READ_CACHE_MAX_AGE_SECONDS/);
  });

  it('reads the notification settings, and names a bad one', () => {
    const config = loadConfig(
      {
        SMTP_URL: 'smtp://mailer:secret@127.0.0.1:2525',
        MAIL_FROM: 'Tracker <tracker@example.org>',
        RUN_PROJECTOR: 'false',
        RUN_NOTIFIER: 'true',
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        DELIVERY_MAX_ATTEMPTS: '3',
        DIGEST_HOUR_UTC: '0',
        DATA_DIR: '/var/lib/tracker',
      },
      '/srv',
    );
    expect(config.notifications).toEqual(
      expect.objectContaining({
        run: true,
        smtpUrl: 'smtp://mailer:secret@127.0.0.1:2525',
        mailFrom: 'Tracker <tracker@example.org>',
        mailDirectory: '/var/lib/tracker/mail',
        webhookAllowPrivateTargets: true,
        maxAttempts: 3,
        digestHourUtc: 0,
      }),
    );
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.org' }, '/srv')).toThrow(/SMTP_URL must use smtp/);
    expect(() => loadConfig({ DIGEST_HOUR_UTC: '24' }, '/srv')).toThrow(/DIGEST_HOUR_UTC/);
    expect(() => loadConfig({ MAIL_FROM: 'nobody' }, '/srv')).toThrow(/MAIL_FROM/);
  });

  it('takes the public base URL as configured, without a trailing slash', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://tracker.example.org/' }, '/srv').publicBaseUrl).toBe(
      'https://tracker.example.org',
    );
    expect(loadConfig({ PUBLIC_BASE_URL: 'http://192.168.1.5:3000/tracker/' }, '/srv').publicBaseUrl).toBe(
      'http://192.168.1.5:3000/tracker',
    );
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: ' ', DATA_DIR: '/var/lib/tracker' }, '/srv').database).toEqual({
      kind: 'embedded',
      dataDir: '/var/lib/tracker',
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '0' }, 'PORT'],
    [{ WRITE_RATE_LIMIT_PER_MINUTE: '0' }, 'WRITE_RATE_LIMIT_PER_MINUTE'],
    [{ RUN_PROJECTOR: 'sometimes' }, 'RUN_PROJECTOR'],
    [{ SEED_RECORD: 'yes please' }, 'SEED_RECORD'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
    [{ EVENTSTORE_CONNECTION_STRING: 'http://localhost:2113' }, 'EVENTSTORE_CONNECTION_STRING'],
    [{ STAFF_SESSION_SECRET: 'too short' }, 'STAFF_SESSION_SECRET'],
    [{ PUBLIC_BASE_URL: 'tracker.example.org' }, 'PUBLIC_BASE_URL'],
    [{ PUBLIC_BASE_URL: '/tracker' }, 'PUBLIC_BASE_URL'],
    [{ PUBLIC_BASE_URL: 'ftp://tracker.example.org' }, 'PUBLIC_BASE_URL'],
    [{ PUBLIC_BASE_URL: 'javascript:alert(1)' }, 'PUBLIC_BASE_URL'],
    [{ PUBLIC_BASE_URL: 'https://user:pw@tracker.example.org' }, 'PUBLIC_BASE_URL'],
    [{ PUBLIC_BASE_URL: 'https://tracker.example.org/?x=1' }, 'PUBLIC_BASE_URL'],
    [{ STALE_AFTER_MONTHS: '0' }, 'STALE_AFTER_MONTHS'],
    [{ STALE_AFTER_MONTHS: 'six' }, 'STALE_AFTER_MONTHS'],
    [{ STALE_AFTER_MONTHS: '2.5' }, 'STALE_AFTER_MONTHS'],
    [{ STALE_AFTER_MONTHS: '121' }, 'STALE_AFTER_MONTHS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ READY_MAX_PROJECTION_LAG_SECONDS: '0' }, 'READY_MAX_PROJECTION_LAG_SECONDS'],
    [{ READ_DATABASE_URL: 'postgres://127.0.0.1:5433/tracker' }, 'READ_DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://127.0.0.1/t', READ_DATABASE_URL: 'mysql://127.0.0.1/t' }, 'READ_DATABASE_URL'],
    [{ READY_MAX_REPLICA_LAG_SECONDS: '0' }, 'READY_MAX_REPLICA_LAG_SECONDS'],
  ])('rejects %p naming %s', (env, variable) => {
    const attempt = () => loadConfig(env, '/srv');
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });
});

describe('forOneShotCli', () => {
  it('keeps where the data is and turns off what follows the log, sends notifications or seeds the record', () => {
    const loaded = loadConfig({ DATA_DIR: './somewhere', SMTP_URL: 'smtp://mail.example.org:25' }, '/srv/tracker');
    expect({ projector: loaded.runProjector, notifier: loaded.notifications?.run, seed: loaded.seedDirectory }).toEqual({
      projector: true,
      notifier: true,
      seed: '/srv/tracker/data/sessions',
    });
    const cli = forOneShotCli(loaded);
    expect({ projector: cli.runProjector, notifier: cli.notifications?.run, seed: cli.seedDirectory }).toEqual({
      projector: false,
      notifier: false,
      seed: null,
    });
    expect(cli.database).toEqual(loaded.database);
    expect(cli.notifications?.smtpUrl).toBe('smtp://mail.example.org:25');
  });
});
