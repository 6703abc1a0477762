import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, operationsOf } from '#config';
import { AppModule } from './app.module.js';
import { configureHttp } from './http/configure-http.js';
import { createLogger, LOGGER, PinoNestLogger } from './operations/logging.js';
import { shutDownGracefully } from './operations/shutdown.js';
import type { Logger as Pino } from 'pino';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, process.cwd());
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  // Nest's boot lines go through pino from the start, each with its own time.
  const app = await NestFactory.create(AppModule.forRoot(config), {
    logger: new PinoNestLogger(createLogger(operationsOf(config).logLevel)),
  });
  const logger = app.get<Pino>(LOGGER);
  configureHttp(app, config);
  shutDownGracefully(app, logger);
  await app.listen(config.port, '0.0.0.0');
  new Logger('Bootstrap').log(`Commitment tracker listening on http://localhost:${config.port}`);
}

await bootstrap();
