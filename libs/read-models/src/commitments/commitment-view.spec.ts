import type { RecordedEvent } from '#event-store';
import type { CommitmentEvent } from '#governance';
import {
  applyToCommitmentView,
  applyToCommitmentViewInPlace,
  type ChangingCommitmentView,
  type CommitmentView,
  type TimelineEntry,
} from './commitment-view.js';
import { testEventLog } from '../testing/test-event-log.js';

const newLog = () => testEventLog({ firstPosition: 1000 });
let log = newLog();
const recorded = (event: CommitmentEvent, occurredAt: string, recordedAt = '2026-11-21T09:00:00.000Z'): RecordedEvent =>
  log.record('commitment-phase-2', event, { occurredAt, recordedAt });

function given(events: readonly RecordedEvent[]): { view: CommitmentView | null; entries: TimelineEntry[] } {
  let view: CommitmentView | null = null;
  const entries: TimelineEntry[] = [];
  for (const event of events) {
    const applied = applyToCommitmentView(view, event);
    view = applied.view;
    if (applied.entry) entries.push(applied.entry);
  }
  return { view, entries };
}

const target = { asSaid: 'January or February 2021', latestDate: '2021-02-28' };
const made: CommitmentEvent = {
  type: 'CommitmentMade',
  data: {
    commitmentId: 'phase-2',
    sessionId: 'oh-2020',
    sessionDate: '2020-12-10',
    speaker: { name: 'Patrick', role: 'T&S' },
    ownerTeam: 'Trust & Safety',
    topics: ['UCoC'],
    summary: 'Start phase 2',
    quote: 'We are planning to start in January or February.',
    target,
    strength: 'plan',
  },
};

describe('commitment read model', () => {
  beforeEach(() => {
    log = newLog();
  });

  it('given made, revisited with a later target, started, delivered: counts a slip and its days, closes it', () => {
    const { view, entries } = given([
      recorded(made, '2020-12-10T00:00:00.000Z'),
      recorded(
        {
          type: 'CommitmentRevisited',
          data: {
            sessionId: 'ch-2022',
            sessionDate: '2022-08-18',
            statement: 'Consultations in September',
            quote: null,
            speaker: null,
            newTarget: { asSaid: 'September 7th', latestDate: '2022-09-07' },
            previousTarget: target,
          },
        },
        '2022-08-18T00:00:00.000Z',
      ),
      recorded({ type: 'WorkStarted', data: { note: null } }, '2022-08-20T00:00:00.000Z'),
      recorded(
        { type: 'CommitmentDelivered', data: { completeness: 'full', note: 'Launched', evidence: ['https://x.org'] } },
        '2022-09-07T00:00:00.000Z',
      ),
    ]);
    expect(view).toMatchObject({
      status: 'delivered',
      revisitedIn: ['ch-2022'],
      targetLatestDate: '2022-09-07',
      firstTargetLatestDate: '2021-02-28',
      slipCount: 1,
      slipDays: 556,
      updateCount: 3,
      workStarted: true,
      madeAt: '2020-12-10T00:00:00.000Z',
      closedAt: '2022-09-07T00:00:00.000Z',
      lastChangedAt: '2022-09-07T00:00:00.000Z',
      revision: 3,
    });
    expect(entries.map((entry) => [entry.eventType, entry.sessionId, entry.text])).toEqual([
      ['CommitmentMade', 'oh-2020', 'Committed: Start phase 2. Target: January or February 2021 (by 2021-02-28).'],
      ['CommitmentRevisited', 'ch-2022', 'Revisited: Consultations in September — new target: September 7th (by 2022-09-07)'],
      ['WorkStarted', null, 'Work started.'],
      ['CommitmentDelivered', null, 'Delivered: Launched'],
    ]);
    expect(entries[3]!.evidence).toEqual(['https://x.org']);
  });

  it('a summary that already ends a sentence gets no second full stop in its history', () => {
    const sentence = { ...made, data: { ...made.data, summary: 'Phase 2 starts in January.' } } as CommitmentEvent;
    const { entries } = given([recorded(sentence, '2020-12-10T00:00:00.000Z')]);
    expect(entries[0]!.text).toBe('Committed: Phase 2 starts in January. Target: January or February 2021 (by 2021-02-28).');
  });

  it('a replayed or duplicate event changes nothing and adds no entry', () => {
    const first = recorded(made, '2020-12-10T00:00:00.000Z');
    const progress = recorded({ type: 'ProgressReported', data: { note: 'x', evidence: [] } }, '2021-01-01T00:00:00.000Z');
    const once = given([first, progress]);
    const again = applyToCommitmentView(once.view, progress);
    expect(again).toEqual({ view: once.view, entry: null });
    expect(applyToCommitmentView(once.view, first)).toEqual({ view: once.view, entry: null });
  });

  it('an editorial correction of the target is not a slip; reopening returns to where work stood', () => {
    const { view } = given([
      recorded(made, '2020-12-10T00:00:00.000Z'),
      recorded(
        {
          type: 'CommitmentCorrected',
          data: { changes: { target: { asSaid: 'spring 2021', latestDate: '2021-05-31' } }, reason: 'Misheard' },
        },
        '2026-11-01T00:00:00.000Z',
      ),
      recorded({ type: 'CommitmentDropped', data: { reason: 'other', explanation: 'x' } }, '2026-11-02T00:00:00.000Z'),
      recorded({ type: 'CommitmentReopened', data: { reason: 'y' } }, '2026-11-03T00:00:00.000Z'),
    ]);
    expect(view).toMatchObject({
      status: 'announced',
      slipCount: 0,
      targetLatestDate: '2021-05-31',
      closedAt: null,
      workStarted: false,
    });
  });

  it("the replay's in-place fold ends where the pure fold does, and leaves earlier views to the pure fold untouched", () => {
    const history = [
      recorded(made, '2020-12-10T00:00:00.000Z'),
      recorded(
        {
          type: 'CommitmentRetargeted',
          data: { previousTarget: target, newTarget: { asSaid: 'May 2021', latestDate: '2021-05-31' }, reason: 'Delays' },
        },
        '2021-01-10T00:00:00.000Z',
      ),
      recorded({ type: 'WorkStarted', data: { note: 'Kick-off' } }, '2021-02-01T00:00:00.000Z'),
      recorded({ type: 'CommitmentDropped', data: { reason: 'other', explanation: 'x' } }, '2021-03-01T00:00:00.000Z'),
      recorded({ type: 'CommitmentReopened', data: { reason: 'y' } }, '2021-03-02T00:00:00.000Z'),
    ];
    const pure = given(history);
    const afterMade = applyToCommitmentView(null, history[0]!).view;
    const snapshot = structuredClone(afterMade);
    applyToCommitmentView(afterMade, history[1]!);
    expect(afterMade).toEqual(snapshot);

    let view: ChangingCommitmentView | null = null;
    const entries: TimelineEntry[] = [];
    for (const event of history) {
      const applied = applyToCommitmentViewInPlace(view, event);
      view = applied.view;
      if (applied.entry) entries.push(applied.entry);
    }
    expect(view).toEqual(pure.view);
    expect(view).toMatchObject({ status: 'in_progress', slipCount: 1, slipDays: 92, updateCount: 4, closedAt: null });
    expect(entries).toEqual(pure.entries);
  });

  it('events before the commitment was made are ignored', () => {
    expect(
      given([recorded({ type: 'ProgressReported', data: { note: 'x', evidence: [] } }, '2021-01-01T00:00:00.000Z')]),
    ).toEqual({
      view: null,
      entries: [],
    });
  });

  it("given made, a progress report: in progress, work started (the domain's statusAfter)", () => {
    const { view } = given([
      recorded(made, '2020-12-10T00:00:00.000Z'),
      recorded({ type: 'ProgressReported', data: { note: 'Months of work', evidence: [] } }, '2022-08-18T00:00:00.000Z'),
    ]);
    expect(view).toMatchObject({ status: 'in_progress', workStarted: true });
  });

  it('given a delivery known only by a date: closed no later than that day, and the history line says so', () => {
    const evidence = ['https://meta.wikimedia.org/wiki/IRC_office_hours/Office_hours_2022-08-18'];
    const history = [
      recorded(made, '2020-12-10T00:00:00.000Z'),
      recorded(
        {
          type: 'CommitmentDelivered',
          data: { completeness: 'full', note: 'Ratified', evidence, datePrecision: 'no_later_than' },
        },
        '2022-08-18T00:00:00.000Z',
      ),
    ];
    const { view, entries } = given(history);
    expect(view).toMatchObject({ status: 'delivered', closedAt: '2022-08-18T00:00:00.000Z', closedAtPrecision: 'no_later_than' });
    // A rebuild folds in place: the same view, the same history.
    let inPlace: ChangingCommitmentView | null = null;
    for (const event of history) inPlace = applyToCommitmentViewInPlace(inPlace, event).view;
    expect(inPlace).toEqual(view);
    expect(entries.map((entry) => entry.datePrecision)).toEqual(['exact', 'no_later_than']);
    expect(entries[1]!.evidence).toEqual(evidence);
  });

  it('evidence of every status change shows in its history line; events stored without it read as exact, with none', () => {
    const evidence = ['https://example.org/proof'];
    const { view, entries } = given([
      recorded(made, '2020-12-10T00:00:00.000Z'),
      recorded({ type: 'WorkStarted', data: { note: null, evidence } }, '2021-01-01T00:00:00.000Z'),
      recorded({ type: 'CommitmentDropped', data: { reason: 'other', explanation: 'x', evidence } }, '2021-02-01T00:00:00.000Z'),
      recorded({ type: 'CommitmentReopened', data: { reason: 'y' } }, '2021-03-01T00:00:00.000Z'),
    ]);
    expect(entries.map((entry) => entry.evidence)).toEqual([[], evidence, evidence, []]);
    expect(entries.map((entry) => entry.datePrecision)).toEqual(['exact', 'exact', 'exact', 'exact']);
    expect(view).toMatchObject({ status: 'in_progress', closedAt: null, closedAtPrecision: 'exact' });
  });
});
