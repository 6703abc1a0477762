import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { LogLevel } from '#config';
import { HEADER_TOKEN } from '../http/write-context.js';

export const LOGGER = Symbol('Logger');

/** JSON lines on standard output (or `destination`), one object per line with an ISO time. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino({ level, timestamp: pino.stdTimeFunctions.isoTime, base: { pid: process.pid } }, destination);
}

/** The logger of the request being served (it carries the request id), for log lines written deep inside it. */
const requestLogger = new AsyncLocalStorage<Logger>();

const header = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' && HEADER_TOKEN.test(value) ? value : undefined;
};

/**
 * The request id: the caller's `X-Request-Id`, else its `X-Correlation-Id`, else a new UUID.
 * Sent back as `X-Request-Id`; commands record it as the events' correlation id unless the caller
 * named one (write-context.ts), so a log line and the events it caused carry the same id.
 */
export function requestIdFor(request: IncomingMessage): string {
  return header(request, 'x-request-id') ?? header(request, 'x-correlation-id') ?? randomUUID();
}

/** The id `requestLogging` gave this request, if it ran. */
export const requestIdOf = (request: IncomingMessage): string | undefined =>
  typeof (request as { id?: unknown }).id === 'string' ? (request as { id: string }).id : undefined;

/** Logs each request once it completes (method, route, status, time) with its id; never headers or bodies. */
export function requestLogging(logger: Logger) {
  const http = pinoHttp({
    logger,
    genReqId: (request: IncomingMessage, response: ServerResponse) => {
      const id = requestIdFor(request);
      response.setHeader('X-Request-Id', id);
      return id;
    },
    customAttributeKeys: { reqId: 'requestId' },
    // Every line of the request's logger carries `requestId` as a field of its own.
    quietReqLogger: true,
    serializers: {
      req: (request: { method: string; url: string }) => ({ method: request.method, url: request.url }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
    customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : 'info'),
  });
  return (request: IncomingMessage & { log?: Logger }, response: ServerResponse, next: () => void) => {
    http(request, response);
    requestLogger.run(request.log ?? logger, next);
  };
}

/** Nest's own log lines (boot, the projector, errors) through pino, inside a request with its id. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly root: Logger) {}

  private logger(): Logger {
    return requestLogger.getStore() ?? this.root;
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, optional: unknown[]): void {
    const context = typeof optional.at(-1) === 'string' ? (optional.at(-1) as string) : undefined;
    const logger = this.logger();
    if (message instanceof Error) logger[level]({ context, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) logger[level]({ context, ...message });
    else if (level === 'error' && typeof optional[0] === 'string' && optional.length > 1)
      logger.error({ context, stack: optional[0] }, String(message));
    else logger[level]({ context }, String(message));
  }

  log(message: unknown, ...optional: unknown[]): void {
    this.write('info', message, optional);
  }
  error(message: unknown, ...optional: unknown[]): void {
    this.write('error', message, optional);
  }
  warn(message: unknown, ...optional: unknown[]): void {
    this.write('warn', message, optional);
  }
  debug(message: unknown, ...optional: unknown[]): void {
    this.write('debug', message, optional);
  }
  verbose(message: unknown, ...optional: unknown[]): void {
    this.write('trace', message, optional);
  }
  fatal(message: unknown, ...optional: unknown[]): void {
    this.write('error', message, optional);
  }
}
