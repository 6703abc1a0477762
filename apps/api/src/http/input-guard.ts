import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { CLEAN_TEXT_RULE, isCleanText } from '#governance';
import type { ErrorBody } from './error.filter.js';

/** Deeper than any body, form, query or session file of this API needs; refused before anything recurses into it. */
export const MAX_NESTING = 32;
export const NESTING_RULE = `is nested more than ${MAX_NESTING} deep`;

// Names JSON.parse keeps as own keys, which class-transformer then silently skips: refused, not ignored.
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
export const PROTOTYPE_KEY_RULE = 'is not a known field';

export interface InputProblem {
  /** Where the problem is: object keys and list indexes from the root. */
  readonly path: readonly (string | number)[];
  readonly reason: string;
}

/**
 * The checks every input gets before it is read: no text (values and field names) with a NUL or
 * a lone surrogate, no `__proto__`-like field names, no nesting deeper than {@link MAX_NESTING}. Iterative, so a hostile depth
 * cannot overflow the stack; stops after `limit` problems.
 */
export function inspectInput(root: unknown, limit = 20): InputProblem[] {
  const problems: InputProblem[] = [];
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }];
  while (pending.length > 0 && problems.length < limit) {
    const { value, path } = pending.pop()!;
    if (typeof value === 'string') {
      if (!isCleanText(value)) problems.push({ path, reason: CLEAN_TEXT_RULE });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= MAX_NESTING) {
      problems.push({ path, reason: NESTING_RULE });
      continue;
    }
    const children: { value: unknown; path: (string | number)[] }[] = [];
    if (Array.isArray(value)) value.forEach((item, index) => children.push({ value: item, path: [...path, index] }));
    else {
      for (const [key, item] of Object.entries(value)) {
        if (!isCleanText(key)) problems.push({ path: [...path, key], reason: CLEAN_TEXT_RULE });
        else if (PROTOTYPE_KEYS.has(key)) problems.push({ path: [...path, key], reason: PROTOTYPE_KEY_RULE });
        else children.push({ value: item, path: [...path, key] });
      }
    }
    // Depth first, in document order.
    pending.push(...children.reverse());
  }
  return problems;
}

/** `['changes', 'speaker', 'name']` → `changes.speaker.name`; `['topics', 0]` → `topics[0]`. */
export function fieldPath(path: readonly (string | number)[], root = ''): string {
  return path.reduce<string>(
    (field, segment) => (typeof segment === 'number' ? `${field}[${segment}]` : field === '' ? segment : `${field}.${segment}`),
    root,
  );
}

/**
 * The same checks on a parsed JSON body, as middleware right after the body parsers:
 * guards and interceptors (the idempotency fingerprint among them) read the body before any
 * pipe does, so a hostile depth must be refused before they run.
 */
export function inputGuardMiddleware(): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const body: unknown = request.body;
    // Forms are flat (urlencoded, not extended): their pipes check them and answer with the page.
    if (typeof body !== 'object' || body === null || !request.is('json')) return next();
    const problems = inspectInput(body);
    if (problems.length === 0) return next();
    const errors = problems.map(({ path, reason }) => ({ field: fieldPath(path) || 'body', reason }));
    const answer: ErrorBody = {
      statusCode: 400,
      error: 'Bad Request',
      message: errors.map(({ field, reason }) => `${field}: ${reason}`).join('; '),
      errors,
    };
    response.status(400).json(answer);
  };
}
