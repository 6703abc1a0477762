import pg from 'pg';

// The SQL the code under test sends, observed from inside the process: every `pg.Client`'s queries.

type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;

/**
 * Tells `observe` of every query any `pg.Client` in this process starts while `work` runs (the
 * api's and TypeORM's pools included); the function it returns is called when that query ends.
 * Streams (COPY) pass by unobserved.
 */
export async function observeQueries<T>(
  observe: (text: string, values: readonly unknown[], name: string | undefined) => () => void,
  work: () => Promise<T>,
): Promise<T> {
  const prototype = pg.Client.prototype as unknown as { query: QueryFn };
  const original = prototype.query;
  prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const [first, second] = args;
    const config =
      typeof first === 'object' && first !== null
        ? (first as { name?: string; text?: string; values?: unknown[]; submit?: unknown })
        : undefined;
    const text = typeof first === 'string' ? first : config?.text;
    if (text === undefined || typeof config?.submit === 'function') return original.apply(this, args);
    const done = observe(text, (Array.isArray(second) ? second : config?.values) ?? [], config?.name);
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      args[args.length - 1] = (...results: unknown[]) => {
        done();
        return (callback as (...results: unknown[]) => unknown)(...results);
      };
    }
    const result = original.apply(this, args);
    if (result instanceof Promise) result.then(done, done);
    return result;
  };
  try {
    return await work();
  } finally {
    prototype.query = original;
  }
}

/** Wall time spent waiting on each kind of statement (its first words), for a sequential workload. */
export async function timeQueries<T>(
  work: () => Promise<T>,
): Promise<{ result: T; byStatement: Map<string, { count: number; ms: number }> }> {
  const byStatement = new Map<string, { count: number; ms: number }>();
  const result = await observeQueries((text) => {
    const key = statementKind(text);
    const started = performance.now();
    return () => {
      const entry = byStatement.get(key) ?? { count: 0, ms: 0 };
      entry.count++;
      entry.ms += performance.now() - started;
      byStatement.set(key, entry);
    };
  }, work);
  return { result, byStatement };
}

/** A statement's kind: its verb and table, or the function it calls. */
export function statementKind(text: string): string {
  const sql = text.replace(/\s+/g, ' ').trim();
  const table = /^(?:select .*? from|insert into|update|delete from) ([\w.]+)/i.exec(sql);
  if (table) return `${sql.split(' ')[0]!.toLowerCase()} ${table[1]}`;
  const call = /^select (\w+)\(/i.exec(sql);
  return call ? `select ${call[1]}()` : sql.slice(0, 40).toLowerCase();
}
