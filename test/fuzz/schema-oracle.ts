import { Ajv, type ValidateFunction } from 'ajv';
import { resolve, type OpenApiDocument, type Schema } from './openapi-requests.js';

/**
 * What the OpenAPI document says a body must be, as a JSON Schema validator, plus the calendar
 * check the document cannot express: a mutated body that breaks either and still gets a 2xx was
 * accepted against the api's own contract (unknown fields included: DESIGN says they are refused).
 */
export class SchemaOracle {
  private readonly ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  private readonly compiled = new Map<Schema, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {}

  /** Why `body` breaks `schema`, or null when it does not. */
  whyInvalid(schema: Schema, body: unknown): string | null {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(this.toJsonSchema(schema, 0));
      this.compiled.set(schema, validate);
    }
    if (!validate(body)) {
      const error = validate.errors?.[0];
      return error
        ? `${error.instancePath || '/'} ${error.message}${error.params && 'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : ''}`
        : 'invalid';
    }
    return this.impossibleDate(schema, body, '', '');
  }

  private toJsonSchema(raw: Schema, depth: number): object {
    const schema = resolve(this.document, raw);
    if (depth > 12) return {};
    const out: Record<string, unknown> = {};
    // "object" with no properties is how @nestjs/swagger writes a union it cannot name (string | null):
    // it says nothing this oracle can hold the api to.
    if (schema.type === 'object' && !schema.properties) return {};
    if (schema.enum) out.enum = [...schema.enum];
    const type = schema.type ?? (schema.properties ? 'object' : undefined);
    if (type) out.type = type;
    // Where the document contradicts itself (reported apart), its example's type counts too:
    // this oracle is for what the api accepts, not for the document's own mistakes.
    const exampleType = exampleTypeOf(schema);
    if (type && exampleType && exampleType !== type && !(type === 'integer' && exampleType === 'number'))
      out.type = [type, exampleType];
    for (const key of ['maxLength', 'minLength', 'pattern', 'minimum', 'maximum', 'minItems', 'maxItems'] as const) {
      if (schema[key] !== undefined) out[key] = schema[key];
    }
    if (type === 'object' && schema.properties) {
      out.properties = Object.fromEntries(
        Object.entries(schema.properties).map(([key, value]) => [key, this.toJsonSchema(value, depth + 1)]),
      );
      out.required = [...(schema.required ?? [])];
      out.additionalProperties = false;
    }
    if (type === 'array' && schema.items) out.items = this.toJsonSchema(schema.items, depth + 1);
    return schema.nullable ? { anyOf: [out, { type: 'null' }] } : out;
  }

  /** A string in a date field that names no day of the calendar, e.g. 2023-02-30. */
  private impossibleDate(raw: Schema, value: unknown, name: string, at: string): string | null {
    const schema = resolve(this.document, raw);
    if (typeof value === 'string' && value.trim() !== '' && isDateField(schema, name)) {
      return isCalendarDate(value) ? null : `${at || '/'} "${value.slice(0, 40)}" is not a day of the calendar`;
    }
    if (Array.isArray(value) && schema.items) {
      for (const [index, item] of value.entries()) {
        const why = this.impossibleDate(schema.items, item, name, `${at}/${index}`);
        if (why) return why;
      }
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && schema.properties) {
      for (const [key, item] of Object.entries(value)) {
        const property = schema.properties[key];
        const why = property ? this.impossibleDate(property, item, key, `${at}/${key}`) : null;
        if (why) return why;
      }
    }
    return null;
  }
}

function exampleTypeOf(schema: Schema): string | null {
  const example = schema.example;
  if (example === undefined || example === null) return null;
  return Array.isArray(example) ? 'array' : typeof example;
}

export function isDateField(schema: Schema, name: string): boolean {
  if (schema.format === 'date' || schema.format === 'date-time') return true;
  if (typeof schema.example === 'string' && /^\d{4}-\d\d-\d\d(T|$)/.test(schema.example)) return true;
  return ['date', 'latestDate', 'occurredAt', 'asOf'].includes(name);
}

/** YYYY-MM-DD, or an ISO date-time with a zone, naming a real day and time. */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d))?$/.exec(text);
  if (!match) return false;
  const [, y, m, d, hh = '0', mm = '0', ss = '0'] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return (
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(m) - 1 &&
    date.getUTCDate() === Number(d) &&
    Number(hh) < 24 &&
    Number(mm) < 60 &&
    Number(ss) < 60
  );
}

/** Places where the document contradicts itself: a declared type its own example does not have. */
export function documentContradictions(document: OpenApiDocument): string[] {
  const found: string[] = [];
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      const resolved = resolve(document, property);
      if (resolved.type === 'object' && !resolved.properties && !resolved.additionalProperties) {
        found.push(`${name}.${key}: declared an object with no properties (a union such as string | null?)`);
        continue;
      }
      const example = resolved.example;
      if (example === undefined || resolved.type === undefined || (example === null && resolved.nullable)) continue;
      const actual = Array.isArray(example) ? 'array' : example === null ? 'null' : typeof example;
      const declared = resolved.type === 'integer' ? 'number' : resolved.type;
      if (actual !== declared)
        found.push(
          `${name}.${key}: declared ${resolved.type}, its example is a ${actual} (${JSON.stringify(example).slice(0, 40)})`,
        );
    }
  }
  return found;
}
