import type { RecordedEvent } from '#event-store';
import type { CommitmentEvent } from '#governance';
import { applyToCommitmentView, type CommitmentView } from '../commitments/commitment-view.js';
import { dayStart, testEventLog } from '../testing/test-event-log.js';
import { foldCommitmentStates, type CommitmentStateRow } from './commitment-state.js';

const newLog = () => testEventLog({ firstPosition: 1000 });
let log = newLog();
const recorded = (
  event: CommitmentEvent,
  occurredAt: string,
  recordedAt: string,
  streamId = 'commitment-phase-2',
): RecordedEvent => log.record(streamId, event, { occurredAt, recordedAt });
const day = dayStart;

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
const revisited: CommitmentEvent = {
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
};
const started: CommitmentEvent = { type: 'WorkStarted', data: { note: null } };
const delivered: CommitmentEvent = {
  type: 'CommitmentDelivered',
  data: { completeness: 'full', note: 'Launched', evidence: [] },
};

describe('commitment states (the dashboard as of a past day)', () => {
  beforeEach(() => {
    log = newLog();
  });

  it('given made, revisited with a later target, then a delivery backdated before the revisit: one state per event', () => {
    const rows = foldCommitmentStates(new Map(), [
      recorded(made, day('2020-12-10'), '2026-01-05T10:00:00.000Z'),
      recorded(revisited, day('2022-08-18'), '2026-01-06T10:00:00.000Z'),
      recorded(delivered, day('2021-06-01'), '2026-01-07T10:00:00.000Z'),
    ]);

    const common = {
      commitmentId: 'phase-2',
      ownerTeam: 'Trust & Safety',
      topics: ['UCoC'],
      summary: 'Start phase 2',
      targetEarliestDate: null,
      extensionCount: 0,
    };
    expect(rows).toEqual([
      {
        ...common,
        revision: 0,
        position: '00000000000000000100/0000000000000001000',
        recordedAt: '2026-01-05T10:00:00.000Z',
        occurredAt: day('2020-12-10'),
        latestOccurredAt: day('2020-12-10'),
        status: 'announced',
        targetLatestDate: '2021-02-28',
        madeAt: day('2020-12-10'),
        closedAt: null,
        closedAtPrecision: 'exact',
        slipDays: 0,
        slipCount: 0,
        lateSlipCount: 0,
        lastNewsOn: '2020-12-10',
        workStarted: false,
      },
      {
        ...common,
        revision: 1,
        position: '00000000000000000100/0000000000000001001',
        recordedAt: '2026-01-06T10:00:00.000Z',
        occurredAt: day('2022-08-18'),
        latestOccurredAt: day('2022-08-18'),
        status: 'announced',
        targetLatestDate: '2022-09-07',
        madeAt: day('2020-12-10'),
        closedAt: null,
        closedAtPrecision: 'exact',
        slipDays: 556,
        slipCount: 1,
        // Announced in 2022, after the 2021-02-28 target had passed.
        lateSlipCount: 1,
        // The latest news by occurred time, whatever the order it was recorded in.
        lastNewsOn: '2022-08-18',
        workStarted: false,
      },
      {
        ...common,
        revision: 2,
        position: '00000000000000000100/0000000000000001002',
        recordedAt: '2026-01-07T10:00:00.000Z',
        occurredAt: day('2021-06-01'),
        // Folded after the 2022 revisit in stream order: as of 2021 by occurred time, it shows that slip too.
        latestOccurredAt: day('2022-08-18'),
        status: 'delivered',
        targetLatestDate: '2022-09-07',
        madeAt: day('2020-12-10'),
        closedAt: day('2021-06-01'),
        closedAtPrecision: 'exact',
        slipDays: 556,
        slipCount: 1,
        // Announced in 2022, after the 2021-02-28 target had passed.
        lateSlipCount: 1,
        // The latest news by occurred time, whatever the order it was recorded in.
        lastNewsOn: '2022-08-18',
        workStarted: false,
      },
    ]);
  });

  it('carries on from a stored state: batch by batch gives the rows of one batch, and each equals the commitments fold', () => {
    const other = (event: CommitmentEvent, at: string) => recorded(event, at, at, 'commitment-vote');
    const history = [
      recorded(made, day('2020-12-10'), day('2026-01-01')),
      other(
        { ...made, data: { ...made.data, commitmentId: 'vote', ownerTeam: 'Board', topics: ['Elections'] } } as CommitmentEvent,
        day('2020-12-10'),
      ),
      recorded(started, day('2021-01-10'), day('2026-01-02')),
      recorded(
        {
          type: 'CommitmentRetargeted',
          data: { previousTarget: target, newTarget: { asSaid: 'June', latestDate: '2021-06-30' }, reason: 'Late' },
        },
        day('2021-02-01'),
        day('2026-01-03'),
      ),
      recorded(
        {
          type: 'CommitmentCorrected',
          data: { changes: { ownerTeam: 'Legal', topics: ['UCoC', 'Policy'], summary: 'Start UCoC phase 2' }, reason: 'Typo' },
        },
        day('2026-01-04'),
        day('2026-01-04'),
      ),
      other({ type: 'CommitmentDropped', data: { reason: 'deprioritised', explanation: 'Budget' } }, day('2021-03-01')),
      recorded(
        { type: 'CommitmentDropped', data: { reason: 'other', explanation: 'Paused' } },
        day('2021-07-01'),
        day('2026-01-05'),
      ),
      recorded({ type: 'CommitmentReopened', data: { reason: 'Resumed' } }, day('2021-09-01'), day('2026-01-06')),
      recorded(
        { type: 'CommitmentLinked', data: { linkedTo: 'vote', relation: 'related', note: null } },
        day('2026-01-07'),
        day('2026-01-07'),
      ),
      recorded(
        {
          type: 'CommitmentCorrected',
          data: { changes: { target: { asSaid: 'Summer', latestDate: '2021-08-31' } }, reason: 'Misheard' },
        },
        day('2026-01-08'),
        day('2026-01-08'),
      ),
      recorded(
        { type: 'CommitmentDelivered', data: { completeness: 'partial', note: 'Half', evidence: [] } },
        day('2021-10-01'),
        day('2026-01-09'),
      ),
    ];

    const inOneBatch = foldCommitmentStates(new Map(), history);
    let stored = new Map<string, CommitmentStateRow>();
    const batchByBatch: CommitmentStateRow[] = [];
    for (const event of history) {
      const rows = foldCommitmentStates(stored, [event]);
      batchByBatch.push(...rows);
      stored = new Map([...stored, ...rows.map((row) => [row.commitmentId, row] as const)]);
    }
    expect(batchByBatch).toEqual(inOneBatch);
    expect(inOneBatch).toHaveLength(history.length);

    const views = new Map<string, CommitmentView | null>();
    const expected = history.map((event) => {
      const view = applyToCommitmentView(views.get(event.streamId) ?? null, event).view!;
      views.set(event.streamId, view);
      return [
        view.commitmentId,
        view.revision,
        view.status,
        view.ownerTeam,
        view.topics,
        view.summary,
        view.targetLatestDate,
        view.closedAt,
        view.slipDays,
        view.slipCount,
      ];
    });
    const actual = inOneBatch.map((row) => [
      row.commitmentId,
      row.revision,
      row.status,
      row.ownerTeam,
      row.topics,
      row.summary,
      row.targetLatestDate,
      row.closedAt,
      row.slipDays,
      row.slipCount,
    ]);
    expect(actual).toEqual(expected);
    // Reopened after work had started: back to in_progress, as the commitments fold says.
    expect(inOneBatch.filter((row) => row.commitmentId === 'phase-2').map((row) => row.status)).toEqual([
      'announced',
      'in_progress',
      'in_progress',
      'in_progress',
      'dropped',
      'in_progress',
      'in_progress',
      'in_progress',
      'partially_delivered',
    ]);
  });

  it('adds nothing for replayed events, other streams or events before the commitment was made', () => {
    const first = recorded(made, day('2020-12-10'), day('2026-01-01'));
    const [state] = foldCommitmentStates(new Map(), [first]);
    const session = { ...recorded(started, day('2021-01-01'), day('2026-01-02')), streamId: 'session-oh-2020' };
    const orphan = { ...recorded(started, day('2021-01-01'), day('2026-01-02')), streamId: 'commitment-never-made' };

    expect(foldCommitmentStates(new Map([['phase-2', state!]]), [first, session, orphan])).toEqual([]);
  });
});
