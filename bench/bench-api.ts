import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { AppModule } from '../apps/api/src/app.module.js';
import { configureHttp } from '../apps/api/src/http/configure-http.js';
import { notificationSettingsOf, type AppConfig } from '../libs/config/src/index.js';

// What the benchmarks that load the api over HTTP share: the api itself and a scratch database.

/**
 * The api in-process on a loopback port, configured as main.ts does; without its projector unless
 * asked (the notifier never runs: no one follows anything in a benchmark's log).
 */
export async function startApi(
  scratchUrl: string,
  { runProjector = false }: { readonly runProjector?: boolean } = {},
): Promise<{ app: INestApplication; url: string }> {
  const base = {
    port: 0,
    writeRateLimitPerMinute: 100_000,
    runProjector,
    // The log is not empty, so the seed record would not load anyway; never seed a benchmark.
    seedDirectory: null,
    database: { kind: 'server', url: scratchUrl },
    eventStore: { kind: 'postgres' },
  } as const;
  const config: AppConfig = { ...base, notifications: notificationSettingsOf({ ...base, runProjector: false }) };
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    configureHttp(app, config);
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

/**
 * Last resort: past the total cap, drop the scratch database and leave, whatever is still
 * running. Returns the timer, to clear when the run ends in time.
 */
export function dropAndExitAfter(totalCapSeconds: number, baseUrl: string, database: string): NodeJS.Timeout {
  const watchdog = setTimeout(() => {
    console.error(`The run passed its total cap of ${totalCapSeconds} s; dropping ${database} and exiting`);
    const admin = new pg.Client({ connectionString: baseUrl });
    admin
      .connect()
      .then(() => admin.query(`drop database if exists ${database} with (force)`))
      .catch((error: unknown) => console.error(error))
      .finally(() => process.exit(1));
  }, totalCapSeconds * 1000);
  watchdog.unref();
  return watchdog;
}
