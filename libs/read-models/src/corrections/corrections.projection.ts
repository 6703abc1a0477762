import type { RecordedEvent } from '#event-store';
import { fromRow, upsertRows, columnsOf } from '../projection/json-rows.js';
import type { Projection, Sql } from '../projection/projection.js';
import { TRACKED_EVENT_TYPES, foldCorrections, trackedStreamIds, type Correction, type CorrectionSubject } from './correction.js';

export const correctionSubjectColumns = columnsOf<CorrectionSubject>({
  streamId: 'text',
  details: 'jsonb',
  position: 'text',
});

export const correctionColumns = columnsOf<Correction>({
  streamId: 'text',
  revision: 'int',
  subjectKind: 'text',
  subjectId: 'text',
  subjectTitle: 'text',
  position: 'text',
  occurredAt: 'timestamptz',
  recordedAt: 'timestamptz',
  actor: 'text',
  reason: 'text',
  changes: 'jsonb',
});

/**
 * `corrections`: every fix of the record (commitment and session corrections) with each field's
 * value before and after; `correction_subjects` keeps the correctable fields of every commitment
 * and session as they stand, since a correction event names only the new values.
 */
export const correctionsProjection: Projection = {
  name: 'corrections',
  tables: ['correction_subjects', 'corrections'],
  eventTypes: TRACKED_EVENT_TYPES,

  async apply(events: readonly RecordedEvent[], sql: Sql, table: (name: string) => string): Promise<void> {
    const ids = trackedStreamIds(events);
    if (ids.length === 0) return;
    const stored = await sql(`select * from ${table('correction_subjects')} where stream_id = any($1)`, [ids]);
    const subjects = new Map(
      stored.map((row) => {
        const subject = fromRow(correctionSubjectColumns, row);
        return [subject.streamId, subject] as const;
      }),
    );
    const before = new Map(subjects);
    const corrections = foldCorrections(subjects, events);
    const changed = [...subjects.values()].filter((subject) => before.get(subject.streamId) !== subject);
    await upsertRows(sql, table('correction_subjects'), correctionSubjectColumns, changed, {
      key: ['stream_id'],
      update: true,
    });
    await upsertRows(sql, table('corrections'), correctionColumns, corrections, {
      key: ['stream_id', 'revision'],
      update: false,
    });
  },

  replay() {
    const subjects = new Map<string, CorrectionSubject>();
    return {
      async add(events, _sql, table, write) {
        // Corrections are written once each; the subjects only at the end.
        await write(table('corrections'), correctionColumns, foldCorrections(subjects, events));
      },
      async finish(_sql, table, write) {
        await write(table('correction_subjects'), correctionSubjectColumns, [...subjects.values()]);
      },
    };
  },
};
