import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { IdempotencyConflictError, InvalidAppendError, WrongExpectedRevisionError } from '#event-store';
import { IllegalStateError, InvalidValueError, RuleViolationError } from '#governance';
import { ConcurrencyConflictError, NotFoundError, PreconditionFailedError } from '../command-handling/errors.js';
import { Pages, wantsHtml } from '../pages/pages.js';
import { SessionFileError } from '../session-files/session-file.js';

export interface ErrorBody {
  readonly statusCode: number;
  readonly error: string;
  /** A sentence a person understands. */
  readonly message: string;
  /** For a 400, each offending field and why; for a refusal about one input field (a 404, 409 or 422), that field. */
  readonly errors?: readonly { readonly entry?: string; readonly field: string; readonly reason: string }[];
}

/** The small error taxonomy, mapped to HTTP in this one place. */
const statusByError = new Map<new (...args: never[]) => Error, HttpStatus>([
  [NotFoundError, HttpStatus.NOT_FOUND],
  [IllegalStateError, HttpStatus.CONFLICT],
  [RuleViolationError, HttpStatus.UNPROCESSABLE_ENTITY],
  [PreconditionFailedError, HttpStatus.PRECONDITION_FAILED],
  [ConcurrencyConflictError, HttpStatus.CONFLICT],
  [WrongExpectedRevisionError, HttpStatus.CONFLICT],
  [IdempotencyConflictError, HttpStatus.CONFLICT],
  [InvalidAppendError, HttpStatus.BAD_REQUEST],
]);

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  /** With pages, a browser gets the error as a page; API clients always get JSON. */
  constructor(private readonly pages?: Pages) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500)
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    const request = host.switchToHttp().getRequest<Request>();
    if (this.pages && wantsHtml(request)) {
      response
        .status(body.statusCode)
        .type('html')
        .send(this.pages.render('errorPage', { error: body }));
      return;
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const payload = exception.getResponse();
      if (typeof payload === 'object' && payload !== null) {
        const { message, errors } = payload as { message?: unknown; errors?: ErrorBody['errors'] };
        return {
          statusCode,
          error: reasonPhrase(statusCode),
          message: Array.isArray(message) ? message.join('; ') : String(message ?? exception.message),
          ...(errors ? { errors } : {}),
        };
      }
      return { statusCode, error: reasonPhrase(statusCode), message: String(payload) };
    }
    if (exception instanceof SessionFileError) {
      // A file is refused whole: every problem, each naming its entry and field.
      return { statusCode: 422, error: reasonPhrase(422), message: exception.message, errors: exception.problems };
    }
    if (exception instanceof InvalidValueError) {
      // A value the API let through but the domain refuses: named like any bad field.
      const statusCode = HttpStatus.BAD_REQUEST;
      return {
        statusCode,
        error: reasonPhrase(statusCode),
        message: exception.message,
        errors: [{ field: exception.field, reason: exception.reason }],
      };
    }
    if (exception instanceof Error) {
      for (const [errorClass, statusCode] of statusByError) {
        if (!(exception instanceof errorClass)) continue;
        const field = fieldOf(exception);
        return {
          statusCode,
          error: reasonPhrase(statusCode),
          message: exception.message,
          ...(field === undefined ? {} : { errors: [{ field, reason: exception.message }] }),
        };
      }
    }
    return {
      statusCode: 500,
      error: reasonPhrase(500),
      message: 'Something went wrong on our side; nothing was changed by this request.',
    };
  }
}

/** The input field a domain refusal or a 404 is about, when it names one. */
function fieldOf(exception: Error): string | undefined {
  if (exception instanceof RuleViolationError || exception instanceof IllegalStateError) return exception.field;
  if (exception instanceof NotFoundError) return exception.subject.field;
  return undefined;
}

function reasonPhrase(statusCode: number): string {
  const name = HttpStatus[statusCode];
  return name
    ? name.toLowerCase().replace(/(^|_)(\w)/g, (_, gap: string, letter: string) => (gap ? ' ' : '') + letter.toUpperCase())
    : 'Error';
}
