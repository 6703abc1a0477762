import type { LogPosition, RecordedEvent } from '#event-store';
import { foldCorrections, type CorrectionSubject } from './correction.js';

let sequence = 0;
const recorded = (streamId: string, revision: number, type: string, data: object): RecordedEvent =>
  ({
    streamId,
    revision,
    type,
    data: data as RecordedEvent['data'],
    eventId: `event-${++sequence}`,
    position: String(++sequence).padStart(10, '0') as LogPosition,
    metadata: { occurredAt: '2022-01-01T00:00:00.000Z', recordedAt: '2022-01-02T00:00:00.000Z', actor: 'ed' },
  }) as unknown as RecordedEvent;

const made = recorded('commitment-c1', 0, 'CommitmentMade', {
  commitmentId: 'c1',
  sessionId: 's1',
  sessionDate: '2021-01-01',
  speaker: { name: 'Pat', role: null },
  ownerTeam: 'Team',
  topics: ['a'],
  summary: 'Do it',
  quote: 'We will',
  target: { asSaid: 'by March', latestDate: '2021-03-31' },
  strength: 'plan',
});

describe('foldCorrections', () => {
  it('shows what a correction replaced, following re-targets and revisits in between', () => {
    const subjects = new Map<string, CorrectionSubject>();
    const revisit = recorded('commitment-c1', 1, 'CommitmentRevisited', {
      sessionId: 's2',
      sessionDate: '2021-04-01',
      statement: 'Later',
      quote: null,
      speaker: null,
      newTarget: { asSaid: 'by June', latestDate: '2021-06-30' },
      previousTarget: { asSaid: 'by March', latestDate: '2021-03-31' },
    });
    const corrected = recorded('commitment-c1', 2, 'CommitmentCorrected', {
      changes: { target: { asSaid: 'by July', latestDate: '2021-07-31' }, note: 'Checked' },
      reason: 'Misheard',
    });
    const corrections = foldCorrections(subjects, [made, revisit, corrected]);
    expect(corrections).toHaveLength(1);
    expect(corrections[0]).toMatchObject({
      subjectKind: 'commitment',
      subjectId: 'c1',
      subjectTitle: 'Do it',
      reason: 'Misheard',
      actor: 'ed',
      changes: [
        {
          field: 'target',
          from: { asSaid: 'by June', latestDate: '2021-06-30' },
          to: { asSaid: 'by July', latestDate: '2021-07-31' },
        },
        { field: 'note', from: null, to: 'Checked' },
      ],
    });
    // The same events again (a replayed batch) change nothing and report nothing.
    expect(foldCorrections(subjects, [corrected])).toEqual([]);
    expect(subjects.get('commitment-c1')!.details.target).toEqual({ asSaid: 'by July', latestDate: '2021-07-31' });
  });

  it('reports session corrections and ignores events that fix nothing', () => {
    const subjects = new Map<string, CorrectionSubject>();
    const corrections = foldCorrections(subjects, [
      recorded('session-s1', 0, 'SessionRecorded', {
        sessionId: 's1',
        date: '2021-01-01',
        title: 'Office hour',
        kind: 'office_hour',
        hosts: [],
        sourceUrl: 'https://example.org',
      }),
      recorded('session-s1', 1, 'SessionCorrected', { changes: { title: 'Office hours' }, reason: 'Typo' }),
      made,
      recorded('commitment-c1', 1, 'ProgressReported', { note: 'Going', evidence: [] }),
    ]);
    expect(corrections.map((c) => [c.subjectKind, c.subjectId, c.changes])).toEqual([
      ['session', 's1', [{ field: 'title', from: 'Office hour', to: 'Office hours' }]],
    ]);
  });
});
