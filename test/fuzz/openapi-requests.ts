import fc from 'fast-check';

/**
 * Requests generated from the api's OpenAPI document: valid-shaped ones built from each
 * operation's schemas, and mutated ones (wrong types, missing fields, hostile strings, bad ids,
 * junk headers). A generated request is a template: ids of sessions and commitments are picks
 * (an index into what exists when it is sent), so generation stays pure and shrinks well.
 */

export interface Schema {
  readonly type?: string;
  readonly format?: string;
  readonly pattern?: string;
  readonly enum?: readonly unknown[];
  readonly nullable?: boolean;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly additionalProperties?: boolean | Schema;
  readonly allOf?: readonly Schema[];
  readonly $ref?: string;
  readonly maxLength?: number;
  readonly minLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly example?: unknown;
  readonly description?: string;
}

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: Schema;
}

export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, OpenApiOperation>>>>;
  readonly components?: { readonly schemas?: Readonly<Record<string, Schema>> };
}

interface OpenApiOperation {
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly content?: Readonly<Record<string, { readonly schema?: Schema }>> };
  readonly responses?: Readonly<Record<string, { readonly description?: string }>>;
  readonly security?: readonly unknown[];
}

export type Role = 'staff' | 'editor' | 'admin';

export interface Operation {
  /** "POST /commitments/{commitmentId}/progress" */
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly pathParams: readonly Parameter[];
  readonly queryParams: readonly Parameter[];
  readonly headerParams: readonly Parameter[];
  readonly bodySchema: Schema | null;
  /** The role the 403 answer names, or null for public operations. */
  readonly role: Role | null;
}

export type Family = 'valid' | 'body' | 'params' | 'headers';

/** What a picked reference points to; resolved against the world when the request is sent. */
export type PickKind = 'session' | 'commitment' | 'token' | 'revision' | 'position';

export class Pick {
  constructor(
    readonly kind: PickKind,
    readonly index: number,
  ) {}
  toJSON(): string {
    return `<${this.kind} #${this.index}>`;
  }
}

/** A body before it is sent: JSON values with picks at the leaves, or raw text. */
export type Tree = null | boolean | number | string | Pick | readonly Tree[] | { readonly [key: string]: Tree };
export type Body = { readonly json: Tree } | { readonly raw: string; readonly what: string } | { readonly none: true };

export interface RequestTemplate {
  readonly op: string;
  readonly family: Family;
  /** Each path parameter: a pick, or a literal (already encoded) segment. */
  readonly path: Readonly<Record<string, Pick | { readonly segment: string }>>;
  /** name=value pairs, raw (already encoded). */
  readonly query: readonly (readonly [string, string | Pick])[];
  readonly auth: Auth;
  readonly headers: Readonly<Record<string, string | Pick>>;
  readonly contentType: string | null;
  readonly body: Body;
  /** What was done to it, for the report. */
  readonly mutations: readonly string[];
  /** Sent twice in a row (a retry): with an Idempotency-Key, the second must write nothing. */
  readonly twice: boolean;
}

export type Auth =
  | { readonly kind: 'none' }
  | { readonly kind: 'role'; readonly role: Role; readonly scheme: string }
  | { readonly kind: 'revoked' }
  | { readonly kind: 'raw'; readonly value: string };

export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters = operation.parameters ?? [];
      const content = operation.requestBody?.content ?? {};
      const bodySchema = Object.values(content)[0]?.schema ?? null;
      const forbidden = operation.responses?.['403']?.description ?? '';
      const role =
        (/\b(staff|editor|admin) role\b/.exec(forbidden)?.[1] as Role | undefined) ?? (operation.security ? 'admin' : null);
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        headerParams: parameters.filter((p) => p.in === 'header'),
        bodySchema: bodySchema ? resolve(document, bodySchema) : null,
        role,
      });
    }
  }
  return operations;
}

/** Follows $ref and a one-element allOf (how @nestjs/swagger writes a nested DTO), keeping nullable. */
export function resolve(document: OpenApiDocument, schema: Schema): Schema {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = document.components?.schemas?.[name];
    if (!target) throw new Error(`OpenAPI: unresolved ${schema.$ref}`);
    return resolve(document, target);
  }
  if (schema.allOf && schema.allOf.length === 1) {
    const { allOf, ...rest } = schema;
    const inner = resolve(document, allOf[0]!);
    // The nested DTO's own type and properties win over the `type: object` written beside allOf.
    return { ...rest, ...inner, nullable: rest.nullable ?? inner.nullable };
  }
  return schema;
}

// ---------------------------------------------------------------------------------------------
// Values

export const HOSTILE_STRINGS: readonly string[] = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  ']]><script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  "'; drop table event_store.events; --",
  '',
  ' ',
  '\u202e\u0627\u0644',
  '😀👩‍👩‍👧',
  '%00',
  '../../etc/passwd',
  '{{7*7}}${7*7}<%= 7 %>',
  'NaN',
  '-1',
  '1e309',
  '2023-02-30',
  '2023-13-45',
  '2023-02-30T00:00:00Z',
  '2023-13-45T25:61:61Z',
  '0000-00-00',
  '2021-02-29',
  '+275760-09-13',
  '9999-12-31T23:59:60Z',
  'x'.repeat(10_000),
  '\r\nSet-Cookie: a=b',
  '\\u0000',
];

export const IMPOSSIBLE_DAYS: readonly string[] = [
  '2023-02-30',
  '2023-13-45',
  '2023-04-31',
  '2021-02-29',
  '2023-00-10',
  '99999-01-01',
  '2023-1-1',
  '20230101',
  'tomorrow',
];

export const IMPOSSIBLE_TIMES: readonly string[] = [
  '2023-02-30T00:00:00Z',
  '2023-04-31T12:00:00Z',
  '2021-02-29T00:00:00Z',
  '2023-13-01T00:00:00Z',
  '2023-01-01T25:00:00Z',
  '2023-01-01T00:61:00Z',
  '2023-02-30T00:00:00',
  '2023-02-30',
];

export const IMPOSSIBLE_DATES: readonly string[] = [...new Set([...IMPOSSIBLE_DAYS, ...IMPOSSIBLE_TIMES])];

const FIRST_DAY = Date.UTC(2020, 0, 1);
const LAST_DAY = Date.UTC(2026, 10, 30);
const day = fc.integer({ min: 0, max: Math.floor((LAST_DAY - FIRST_DAY) / 86_400_000) });
export const validDate = day.map((offset) => new Date(FIRST_DAY + offset * 86_400_000).toISOString().slice(0, 10));
export const validDateTime = fc
  .tuple(day, fc.integer({ min: 0, max: 86_399 }))
  .map(([offset, seconds]) => new Date(FIRST_DAY + offset * 86_400_000 + seconds * 1000).toISOString().replace('.000', ''));
const freshId = fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,30}$/).map((id) => `fz-${id}`.slice(0, 100));
const pickOf = (kind: PickKind) => fc.nat({ max: 1000 }).map((index) => new Pick(kind, index));

/** Hints by property name for what the document leaves as a bare string (the DTO validates more). */
function hinted(name: string, schema: Schema): fc.Arbitrary<Tree> | null {
  if (schema.enum) return null;
  switch (name) {
    case 'id':
      return fc.oneof(
        { weight: 4, arbitrary: freshId },
        { weight: 1, arbitrary: pickOf('session') },
        { weight: 1, arbitrary: pickOf('commitment') },
      );
    case 'sessionId':
    case 'session':
      return pickOf('session');
    case 'supersededBy':
    case 'linkedTo':
    case 'commitment':
    case 'commitmentId':
      return pickOf('commitment');
    case 'subject':
      return fc.stringMatching(/^[a-z0-9][a-z0-9._@-]{1,30}$/);
    case 'minPosition':
      return pickOf('position');
    case 'file':
      return fc.constantFrom('fuzz.yaml', 'fuzz.csv', 'session.yaml');
    default:
      return null;
  }
}

function stringValue(schema: Schema): fc.Arbitrary<Tree> {
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  const example = typeof schema.example === 'string' ? schema.example : undefined;
  if (schema.format === 'date' || (example && /^\d{4}-\d\d-\d\d$/.test(example))) return validDate;
  if (schema.format === 'date-time' || (example && /^\d{4}-\d\d-\d\dT/.test(example))) return validDateTime;
  if (schema.format === 'uri' || schema.format === 'url' || (example && /^https?:\/\//.test(example))) {
    return fc.webUrl({ validSchemes: ['https'], withQueryParameters: false, withFragments: false });
  }
  const max = Math.max(1, Math.min(schema.maxLength ?? 80, 80));
  const min = Math.min(Math.max(schema.minLength ?? 1, 1), max);
  const texts = fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: min, maxLength: max }).filter((text) => text.trim() !== '') },
    {
      weight: 1,
      arbitrary: fc.string({ minLength: min, maxLength: max, unit: 'grapheme' }).filter((text) => text.trim() !== ''),
    },
  );
  return example !== undefined && example.length <= max
    ? fc.oneof({ weight: 1, arbitrary: fc.constant(example) }, { weight: 2, arbitrary: texts })
    : texts;
}

/** A valid-shaped value for `schema`, as the document describes it. */
export function valueFor(document: OpenApiDocument, raw: Schema, name = '', depth = 0): fc.Arbitrary<Tree> {
  const schema = resolve(document, raw);
  const inner = ((): fc.Arbitrary<Tree> => {
    if (schema.enum) return fc.constantFrom(...(schema.enum as Tree[]));
    const hint = hinted(name, schema);
    if (hint) return hint;
    const type = schema.type ?? (schema.properties ? 'object' : undefined);
    switch (type) {
      case 'string':
        return stringValue(schema);
      case 'number':
      case 'integer': {
        const min = schema.minimum ?? 0;
        const max = schema.maximum ?? Math.max(min, 1000);
        return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
      }
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(schema.items ? valueFor(document, schema.items, singular(name), depth + 1) : fc.string(), {
          minLength: Math.max(1, schema.minItems ?? 1),
          maxLength: Math.min(schema.maxItems ?? 3, 3),
        });
      case 'object': {
        if (!schema.properties) {
          // The document says "object" with no properties: @nestjs/swagger's way of writing a
          // union such as `string | null`. The example says what is meant.
          if (typeof schema.example === 'string') return stringValue({ ...schema, type: 'string' });
          return fc.constant({});
        }
        if (depth > 6) return fc.constant({});
        const properties = Object.fromEntries(
          Object.entries(schema.properties).map(([key, property]) => [key, valueFor(document, property, key, depth + 1)]),
        );
        return fc.record(properties, {
          requiredKeys: (schema.required ?? []).filter((key) => key in properties),
        }) as fc.Arbitrary<Tree>;
      }
      default:
        if (typeof schema.example === 'string') return stringValue({ ...schema, type: 'string' });
        return fc.string({ maxLength: 20 });
    }
  })();
  return schema.nullable ? fc.oneof({ weight: 5, arbitrary: inner }, { weight: 1, arbitrary: fc.constant(null) }) : inner;
}

function singular(name: string): string {
  return name.endsWith('s') ? name.slice(0, -1) : name;
}

// ---------------------------------------------------------------------------------------------
// Mutations of a valid body

function deepObject(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}
function deepArray(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

const WHOLE_BODY: readonly ((valid: Tree) => Body)[] = [
  () => ({ raw: 'null', what: 'body null' }),
  (valid) => ({ raw: JSON.stringify([valid]), what: 'body wrapped in an array' }),
  () => ({ raw: '[]', what: 'body []' }),
  () => ({ raw: '"just a string"', what: 'body a JSON string' }),
  () => ({ raw: '42', what: 'body a number' }),
  () => ({ raw: '', what: 'body empty' }),
  () => ({ raw: '{"a":', what: 'body truncated JSON' }),
  () => ({ raw: '{}', what: 'body {}' }),
  () => ({ raw: deepObject(5000), what: 'body nested 5000 objects deep' }),
  () => ({ raw: deepArray(5000), what: 'body nested 5000 arrays deep' }),
  (valid) => ({
    raw: `{"x":${deepObject(5000)},${JSON.stringify(valid).slice(1)}`,
    what: 'valid body plus a field nested 5000 deep',
  }),
  () => ({ raw: JSON.stringify({ x: 'a'.repeat(200_000) }), what: 'body of 200 kB' }),
  (valid) => ({ raw: `{"__proto__":{"polluted":true},${JSON.stringify(valid).slice(1)}`, what: 'valid body plus __proto__' }),
  (valid) => ({
    raw: `{"constructor":{"prototype":{"polluted":true}},${JSON.stringify(valid).slice(1)}`,
    what: 'valid body plus constructor.prototype',
  }),
  (valid) => ({ raw: JSON.stringify(valid).replace(/\}$/, ',"id":"duplicate-key"}'), what: 'valid body with a duplicate key' }),
  () => ({ raw: '\ufeff{}', what: 'body with a BOM' }),
  () => ({ raw: '{"a":1e999999}', what: 'body with an infinite number' }),
];

type FieldMutation = { readonly what: string; readonly apply: (value: Tree) => Tree | undefined };

const FIELD_MUTATIONS: readonly FieldMutation[] = [
  { what: 'missing', apply: () => undefined },
  { what: 'null', apply: () => null },
  { what: 'an array of it', apply: (value) => [value] },
  { what: 'an empty array', apply: () => [] },
  { what: '{}', apply: () => ({}) },
  { what: 'an object wrapping it', apply: (value) => ({ value }) },
  { what: 'a number', apply: () => 12345 },
  { what: 'a huge number', apply: () => 1e308 },
  { what: 'a negative number', apply: () => -1 },
  { what: 'true', apply: () => true },
  { what: 'a long string', apply: () => 'x'.repeat(10_000) },
  { what: 'a string of 90 kB', apply: () => 'y'.repeat(90_000) },
  { what: 'its JSON as a string', apply: (value) => JSON.stringify(value) ?? 'undefined' },
  { what: 'nested 1000 deep', apply: () => nested(1000) },
  ...HOSTILE_STRINGS.map((text) => ({ what: `"${printable(text, 30)}"`, apply: () => text })),
  ...IMPOSSIBLE_DATES.map((text) => ({ what: `date "${text}"`, apply: () => text })),
];

const STRUCTURAL_MUTATIONS = FIELD_MUTATIONS.filter((m) =>
  [
    'missing',
    'null',
    'an array of it',
    'an empty array',
    '{}',
    'an object wrapping it',
    'a number',
    'true',
    'its JSON as a string',
  ].includes(m.what),
);
const DAY_MUTATIONS = IMPOSSIBLE_DAYS.map((text) => ({ what: `date "${text}"`, apply: () => text }));
const TIME_MUTATIONS = IMPOSSIBLE_TIMES.map((text) => ({ what: `date "${text}"`, apply: () => text }));

function valueAt(tree: Tree, place: readonly (string | number)[]): Tree | undefined {
  let at: Tree | undefined = tree;
  for (const key of place) {
    if (at === null || typeof at !== 'object' || at instanceof Pick) return undefined;
    at = (at as Record<string | number, Tree>)[key];
  }
  return at;
}

function nested(depth: number): Tree {
  let value: Tree = 1;
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

/** Control characters, surrogates and bidi overrides escaped; long text cut to `max`. */
export function printable(text: string, max = 120): string {
  const shown = text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text;
  // Control characters, bidi overrides and lone surrogates (a valid pair stays as it is).
  return shown.replace(
    /[\u0000-\u001f\u202e]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Every place in `tree` a mutation can go: object members and array items. */
function placesIn(tree: Tree, at: readonly (string | number)[] = []): (readonly (string | number)[])[] {
  if (tree === null || typeof tree !== 'object' || tree instanceof Pick) return [];
  const entries: [string | number, Tree][] = Array.isArray(tree)
    ? (tree as readonly Tree[]).map((value, index) => [index, value])
    : Object.entries(tree as Record<string, Tree>);
  return entries.flatMap(([key, value]) => [[...at, key], ...placesIn(value, [...at, key])]);
}

function setAt(tree: Tree, place: readonly (string | number)[], change: (value: Tree) => Tree | undefined): Tree {
  if (place.length === 0) return change(tree) ?? null;
  const [head, ...rest] = place;
  if (Array.isArray(tree)) {
    const copy = [...(tree as readonly Tree[])];
    const next = rest.length === 0 ? change(copy[head as number]!) : setAt(copy[head as number]!, rest, change);
    if (next === undefined) copy.splice(head as number, 1);
    else copy[head as number] = next;
    return copy;
  }
  const copy: Record<string, Tree> = { ...(tree as Record<string, Tree>) };
  const next = rest.length === 0 ? change(copy[head as string]!) : setAt(copy[head as string]!, rest, change);
  if (next === undefined) delete copy[head as string];
  else copy[head as string] = next;
  return copy;
}

/** A valid body with one thing done to it: replaced whole, one field changed, or a field added. */
export function mutatedBody(valid: fc.Arbitrary<Tree>): fc.Arbitrary<{ body: Body; what: string }> {
  return fc
    .tuple(
      valid,
      fc.nat(),
      fc.nat(),
      fc.integer({ min: 0, max: 9 }),
      fc.constantFrom('unexpected', 'extra', '__proto__', 'constructor'),
    )
    .map(([tree, placeIndex, mutationIndex, shape, extraKey]) => {
      const places = placesIn(tree);
      if (shape === 0 || places.length === 0) {
        const whole = WHOLE_BODY[mutationIndex % WHOLE_BODY.length]!(tree);
        return { body: whole, what: 'raw' in whole ? whole.what : 'body' };
      }
      if (shape === 2 && tree !== null && typeof tree === 'object' && !Array.isArray(tree)) {
        const value = FIELD_MUTATIONS[mutationIndex % FIELD_MUTATIONS.length]!.apply('x') ?? 1;
        return { body: { json: { ...(tree as Record<string, Tree>), [extraKey]: value } }, what: `extra field ${extraKey}` };
      }
      // Half the time a top-level field, so the body's own fields are not drowned by nested ones.
      const shallow = places.filter((at) => at.length === 1);
      const from = shape <= 5 && shallow.length > 0 ? shallow : places;
      const place = from[placeIndex % from.length]!;
      const value = valueAt(tree, place);
      // Mutations that fit what is there: structure for objects and arrays, impossible days for dates.
      const fitting =
        value !== null && typeof value === 'object' && !(value instanceof Pick)
          ? STRUCTURAL_MUTATIONS
          : typeof value === 'string' && /^\d{4}-\d\d-\d\d/.test(value) && mutationIndex % 2 === 0
            ? value.includes('T')
              ? TIME_MUTATIONS
              : DAY_MUTATIONS
            : FIELD_MUTATIONS;
      const mutation = fitting[Math.floor(mutationIndex / 2) % fitting.length]!;
      return { body: { json: setAt(tree, place, mutation.apply) }, what: `${place.join('.')} ${mutation.what}` };
    });
}

// ---------------------------------------------------------------------------------------------
// Path, query and headers

export const MALFORMED_SEGMENTS: readonly string[] = [
  '%00',
  '..%2f',
  '..%2f..%2fadmin%2ftokens',
  '%2e%2e',
  'a%00b',
  '%ZZ',
  '%',
  '%C0%AF',
  '%F0%9F%98%80',
  '%ED%A0%80', // a lone surrogate, UTF-8 encoded
  'UPPER-Case',
  '%20',
  'x'.repeat(300),
  '-leading-dash',
  '%3Cscript%3E',
  "'%20or%201=1",
  'null',
  'undefined',
  '__proto__',
  'constructor',
];

const JUNK_QUERY_VALUES: readonly string[] = [
  '',
  '-1',
  '0',
  '1.5',
  '1e9',
  '99999999999999999999999',
  'abc',
  'true',
  '%00',
  '%ED%A0%80',
  '%ZZ',
  encodeURIComponent(']]><script>'),
  '2023-02-30',
  '2023-13-45',
  '2023-02-30T00:00:00Z',
  'x'.repeat(3000),
  'NaN',
  'Infinity',
];

const segment = (text: string) => ({ segment: text });

function pathParam(name: string, family: Family): fc.Arbitrary<Pick | { segment: string }> {
  const kind: PickKind = name === 'sessionId' ? 'session' : name === 'commitmentId' ? 'commitment' : 'token';
  const valid = pickOf(kind);
  if (family !== 'params') return valid;
  return fc.oneof(
    { weight: 2, arbitrary: valid },
    { weight: 1, arbitrary: freshId.map((id) => segment(id)) },
    { weight: 3, arbitrary: fc.constantFrom(...MALFORMED_SEGMENTS).map(segment) },
  );
}

function queryValue(document: OpenApiDocument, parameter: Parameter): fc.Arbitrary<string | Pick> {
  const schema = resolve(document, parameter.schema ?? { type: 'string' });
  const hint = hinted(parameter.name, schema);
  if (hint) return hint.map((value) => (value instanceof Pick ? value : encodeURIComponent(String(value))));
  if (/^as ?of$/i.test(parameter.name)) return validDate;
  return valueFor(document, schema, parameter.name).map((value) =>
    value instanceof Pick ? value : encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value)),
  );
}

type Pairs = (readonly [string, string | Pick])[];
const pairs = (...list: (readonly [string, string | Pick])[]): Pairs => list;

function query(document: OpenApiDocument, operation: Operation, family: Family): fc.Arbitrary<Pairs> {
  const perParameter = operation.queryParams.map((parameter) => {
    const valid = queryValue(document, parameter).map((value) => pairs([parameter.name, value]));
    const arbitrary: fc.Arbitrary<Pairs> =
      family !== 'params'
        ? valid
        : fc.oneof(
            { weight: 2, arbitrary: valid },
            { weight: 2, arbitrary: fc.constantFrom(...JUNK_QUERY_VALUES).map((value) => pairs([parameter.name, value])) },
            // Repeated, and in brackets: parsers that turn these into arrays and objects.
            { weight: 1, arbitrary: fc.constant(pairs([parameter.name, 'a'], [parameter.name, 'b'])) },
            { weight: 1, arbitrary: fc.constant(pairs([`${parameter.name}[]`, '1'])) },
            { weight: 1, arbitrary: fc.constant(pairs([`${parameter.name}[a][b]`, 'c'])) },
          );
    return parameter.required ? arbitrary : fc.option(arbitrary, { nil: pairs(), freq: 2 });
  });
  const unknown: fc.Arbitrary<(readonly [string, string])[]> =
    family === 'params'
      ? fc.option(
          fc
            .constantFrom<[string, string]>(
              ['unknown', '1'],
              ['__proto__[x]', '1'],
              ['constructor[prototype][x]', '1'],
              ['%00', '1'],
            )
            .map((pair) => [pair]),
          { nil: [] },
        )
      : fc.constant([]);
  return fc.tuple(fc.tuple(...perParameter), unknown).map(([lists, extra]): Pairs => [...(lists as Pairs[]).flat(), ...extra]);
}

const AUTH_SPELLINGS = ['Bearer', 'bearer', 'BEARER'];

function auth(operation: Operation, family: Family): fc.Arbitrary<Auth> {
  const needed: Role = operation.role ?? 'staff';
  const atLeast: Role[] =
    needed === 'staff' ? ['staff', 'editor', 'admin'] : needed === 'editor' ? ['editor', 'admin'] : ['admin'];
  const valid = fc.constantFrom(...atLeast).map((role): Auth => ({ kind: 'role', role, scheme: 'Bearer' }));
  if (family !== 'headers') return operation.role ? valid : fc.oneof(valid, fc.constant<Auth>({ kind: 'none' }));
  return fc.oneof(
    { weight: 2, arbitrary: valid },
    { weight: 1, arbitrary: fc.constant<Auth>({ kind: 'none' }) },
    { weight: 1, arbitrary: fc.constant<Auth>({ kind: 'revoked' }) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom<Role>('staff', 'editor', 'admin')
        .chain((role) => fc.constantFrom(...AUTH_SPELLINGS).map((scheme): Auth => ({ kind: 'role', role, scheme }))),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          'Bearer',
          'Bearer ',
          'Bearer ctk_',
          'Bearer ctk_000000000000_' + 'A'.repeat(43),
          'Bearer ' + 'x'.repeat(5000),
          'Basic YWRtaW46YWRtaW4=',
          'Bearer null',
          'Bearer undefined',
          'Bearer ctk_../../_x',
          'Token abc',
          '',
        )
        .map((value): Auth => ({ kind: 'raw', value })),
    },
  );
}

const IF_MATCH_JUNK = [
  '',
  '*',
  '"-1"',
  '"abc"',
  'W/"1"',
  '"99999999999999999999"',
  '1',
  '"0"',
  '"1", "2"',
  '"1.5"',
  '"1e3"',
  '" 1"',
  'x'.repeat(3000),
];
const IDEMPOTENCY_KEYS = ['fuzz-key-1', 'fuzz-key-2', 'fuzz-key-3'];

function headers(operation: Operation, family: Family): fc.Arbitrary<Record<string, string | Pick>> {
  const names = new Set(operation.headerParams.map((p) => p.name.toLowerCase()));
  const isWrite = operation.method !== 'GET';
  const ifMatch = names.has('if-match')
    ? family === 'headers'
      ? fc.option(fc.oneof(fc.constantFrom(...IF_MATCH_JUNK), pickOf('revision')), { nil: undefined })
      : fc.option(pickOf('revision'), { nil: undefined, freq: 2 })
    : fc.constant(undefined);
  const idempotency = names.has('idempotency-key')
    ? family === 'headers'
      ? fc.option(fc.oneof(fc.constantFrom(...IDEMPOTENCY_KEYS), fc.constantFrom('', ' ', 'k'.repeat(5000), '<script>')), {
          nil: undefined,
        })
      : fc.option(fc.uuid(), { nil: undefined, freq: 3 })
    : fc.constant(undefined);
  const correlation = names.has('x-correlation-id')
    ? fc.option(family === 'headers' ? fc.constantFrom('', 'c'.repeat(5000), '<script>', '%00') : fc.uuid(), {
        nil: undefined,
        freq: 3,
      })
    : fc.constant(undefined);
  const accept =
    family === 'headers' || !isWrite
      ? fc.option(
          fc.constantFrom(
            'text/html',
            'application/json',
            '*/*',
            'application/xml',
            'text/html;q=0.1, application/json',
            'garbage/',
          ),
          { nil: undefined },
        )
      : fc.constant(undefined);
  return fc
    .record({ ifMatch, idempotency, correlation, accept })
    .map(({ ifMatch: m, idempotency: i, correlation: c, accept: a }) => {
      const out: Record<string, string | Pick> = {};
      if (m !== undefined) out['if-match'] = m;
      if (i !== undefined) out['idempotency-key'] = i;
      if (c !== undefined) out['x-correlation-id'] = c;
      if (a !== undefined) out['accept'] = a;
      return out;
    });
}

function contentType(operation: Operation, family: Family, raw: boolean): fc.Arbitrary<string | null> {
  if (operation.method === 'GET' || operation.method === 'DELETE') return fc.constant(null);
  const json = raw ? 'text/plain' : 'application/json';
  if (family === 'valid' || family === 'params') return fc.constant(json);
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(json) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'text/plain',
        'application/yaml',
        'text/csv',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=latin1',
        'application/json; charset=utf-16',
        'application/merge-patch+json',
        'garbage',
      ),
    },
  );
}

/** Session files and CSV for the import operations, whose body is text (the document says "string"). */
export interface TextSamples {
  readonly yaml: readonly string[];
  readonly csv: readonly string[];
}

function textBody(
  operation: Operation,
  family: Family,
  samples: TextSamples,
): fc.Arbitrary<{ body: Body; type: string; what: string }> {
  const csv = operation.path.includes('csv');
  const texts = csv ? samples.csv : samples.yaml;
  const type = csv ? 'text/csv' : 'application/yaml';
  const valid = fc
    .constantFrom(...texts)
    .map((text) => ({ body: { raw: text, what: 'sample' } as Body, type, what: 'sample file' }));
  if (family !== 'body') return valid;
  const edited = fc
    .tuple(
      fc.constantFrom(...texts),
      fc.nat(),
      fc.constantFrom(
        ...HOSTILE_STRINGS,
        ...IMPOSSIBLE_DATES,
        '{',
        ': :',
        '- -',
        '"',
        '&anchor',
        '*alias',
        '!!js/function x',
        '<<: *a',
      ),
    )
    .map(([text, lineIndex, junk]) => {
      const lines = text.split('\n');
      const at = lineIndex % lines.length;
      const line = lines[at]!;
      const colon = line.indexOf(': ');
      lines[at] =
        colon >= 0 ? `${line.slice(0, colon + 2)}${junk.includes('\n') ? JSON.stringify(junk) : junk}` : `${line}${junk}`;
      return {
        body: { raw: lines.join('\n'), what: `line ${at + 1} edited` } as Body,
        type,
        what: `line ${at + 1} set to "${printable(junk, 30)}"`,
      };
    });
  const wild = fc
    .constantFrom(
      '',
      'a: b: c',
      '&a [*a, *a]',
      'a: &a [' + '*a,'.repeat(50) + ']',
      '['.repeat(5000),
      '- '.repeat(3000) + 'x',
      'session: null',
      'session: []',
      '{"session": {"id": 1}}',
      '\u0000',
      '\ud800: x',
      'id,summary\n' + '"'.repeat(1001),
      'x'.repeat(200_000),
    )
    .map((text) => ({ body: { raw: text, what: 'junk text' } as Body, type, what: `text "${printable(text, 30)}"` }));
  const types = fc.constantFrom(type, 'application/json', 'text/plain', 'text/yaml', 'text/csv');
  return fc.oneof(
    edited,
    wild,
    fc.tuple(valid, types).map(([v, t]) => ({ ...v, type: t, what: `sample file as ${t}` })),
  );
}

/** The generator of one operation's requests in one family. */
export function requestsFor(
  document: OpenApiDocument,
  operation: Operation,
  family: Family,
  samples: TextSamples,
): fc.Arbitrary<RequestTemplate> {
  const path = fc.record(
    Object.fromEntries(operation.pathParams.map((p) => [p.name, pathParam(p.name, family)])),
  ) as fc.Arbitrary<Record<string, Pick | { segment: string }>>;
  const isText = operation.bodySchema?.type === 'string';
  let body: fc.Arbitrary<{ body: Body; type: string | null; what: string | null }>;
  if (!operation.bodySchema || operation.method === 'GET' || operation.method === 'DELETE') {
    body = fc.constant({ body: { none: true }, type: null, what: null });
  } else if (isText) {
    body = textBody(operation, family, samples);
  } else {
    const valid = valueFor(document, operation.bodySchema);
    body =
      family === 'body'
        ? fc
            .tuple(mutatedBody(valid), contentType(operation, family, false))
            .map(([m, type]) => ({ body: m.body, type, what: m.what }))
        : fc
            .tuple(valid, contentType(operation, family, false))
            .map(([json, type]) => ({ body: { json } as Body, type, what: null }));
  }
  return fc
    .record({
      path,
      query: query(document, operation, family),
      auth: auth(operation, family),
      headers: headers(operation, family),
      body,
      twice: family === 'headers' && operation.method !== 'GET' ? fc.boolean() : fc.constant(false),
    })
    .map(({ path: p, query: q, auth: a, headers: h, body: b, twice }) => ({
      twice,
      op: operation.key,
      family,
      path: p,
      query: q,
      auth: a,
      headers: h,
      contentType: b.type,
      body: b.body,
      mutations: [
        ...(b.what && family === 'body' ? [`body: ${b.what}`] : []),
        ...(b.type && b.type !== 'application/json' && family !== 'valid' && !isText ? [`content-type ${b.type}`] : []),
        ...(family === 'params' ? paramLabels(p, q) : []),
        ...(family === 'headers' ? headerLabels(a, h) : []),
        ...(twice ? ['sent twice'] : []),
      ],
    }));
}

function paramLabels(path: Readonly<Record<string, Pick | { segment: string }>>, query: Pairs): string[] {
  return [
    ...Object.entries(path).flatMap(([name, value]) =>
      value instanceof Pick ? [] : [`path ${name}=${printable(value.segment, 30)}`],
    ),
    ...query.flatMap(([name, value]) => (value instanceof Pick ? [] : [`query ${name}=${printable(value, 30)}`])),
  ];
}

function headerLabels(auth: Auth, headers: Readonly<Record<string, string | Pick>>): string[] {
  const who =
    auth.kind === 'role'
      ? auth.scheme === 'Bearer'
        ? `${auth.role} token`
        : `${auth.role} token as "${auth.scheme}"`
      : auth.kind === 'raw'
        ? `authorization "${printable(auth.value, 30)}"`
        : auth.kind === 'revoked'
          ? 'revoked token'
          : 'no token';
  return [
    who,
    ...Object.entries(headers).map(
      ([name, value]) => `${name} ${value instanceof Pick ? `<${value.kind}>` : `"${printable(value, 30)}"`}`,
    ),
  ];
}
