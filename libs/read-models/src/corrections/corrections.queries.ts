import { fromRow } from '../projection/json-rows.js';
import type { Sql } from '../projection/projection.js';
import type { Correction, CorrectionSubjectKind } from './correction.js';
import { correctionColumns } from './corrections.projection.js';

/** One commitment's or session's corrections; null for all of them. */
export type CorrectionsOf = { readonly kind: CorrectionSubjectKind; readonly id: string } | null;

const filtered = (subject: CorrectionsOf) => ({
  where: subject ? 'where subject_kind = $1 and subject_id = $2' : '',
  parameters: subject ? [subject.kind, subject.id] : [],
});
const toCorrection = (row: Record<string, unknown>): Correction => fromRow(correctionColumns, row);

/** A page of corrections, newest first, and how many there are in all. */
export async function listCorrections(
  sql: Sql,
  subject: CorrectionsOf,
  page: number,
  pageSize: number,
): Promise<{ rows: Correction[]; total: number }> {
  const { where, parameters } = filtered(subject);
  const [rows, counted] = await Promise.all([
    sql(
      `select * from corrections ${where} order by recorded_at desc, stream_id, revision
       limit $${parameters.length + 1} offset $${parameters.length + 2}`,
      [...parameters, pageSize, (page - 1) * pageSize],
    ),
    sql<{ total: number }>(`select count(*)::int as total from corrections ${where}`, parameters),
  ]);
  return { rows: rows.map(toCorrection), total: counted[0]!.total };
}

/** The latest corrections, newest first. */
export async function latestCorrections(sql: Sql, subject: CorrectionsOf, limit: number): Promise<Correction[]> {
  const { where, parameters } = filtered(subject);
  const rows = await sql(
    `select * from corrections ${where} order by recorded_at desc, stream_id, revision limit $${parameters.length + 1}`,
    [...parameters, limit],
  );
  return rows.map(toCorrection);
}
