import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { publicBaseUrlOf, type AppConfig } from '#config';
import { StaffTokens } from '../auth/staff-tokens.js';
import { Pages } from '../pages/pages.js';
import { LOGGER, requestLogging } from '../operations/logging.js';
import { MetricsService } from '../operations/metrics.js';
import { SESSION_FILE_TYPES } from '../session-files/session-files.controller.js';
import { PublicAnswers } from '../read-cache/public-answers.js';
import { answerKeptFirst, publicReadCache } from '../read-cache/public-read-cache.middleware.js';
import { CLOCK, type Clock } from '../command-handling/clock.js';
import { ErrorFilter } from './error.filter.js';
import { inputGuardMiddleware } from './input-guard.js';
import { securityHeaders } from './security-headers.js';
import { validationPipe } from './validation.js';
import { writeRateLimit } from './write-rate-limit.js';

export const OPENAPI_JSON_PATH = '/api/openapi.json';
export const BODY_LIMIT = '100kb';
export const SESSION_FILE_LIMIT = '256kb';

/** Everything HTTP-wide, shared by main.ts and the end-to-end tests so both run the same app. */
export function configureHttp(
  app: INestApplication,
  config: Pick<AppConfig, 'writeRateLimitPerMinute' | 'port' | 'publicBaseUrl'>,
): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  // Timed first, so every request Express sees is counted (a hit from memory is timed ahead of
  // it). Then the public read path, which needs nothing below; what it draws is logged with its id.
  const metrics = app.get(MetricsService);
  app.use(metrics.httpMiddleware());
  const clock = app.get<Clock>(CLOCK);
  const answers = app.get(PublicAnswers);
  // The reading day, as ReadingDays has it, without working out its stale cutoff on every request.
  const today = () => clock.now().toISOString().slice(0, 10);
  // A kept answer is written before Express sees the request (its request and response objects
  // and middleware stack cost more than the answer itself); the rest is drawn and kept below.
  answerKeptFirst(app.getHttpServer() as Server, answers, today, (route, status, started) =>
    metrics.observeRequest('GET', route ?? 'unmatched', status, started),
  );
  app.use(publicReadCache(answers, today));
  metrics.onScrape(() => {
    const { hits, misses } = answers.stats();
    metrics.gauge('cacheHitRatio').set({ cache: 'public_reads' }, hits + misses === 0 ? 0 : hits / (hits + misses));
  });
  app.use(requestLogging(app.get(LOGGER)));
  express.useBodyParser('json', { limit: BODY_LIMIT });
  // The staff forms of the pages post as HTML forms do; no nested objects are read from them.
  express.useBodyParser('urlencoded', { extended: false, limit: BODY_LIMIT });
  // Session files arrive as YAML text and edited exports as CSV. A session's record is tens of
  // kilobytes; parsing YAML blocks the event loop, so a file is held to a bound well above that.
  // An export of every commitment is larger, and CSV parses fast.
  express.useBodyParser('text', { type: [...SESSION_FILE_TYPES], limit: SESSION_FILE_LIMIT });
  express.useBodyParser('text', { type: ['text/csv'], limit: '2mb' });
  app.use(inputGuardMiddleware());
  app.use(helmet(securityHeaders(publicBaseUrlOf(config))));
  const tokens = app.get(StaffTokens);
  app.use(
    writeRateLimit(
      config.writeRateLimitPerMinute,
      async (request, token) => (await tokens.verifyOnce(request, token))?.tokenId ?? null,
    ),
  );
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ErrorFilter(app.get(Pages)));

  // Built on the first request for it (the docs page or the JSON), not at boot: walking every
  // route's metadata is a tenth of a second no first page should wait for.
  const document = () =>
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Commitment tracker')
        .setDescription(
          'Commitments made in public governance sessions, and what became of them. Reads are public; writes need a staff token (`Authorization: Bearer ctk_…`) with a role: staff < editor < admin.',
        )
        .setVersion('1')
        .addBearerAuth({
          type: 'http',
          scheme: 'bearer',
          // Opaque tokens, not JWTs: nothing can be read from them.
          bearerFormat: 'opaque',
          description: 'A staff token, `ctk_<id>_<secret>`, issued by an admin (`npm run tokens -- create`).',
        })
        .build(),
    );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: OPENAPI_JSON_PATH.slice(1) });
}
