import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { compareLogPositions, LOG_START, type LogCursor } from '#event-store';
import { projections } from '#read-models';
import { StaffTokens } from '../../apps/api/src/auth/staff-tokens.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { documentContradictions, isCalendarDate, isDateField, SchemaOracle } from './schema-oracle.js';
import {
  operationsOf,
  Pick,
  printable,
  requestsFor,
  resolve,
  type Family,
  type OpenApiDocument,
  type RequestTemplate,
  type Role,
  type Tree,
} from './openapi-requests.js';

/**
 * Issue #10: requests generated from the OpenAPI document with fast-check, against the api on
 * PostgreSQL (PGlite without DATABASE_URL, with fewer runs), one at a time. For every request:
 * no 5xx, and a refused one (4xx) appends no event. After the run: every projection has caught up
 * with the log (none stopped on an event) and /health answers 200. Bounded by FUZZ_RUNS requests
 * and FUZZ_SECONDS of generation; FUZZ_SEED replays a run.
 */

const databaseUrl = process.env.DATABASE_URL?.trim();
const numberFrom = (name: string): number | undefined => {
  const raw = process.env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
};
const RUNS = numberFrom('FUZZ_RUNS') ?? (databaseUrl ? 3000 : 500);
const SECONDS = numberFrom('FUZZ_SECONDS') ?? (databaseUrl ? 120 : 60);
const SEED = numberFrom('FUZZ_SEED') ?? Date.now() % 2_147_483_647;
/** Sends past a check's share while shrinking a failure, at most. */
const SHRINK_STEPS = numberFrom('FUZZ_SHRINK_STEPS') ?? 60;
const PROJECTION_WAIT_MS = 10_000;

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

interface Answer {
  readonly status: number | null;
  readonly error?: string;
  readonly text: string;
  readonly etag: string | null;
  readonly position: string | null;
}

interface Observation {
  readonly template: RequestTemplate;
  readonly sent: Sent;
  readonly answer: Answer;
  readonly refusedEvents: readonly string[];
  readonly problems: readonly string[];
}

/** What exists in the tracker, learned from the log: the targets of picked ids. */
class World {
  readonly sessions: string[] = [];
  readonly commitments: string[] = [];
  readonly revisions = new Map<string, number>();
  readonly positions: string[] = [];
  readonly spareTokens: string[] = [];

  learn(streamId: string, revision: number, position: string): void {
    const match = /^(session|commitment)-(.+)$/.exec(streamId);
    if (!match) return;
    const [, kind, id] = match;
    const list = kind === 'session' ? this.sessions : this.commitments;
    if (!this.revisions.has(streamId)) list.push(id!);
    this.revisions.set(streamId, revision);
    this.positions.push(position);
    if (this.positions.length > 50) this.positions.shift();
  }

  pick(pick: Pick, stream: string | null): string {
    const from = (list: readonly string[], fallback: string) => (list.length === 0 ? fallback : list[pick.index % list.length]!);
    switch (pick.kind) {
      case 'session':
        return from(this.sessions, 'no-session');
      case 'commitment':
        return from(this.commitments, 'no-commitment');
      case 'token':
        return from(this.spareTokens, 'ffffffffffff');
      case 'position':
        return from(this.positions, '0');
      case 'revision': {
        const revision = stream === null ? undefined : this.revisions.get(stream);
        // Mostly the current revision; a pick past it names an older one (stale: 412).
        return `"${revision === undefined ? pick.index % 3 : pick.index % 4 === 3 ? Math.max(0, revision - 1) : revision}"`;
      }
    }
  }
}

function materialize(
  template: RequestTemplate,
  operation: { method: string; path: string },
  world: World,
  base: string,
  tokens: Tokens,
): Sent {
  let stream: string | null = null;
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = template.path[name];
    if (value === undefined) return 'missing';
    if (value instanceof Pick) {
      const id = world.pick(value, null);
      if (name === 'sessionId') stream = `session-${id}`;
      if (name === 'commitmentId') stream = `commitment-${id}`;
      return encodeURIComponent(id);
    }
    return value.segment;
  });
  const query = template.query
    .map(([name, value]) => `${name}=${value instanceof Pick ? encodeURIComponent(world.pick(value, stream)) : value}`)
    .join('&');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(template.headers))
    headers[name] = value instanceof Pick ? world.pick(value, stream) : value;
  const auth = template.auth;
  if (auth.kind === 'role') headers['authorization'] = `${auth.scheme} ${tokens[auth.role]}`;
  if (auth.kind === 'revoked') headers['authorization'] = `Bearer ${tokens.revoked}`;
  if (auth.kind === 'raw') headers['authorization'] = auth.value;
  if (template.contentType) headers['content-type'] = template.contentType;
  const resolveTree = (tree: Tree): unknown => {
    if (tree instanceof Pick) return world.pick(tree, stream);
    if (Array.isArray(tree)) return tree.map(resolveTree);
    if (tree !== null && typeof tree === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(tree)) {
        // defineProperty: a generated "__proto__" key is sent as a key, not set as the prototype.
        Object.defineProperty(out, key, {
          value: resolveTree(value as Tree),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return tree;
  };
  const body =
    'json' in template.body
      ? JSON.stringify(resolveTree(template.body.json))
      : 'raw' in template.body
        ? template.body.raw
        : undefined;
  return { method: operation.method, url: `${base}${path}${query ? `?${query}` : ''}`, headers, body };
}

interface Tokens {
  readonly staff: string;
  readonly editor: string;
  readonly admin: string;
  readonly revoked: string;
}

async function send(sent: Sent): Promise<Answer> {
  try {
    const response = await fetch(sent.url, {
      method: sent.method,
      headers: sent.headers,
      ...(sent.body === undefined ? {} : { body: sent.body }),
      redirect: 'manual',
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    return {
      status: response.status,
      text: text.length > 1500 ? `${text.slice(0, 1500)}…` : text,
      etag: response.headers.get('etag'),
      position: response.headers.get('x-log-position'),
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return {
      status: null,
      error: `${(error as Error).name}: ${(error as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`,
      text: '',
      etag: null,
      position: null,
    };
  }
}

function describe_(observation: Observation): string {
  const { sent, answer, template } = observation;
  const headers = Object.entries(sent.headers)
    .map(
      ([name, value]) =>
        `${name}: ${name === 'authorization' ? value.replace(/(ctk_[0-9a-f]{12}_)\S+/, '$1…') : printable(value)}`,
    )
    .join('; ');
  return [
    `    ${template.op} [${template.family}] ${template.mutations.join(', ')}`,
    `    request:  ${sent.method} ${printable(decodeURIComponentSafe(sent.url.replace(/^http:\/\/[^/]+/, '')), 300)}`,
    `    headers:  ${headers}`,
    `    body:     ${sent.body === undefined ? '(none)' : printable(sent.body, 600)}`,
    `    response: ${answer.status ?? answer.error} ${printable(answer.text.replace(/(ctk_[0-9a-f]{12}_)[A-Za-z0-9_-]+/g, '$1…'), 400)}`,
    ...(observation.refusedEvents.length ? [`    events appended by the refusal: ${observation.refusedEvents.join(', ')}`] : []),
  ].join('\n');
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const describeWithDatabase = (databaseUrl ? 'PostgreSQL' : 'PGlite (set DATABASE_URL for PostgreSQL)') as string;

describe(`fuzzing the api from its OpenAPI document (${describeWithDatabase})`, () => {
  let app: TestApp;
  let base: string;
  const world = new World();
  const subjects = new Set<string>();

  /**
   * Events committed since the last call, read straight from event_store.events: exact at once,
   * where the log's reader waits for older transactions (the projector's) before it shows an event.
   * Identity positions are handed out in order, so every event a request appends after the last
   * call has a higher one than any seen then.
   */
  let lastPosition = '0';
  interface Row {
    readonly position: string;
    readonly transaction_id: string;
    readonly stream_id: string;
    readonly revision: string;
    readonly type: string;
    readonly actor: string;
    readonly correlation: string | null;
  }
  async function newEvents(): Promise<Row[]> {
    const rows = (await app.app.get(DataSource).query(
      `select e.position, e.transaction_id::text, e.stream_id, e.revision, e.type,
              e.metadata->>'actor' as actor, e.metadata->>'correlationId' as correlation
         from event_store.events e where e.position > $1::bigint order by e.position`,
      [lastPosition],
    )) as Row[];
    for (const row of rows) {
      world.learn(
        row.stream_id,
        Number(row.revision),
        `${row.transaction_id.padStart(20, '0')}/${row.position.padStart(19, '0')}`,
      );
      lastPosition = String(row.position);
    }
    return rows;
  }

  /** The log head as its reader sees it, once everything committed is visible to it. */
  async function logHead(): Promise<LogCursor> {
    let head: LogCursor = LOG_START;
    for (;;) {
      const page = await app.store.readAll({ after: head, maxCount: 5000 });
      head = page.next;
      if (page.events.length < 5000) return head;
    }
  }

  beforeAll(async () => {
    app = await startTestApp();
    await app.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.app.getHttpServer().address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it(
    'answers every generated request below 500, writes nothing for a refusal, and leaves no projection stopped',
    async () => {
      const run = `fuzz-${SEED.toString(36)}`;
      const issue = async (role: Role) => {
        subjects.add(`${run}-${role}`);
        return app.token(`${run}-${role}`, role);
      };
      const staffTokens = app.app.get(StaffTokens);
      const revoked = await staffTokens.issue(`${run}-revoked`, 'admin');
      await staffTokens.revoke(revoked.id);
      subjects.add(`${run}-revoked`);
      const tokens: Tokens = {
        staff: await issue('staff'),
        editor: await issue('editor'),
        admin: await issue('admin'),
        revoked: revoked.token,
      };
      for (let n = 0; n < 5; n++) world.spareTokens.push((await staffTokens.issue(`${run}-spare-${n}`, 'staff')).id);

      // Existing data for the picked ids: the seed record's two session files (imported over HTTP),
      // then everything the log already holds.
      const yaml = await Promise.all(
        ['data/sessions/2020-12-10-office-hours.yaml', 'data/sessions/2022-08-18-conversation-hour.yaml'].map((file) =>
          readFile(file, 'utf8'),
        ),
      );
      for (const [index, text] of yaml.entries()) {
        const imported = await fetch(`${base}/imports?file=seed-${index}.yaml`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens.editor}`, 'content-type': 'application/yaml' },
          body: text,
        });
        // 422 when a shared database already holds the record, changed since by an earlier run.
        expect([200, 422]).toContain(imported.status);
      }
      await newEvents();
      const csv = await (await fetch(`${base}/exports/commitments.csv`)).text();
      const samples = { yaml, csv: [csv, csv.split('\n').slice(0, 3).join('\n')] };

      const document = (await (await fetch(`${base}/api/openapi.json`)).json()) as OpenApiDocument;
      const operations = operationsOf(document);
      expect(operations.length).toBeGreaterThan(20);
      const byKey = new Map(operations.map((operation) => [operation.key, operation]));

      const families = (method: string): Family[] =>
        method === 'GET' || method === 'DELETE' ? ['valid', 'params', 'headers'] : ['valid', 'body', 'params', 'headers'];
      const checks = families('POST').flatMap((family) =>
        operations.filter((operation) => families(operation.method).includes(family)).map((operation) => ({ operation, family })),
      );
      // Mutated bodies find the most: they get three shares of the runs, the other families one.
      const weight = (family: Family) => (family === 'body' ? 3 : 1);
      const unit = RUNS / checks.reduce((sum, check) => sum + weight(check.family), 0);
      const runsOf = (family: Family) => Math.max(1, Math.round(unit * weight(family)));
      const deadline = Date.now() + SECONDS * 1000;

      const oracle = new SchemaOracle(document);
      const contradictions = documentContradictions(document);
      /** Why a mutated JSON body breaks the operation's schema (or the calendar), or null. */
      const acceptedInvalid = (template: RequestTemplate, sent: Sent): string | null => {
        if (template.family === 'params') return queryRefused(template, sent);
        const schema = byKey.get(template.op)!.bodySchema;
        if (template.family !== 'body' || !schema || schema.type === 'string') return null;
        if (sent.headers['content-type'] !== 'application/json') return null;
        let body: unknown;
        try {
          // No body at all is read as an empty object (body-parser's rule): a command whose
          // fields are all optional, such as start, may be sent without one. A leading byte
          // order mark may be ignored by a JSON parser (RFC 8259, section 8.1), and is.
          const text = (sent.body ?? '').replace(/^\uFEFF/, '');
          body = text === '' ? {} : JSON.parse(text);
        } catch {
          return 'not JSON';
        }
        return oracle.whyInvalid(schema, body);
      };

      /** A query value the document rules out: not in its enum, not a day, not a number in range, given twice. */
      const queryRefused = (template: RequestTemplate, sent: Sent): string | null => {
        const operation = byKey.get(template.op)!;
        const query = new URL(sent.url).searchParams;
        for (const parameter of operation.queryParams) {
          const values = query.getAll(parameter.name);
          if (values.length === 0) continue;
          const schema = resolve(document, parameter.schema ?? {});
          if (values.length > 1 && schema.type !== 'array') return `query ${parameter.name} given ${values.length} times`;
          const value = values[0]!;
          if (value === '') continue;
          if (schema.enum && !schema.enum.includes(value))
            return `query ${parameter.name}="${printable(value, 30)}" is none of ${schema.enum.join(', ')}`;
          if (isDateField(schema, parameter.name) && !isCalendarDate(value))
            return `query ${parameter.name}="${printable(value, 30)}" is not a day`;
          if (schema.type === 'number' || schema.type === 'integer') {
            const number = Number(value);
            if (
              !Number.isFinite(number) ||
              (schema.minimum !== undefined && number < schema.minimum) ||
              (schema.maximum !== undefined && number > schema.maximum)
            ) {
              return `query ${parameter.name}="${printable(value, 30)}" is not a number from ${schema.minimum ?? '-∞'} to ${schema.maximum ?? '∞'}`;
            }
          }
        }
        return null;
      };

      // Figures.
      const started = Date.now();
      let sentCount = 0;
      let notSent = 0;
      let refusalEvents = 0;
      let fiveHundreds = 0;
      let acceptedCount = 0;
      let otherActorsEvents = 0;
      const otherActors = new Set<string>();
      const byOperation = new Map<string, Map<string, number>>();
      const byStatus = new Map<string, number>();
      const distinct = new Map<string, { count: number; example: Observation }>();
      const counterexamples: { check: string; runs: number; shrinks: number; observation: Observation }[] = [];
      let stoppedEarly = 0;

      const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

      /** Sends one request and judges it; every failure is counted under its signature. */
      const observe = async (template: RequestTemplate): Promise<Observation> => {
        const sent = materialize(template, byKey.get(template.op)!, world, base, tokens);
        const answer = await send(sent);
        const events = await newEvents();
        sentCount++;
        const status = answer.status === null ? 'no answer' : String(answer.status);
        count(byStatus, status);
        if (!byOperation.has(template.op)) byOperation.set(template.op, new Map());
        count(byOperation.get(template.op)!, status);

        const mine = events.filter((event) => subjects.has(event.actor));
        otherActorsEvents += events.length - mine.length;
        for (const event of events) if (!subjects.has(event.actor)) otherActors.add(event.actor);
        const refused = answer.status === null || answer.status >= 400;
        const refusedEvents = refused
          ? mine.map(
              (event) => `${event.type} on ${event.stream_id} at revision ${event.revision} (correlation ${event.correlation})`,
            )
          : [];
        const problems: string[] = [];
        if (answer.status === null) problems.push(`no answer: ${answer.error}`);
        else if (answer.status >= 500) {
          fiveHundreds++;
          problems.push(`${answer.status}`);
        }
        if (refusedEvents.length > 0) {
          refusalEvents += refusedEvents.length;
          problems.push(`${answer.status ?? 'no answer'} with ${refusedEvents.length} event(s) appended`);
        }
        if (answer.status !== null && answer.status < 300) {
          const why = acceptedInvalid(template, sent);
          if (why) {
            acceptedCount++;
            problems.push(`${answer.status} for a request the document refuses: ${why.replace(/\/\d+(?=\/|\s|$)/g, '/*')}`);
          }
        }
        if (template.twice && answer.status !== null && answer.status < 500) {
          // A retry of the same request: with an Idempotency-Key it is answered from the first
          // (and writes nothing); without one, it is a request like any other.
          const again = await send(sent);
          const written = (await newEvents()).filter((event) => subjects.has(event.actor));
          sentCount++;
          count(byStatus, again.status === null ? 'no answer' : String(again.status));
          count(byOperation.get(template.op)!, again.status === null ? 'no answer' : String(again.status));
          const key = sent.headers['idempotency-key']?.trim();
          if (again.status === null) problems.push(`retry: no answer: ${again.error}`);
          else if (again.status >= 500) {
            fiveHundreds++;
            problems.push(`retry: ${again.status}`);
          } else if (again.status >= 400 && written.length > 0) {
            refusalEvents += written.length;
            problems.push(`retry: ${again.status} with ${written.length} event(s) appended`);
          } else if (key && answer.status < 300 && written.length > 0) {
            problems.push(`retry with the same Idempotency-Key appended ${written.length} event(s)`);
          } else if (key && answer.status < 300 && again.status !== answer.status) {
            problems.push(`retry with the same Idempotency-Key answered ${again.status}, the first ${answer.status}`);
          }
        }
        const observation: Observation = { template, sent, answer, refusedEvents, problems };
        if (problems.length > 0) {
          const signature = `${problems.join(' + ')} | ${template.op} | ${template.family} | ${template.mutations.join(', ') || 'no mutation'}`;
          const seen = distinct.get(signature);
          if (seen) seen.count++;
          else distinct.set(signature, { count: 1, example: observation });
        }
        return observation;
      };

      for (const [index, { operation, family }] of checks.entries()) {
        if (Date.now() >= deadline) {
          stoppedEarly = checks.length - index;
          break;
        }
        // One check per operation and family. After a failure (shrunk, then kept as a
        // counterexample) it carries on with a fresh seed for the rest of its share, so one early
        // failure does not hide the others.
        let used = 0;
        const perCheck = runsOf(family);
        for (let attempt = 0; used < perCheck && Date.now() < deadline; attempt++) {
          let executions = 0;
          let lastFailure: Observation | undefined;
          const budget = perCheck - used;
          const property = fc.asyncProperty(requestsFor(document, operation, family, samples), async (template) => {
            executions++;
            if (executions > budget + SHRINK_STEPS || Date.now() >= deadline + 15_000) {
              notSent++;
              return true; // the budget is spent: stop sending, keep the smallest failure found so far
            }
            const known = distinct.size;
            const observation = await observe(template);
            if (observation.problems.length === 0) return true;
            // A failure already on the list is counted (the test fails on it) but not shrunk again,
            // so the budget goes to finding new ones; once shrinking, every failure counts.
            if (lastFailure === undefined && distinct.size === known) return true;
            lastFailure = observation;
            return false;
          });
          const details = await fc.check(property, {
            seed: SEED + index + attempt * 100_003,
            numRuns: budget,
            interruptAfterTimeLimit: Math.max(1000, deadline - Date.now()),
            markInterruptAsFailure: false,
          });
          if (details.failed && lastFailure) {
            counterexamples.push({
              check: `${operation.key} [${family}]`,
              runs: details.numRuns,
              shrinks: details.numShrinks,
              observation: lastFailure,
            });
          }
          if (!details.failed) break;
          used += details.numRuns;
        }
      }

      // After the run: every projection reaches the log head (none stopped), and /health answers.
      await newEvents();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const head = await logHead();
      const dataSource = app.app.get(DataSource);
      const names = projections.map((projection) => projection.name);
      const checkpoints = async () =>
        new Map(
          (
            (await dataSource.query('select projection, position from projection_checkpoints')) as {
              projection: string;
              position: string;
            }[]
          ).map((row) => [row.projection, row.position as LogCursor]),
        );
      const waitUntil = Date.now() + PROJECTION_WAIT_MS;
      let positions = await checkpoints();
      while (names.some((name) => compareLogPositions(positions.get(name) ?? LOG_START, head) < 0) && Date.now() < waitUntil) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        positions = await checkpoints();
      }
      const lag: Record<string, number> = {};
      for (const name of names) {
        let behind = 0;
        let after: LogCursor = positions.get(name) ?? LOG_START;
        while (compareLogPositions(after, head) < 0 && behind < 100_000) {
          const page = await app.store.readAll({ after, maxCount: 2000 });
          if (page.events.length === 0) break;
          behind += page.events.filter((event) => compareLogPositions(event.position, head) <= 0).length;
          after = page.next;
        }
        lag[name] = behind;
      }
      const health = await fetch(`${base}/health`);

      const seconds = (Date.now() - started) / 1000;
      const table = [...byOperation.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([op, statuses]) => {
          const total = [...statuses.values()].reduce((sum, n) => sum + n, 0);
          const shown = [...statuses.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([status, n]) => `${status}×${n}`);
          return `  ${op.padEnd(44)} ${String(total).padStart(5)}  ${shown.join(' ')}`;
        });
      const report = [
        `Fuzz run: seed ${SEED} (replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} FUZZ_SECONDS=${SECONDS}), on ${databaseUrl ? 'PostgreSQL' : 'PGlite'}`,
        `  ${sentCount} requests in ${seconds.toFixed(1)} s over ${operations.length} operations × families = ${checks.length} checks, ${runsOf('body')} runs for mutated bodies and ${runsOf('valid')} for the others` +
          (stoppedEarly ? `; the time budget left ${stoppedEarly} checks unrun` : '') +
          (notSent ? `; ${notSent} shrink candidates past the budget not sent` : ''),
        `  by status: ${[...byStatus.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([status, n]) => `${status}×${n}`)
          .join(' ')}`,
        `  5xx: ${fiveHundreds} (must be 0); events appended by refused requests: ${refusalEvents} (must be 0); 2xx for requests the document refuses: ${acceptedCount} (must be 0)`,
        `  events by other writers meanwhile: ${otherActorsEvents}${otherActors.size ? ` (${[...otherActors].join(', ')})` : ''}`,
        ...(contradictions.length
          ? [`  the OpenAPI document contradicts itself (${contradictions.length}):`, ...contradictions.map((c) => `  - ${c}`)]
          : []),
        `  projections' lag at the end (events behind the log head ${head}): ${Object.entries(lag)
          .map(([name, n]) => `${name} ${n}`)
          .join(', ')}; /health ${health.status}`,
        `  by operation:`,
        ...table,
        ...(distinct.size
          ? [
              `  ${distinct.size} distinct failures (problem | operation | family | mutation), with how often:`,
              ...[...distinct.entries()]
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([signature, { count: n }]) => `  - ${printable(signature, 240)}  ×${n}`),
            ]
          : []),
        ...(counterexamples.length
          ? [
              `  minimal counterexamples (fast-check, shrunk), one per failing check:`,
              ...counterexamples.map(
                ({ check, runs, shrinks, observation }) =>
                  `  * ${check}: after ${runs} runs, ${shrinks} shrinks\n${describe_(observation)}`,
              ),
            ]
          : []),
      ].join('\n');
      console.log(report);
      await mkdir('test-artifacts', { recursive: true });
      await writeFile(join('test-artifacts', 'fuzz-report.txt'), `${report}\n`);

      expect(sentCount).toBeGreaterThan(0);
      expect({ fiveHundreds, refusalEvents, acceptedCount, failures: [...distinct.keys()], contradictions }).toEqual({
        fiveHundreds: 0,
        refusalEvents: 0,
        acceptedCount: 0,
        failures: [],
        contradictions: [],
      });
      expect(lag).toEqual(Object.fromEntries(names.map((name) => [name, 0])));
      expect(health.status).toBe(200);
    },
    (SECONDS + 15) * 1000 + 180_000,
  );
});
