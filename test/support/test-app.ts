import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { AppConfig } from '#config';
import { EVENT_STORE, type EventStore } from '#event-store';
import { AppModule } from '../../apps/api/src/app.module.js';
import { StaffTokens } from '../../apps/api/src/auth/staff-tokens.js';
import { CLOCK, type Clock } from '../../apps/api/src/command-handling/clock.js';
import type { Role } from '../../apps/api/src/auth/roles.js';
import { configureHttp } from '../../apps/api/src/http/configure-http.js';
import { LOGGER } from '../../apps/api/src/operations/logging.js';
import type { Logger } from 'pino';

export interface TestApp {
  readonly app: INestApplication;
  readonly http: ReturnType<typeof request>;
  readonly store: EventStore;
  /** Issues a real token, stored hashed like any other. */
  token(subject: string, role: Role): Promise<string>;
  close(): Promise<void>;
}

/**
 * The api in-process, configured exactly as main.ts does, on real PostgreSQL when
 * DATABASE_URL is set (CI) and on in-memory PGlite otherwise.
 */
export async function startTestApp(
  overrides: Partial<AppConfig> = {},
  /** `clock`: the time the api reads, in place of the system's; `logger`: where its JSON log lines go. */
  options: { readonly clock?: Clock; readonly logger?: Logger } = {},
): Promise<TestApp> {
  const url = process.env.DATABASE_URL?.trim();
  const config: AppConfig = {
    port: 0,
    writeRateLimitPerMinute: 100_000,
    runProjector: true,
    seedDirectory: null,
    database: url ? { kind: 'server', url } : { kind: 'embedded', dataDir: 'memory://' },
    eventStore: { kind: 'postgres' },
    ...overrides,
  };
  const builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  if (options.clock) builder.overrideProvider(CLOCK).useValue(options.clock);
  if (options.logger) builder.overrideProvider(LOGGER).useValue(options.logger);
  const module = await builder.compile();
  const app = module.createNestApplication({ logger: ['error'] });
  configureHttp(app, config);
  app.enableShutdownHooks();
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    store: app.get<EventStore>(EVENT_STORE),
    token: async (subject, role) => (await app.get(StaffTokens).issue(subject, role)).token,
    close: () => app.close(),
  };
}
