import type { Sql } from './projection.js';

/** How one field of a view is stored: its column and SQL type. */
export type ColumnMap<Row> = readonly (readonly [field: keyof Row & string, column: string, type: string])[];

export type SqlType = 'text' | 'text[]' | 'int' | 'boolean' | 'date' | 'timestamptz' | 'jsonb';

const snakeCase = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * The column map of a row type: each field's SQL type, its column the field in snake_case. Every
 * field must be named, so the row type is the one definition of the table's columns.
 */
export const columnsOf = <Row>(types: { readonly [Field in keyof Row & string]-?: SqlType }): ColumnMap<Row> =>
  (Object.keys(types) as (keyof Row & string)[]).map((field) => [field, snakeCase(field), types[field]] as const);

/**
 * Writes many rows in one statement: the rows travel as one JSON parameter and are unpacked
 * with jsonb_to_recordset, so a batch costs one round trip whatever its size.
 */
export async function upsertRows<Row>(
  sql: Sql,
  table: string,
  columns: ColumnMap<Row>,
  rows: readonly Row[],
  /** `null`: plain inserts, for tables with no key yet (a rebuild's load writes each row once). */
  conflict: { readonly key: readonly string[]; readonly update: boolean } | null,
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map(([, column]) => column);
  const payload = JSON.stringify(rows.map((row) => Object.fromEntries(columns.map(([field, column]) => [column, row[field]]))));
  const update = names.filter((name) => !conflict?.key.includes(name)).map((name) => `${name} = excluded.${name}`);
  const onConflict = conflict
    ? `on conflict (${conflict.key.join(', ')}) do ${conflict.update ? `update set ${update.join(', ')}` : 'nothing'}`
    : '';
  await sql(
    `insert into ${table} (${names.join(', ')})
     select ${names.join(', ')} from jsonb_to_recordset($1::jsonb) as x(${columns.map(([, column, type]) => `${column} ${type}`).join(', ')})
     ${onConflict}`,
    [payload],
  );
}

/** Reads rows back into views, the inverse of `upsertRows`. */
export function fromRow<Row>(columns: ColumnMap<Row>, record: Record<string, unknown>): Row {
  return Object.fromEntries(columns.map(([field, column, type]) => [field, fromColumn(record[column], type)])) as Row;
}

function fromColumn(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  // pg reads a `date` as local midnight; its local calendar fields are the stored day.
  if (value instanceof Date && type === 'date') return calendarDay(value);
  if (value instanceof Date) return value.toISOString();
  // A row read through JSON (json_agg) carries its times as text with an offset.
  if (typeof value === 'string' && type === 'timestamptz') return new Date(value).toISOString();
  return value;
}

const calendarDay = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
