import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';

/**
 * On SIGTERM (or SIGINT): stop accepting connections, let the requests in flight finish (for at
 * most `graceMs`), then close the app: the projector finishes its batch and commits, so its
 * transaction-scoped lock is released, then storage closes. Exits 0.
 */
export function shutDownGracefully(app: INestApplication, logger: Logger, { graceMs = 10_000 } = {}): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Shutting down: no new connections; finishing the requests in flight');
    const server = app.getHttpServer() as Server;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // A keep-alive connection whose request has finished is closed at once, not after its timeout.
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const cutOff = setTimeout(() => {
      logger.warn(`Requests still in flight after ${graceMs} ms: closing their connections`);
      server.closeAllConnections();
    }, graceMs);
    let code = 0;
    try {
      await closed;
      clearInterval(idle);
      clearTimeout(cutOff);
      await app.close();
      logger.info('Stopped');
    } catch (error) {
      logger.error({ err: error }, 'Shutdown failed');
      code = 1;
    }
    logger.flush();
    process.exit(code);
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}
