import { figure, InvalidValueError, MINIMUM_SAMPLE_TO_RATE, slipKind, type Target } from '../shared/index.js';
import { specification } from '../testing/given-when-then.js';
import {
  commitmentDecider,
  deliveryTiming,
  isDue,
  isNews,
  isOverdue,
  isStale,
  NEWS_EVENT_TYPES,
  staleCutoff,
  type CommitmentEvent,
  type CommitmentMade,
  type RetargetCommitment,
} from './commitment.js';

const { given } = specification(commitmentDecider);

const januaryOrFebruary: Target = { asSaid: 'January or February 2021', earliestDate: '2021-01-01', latestDate: '2021-02-28' };
const made: CommitmentMade = {
  type: 'CommitmentMade',
  data: {
    commitmentId: 'ucoc-phase-2-start',
    sessionId: 'office-hours-2020-12-10',
    sessionDate: '2020-12-10',
    speaker: { name: 'Maggie Dennis', role: null },
    ownerTeam: 'Trust & Safety',
    topics: ['UCoC'],
    summary: 'Phase 2 starts in January or February 2021.',
    quote: 'We are planning to start in January or February.',
    target: januaryOrFebruary,
    strength: 'plan',
  },
};
const retarget = (newTarget: unknown): RetargetCommitment => ({
  type: 'RetargetCommitment',
  data: { newTarget: newTarget as Target, reason: 'More time' },
  occurredAt: '2021-01-15T12:00:00.000Z',
  now: '2026-12-01T09:00:00.000Z',
});

describe('Target windows', () => {
  describe('given a commitment made with a window', () => {
    it('when it is re-targeted to another window, then both windows are recorded', () =>
      given([made])
        .when(retarget({ asSaid: 'March or April 2021', earliestDate: '2021-03-01', latestDate: '2021-04-30' }))
        .then([
          {
            type: 'CommitmentRetargeted',
            data: {
              previousTarget: januaryOrFebruary,
              newTarget: { asSaid: 'March or April 2021', earliestDate: '2021-03-01', latestDate: '2021-04-30' },
              reason: 'More time',
            },
          },
        ]));

    it('when only the earliest day changes, then that is a new target', () =>
      given([made])
        .when(retarget({ ...januaryOrFebruary, earliestDate: '2021-02-01' }))
        .then([
          {
            type: 'CommitmentRetargeted',
            data: {
              previousTarget: januaryOrFebruary,
              newTarget: { ...januaryOrFebruary, earliestDate: '2021-02-01' },
              reason: 'More time',
            },
          },
        ]));

    it.each([
      [{ asSaid: 'x', earliestDate: '2021-05-01', latestDate: '2021-04-30' }, /newTarget.earliestDate: must not be after/],
      [{ asSaid: 'x', earliestDate: '2021-05-01', latestDate: null }, /newTarget.earliestDate: needs a latestDate/],
      [{ asSaid: 'x', earliestDate: '2021-02-30', latestDate: '2021-04-30' }, /newTarget.earliestDate: must be a date/],
    ])('when the window is %j, then it is refused as not well formed', (target, reason) =>
      given([made]).when(retarget(target)).thenThrows(InvalidValueError, reason),
    );
  });

  describe('given a target stored before windows existed (no earliest day)', () => {
    const old = { asSaid: 'by mid-September', latestDate: '2022-09-15' };
    it('when re-targeted to the same words and day with an explicit null earliest day, then nothing changed', () =>
      given([{ ...made, data: { ...made.data, target: old } }])
        .when(retarget({ ...old, earliestDate: null }))
        .thenThrows(Error, /same as the current one/));
  });
});

describe('Correcting a target with a window', () => {
  it('given a window read back from jsonb (keys in its own order), when corrected to the same window, then nothing changes', () =>
    given([
      {
        ...made,
        data: {
          ...made.data,
          target: { asSaid: 'January or February 2021', latestDate: '2021-02-28', earliestDate: '2021-01-01' },
        },
      },
    ])
      .when({
        type: 'CorrectCommitment',
        data: { changes: { target: januaryOrFebruary }, reason: 'Same' },
        occurredAt: '2021-01-15T12:00:00.000Z',
        now: '2026-12-01T09:00:00.000Z',
      })
      .thenThrows(Error, /changes nothing/));
});

describe('Due and overdue', () => {
  const target = { earliestDate: '2021-01-01', latestDate: '2021-02-28' };
  it.each([
    ['2020-12-31', false, false],
    ['2021-01-01', true, false],
    ['2021-02-28', true, false],
    ['2021-03-01', false, true],
  ])('given an open commitment due 1 Jan – 28 Feb 2021, when today is %s, then due %p and overdue %p', (today, due, overdue) => {
    expect(isDue('announced', target, today)).toBe(due);
    expect(isOverdue('announced', target.latestDate, today)).toBe(overdue);
  });

  it.each([
    ['2022-09-14', false],
    ['2022-09-15', true],
    ['2022-09-16', false],
  ])('given a target named by its last day alone, when today is %s, then due %p', (today, due) =>
    expect(isDue('in_progress', { earliestDate: null, latestDate: '2022-09-15' }, today)).toBe(due),
  );

  it('given a target with no day ("soon") or a closed commitment, then it is never due', () => {
    expect(isDue('announced', { latestDate: null }, '2021-01-15')).toBe(false);
    expect(isDue('announced', null, '2021-01-15')).toBe(false);
    expect(isDue('delivered', target, '2021-01-15')).toBe(false);
  });
});

describe('Extension or late slip', () => {
  const previous: Target = { asSaid: 'January or February 2021', latestDate: '2021-02-28' };
  const later: Target = { asSaid: 'June 2021', latestDate: '2021-06-30' };
  it.each([
    ['2021-02-27', 'extension'],
    ['2021-02-28', 'extension'],
    ['2021-03-01', 'late_slip'],
  ])('given a target ending 2021-02-28, when a later target is announced on %s, then it is %s', (on, kind) =>
    expect(slipKind(previous, later, on)).toBe(kind),
  );

  it('given a target with a day, when a vaguer one with none is announced after it passed, then it is a late slip', () =>
    expect(slipKind(previous, { asSaid: 'later', latestDate: null }, '2021-06-01')).toBe('late_slip'));

  it('given a target, when an earlier or first dated one is announced, then it is no slip', () => {
    expect(slipKind(previous, { asSaid: 'January', latestDate: '2021-01-31' }, '2021-03-01')).toBeNull();
    expect(slipKind({ asSaid: 'soon', latestDate: null }, later, '2021-03-01')).toBeNull();
  });
});

describe('News', () => {
  it('is made, revisited, progress, work started, re-target and every outcome', () =>
    expect([...NEWS_EVENT_TYPES].sort()).toEqual(
      [
        'CommitmentMade',
        'CommitmentRevisited',
        'ProgressReported',
        'WorkStarted',
        'CommitmentRetargeted',
        'CommitmentDelivered',
        'CommitmentDropped',
        'CommitmentSuperseded',
        'CommitmentSplit',
        'CommitmentMerged',
        'CommitmentReopened',
      ].sort(),
    ));

  it.each<[CommitmentEvent['type'] | 'SomethingElse', boolean]>([
    ['CommitmentLinked', false],
    ['CommitmentCorrected', false],
    ['SomethingElse', false],
    ['ProgressReported', true],
  ])('%s is news: %p', (type, news) => expect(isNews(type)).toBe(news));
});

describe('Stale', () => {
  it.each([
    ['2026-12-01', 6, '2026-06-01'],
    ['2026-08-31', 6, '2026-02-28'],
    ['2024-08-31', 6, '2024-02-29'],
    ['2026-03-15', 15, '2024-12-15'],
  ])('the cutoff for today %s and %i months is %s', (today, months, cutoff) => expect(staleCutoff(today, months)).toBe(cutoff));

  it.each([
    ['2026-05-31', true],
    ['2026-06-01', false],
    ['2026-11-30', false],
  ])(
    'given an open commitment whose last news was on %s, when today is 2026-12-01 (6 months), then stale %p',
    (lastNewsOn, stale) => expect(isStale('announced', lastNewsOn, staleCutoff('2026-12-01', 6))).toBe(stale),
  );

  it('given a closed commitment with old news, then it is not stale', () =>
    expect(isStale('dropped', '2020-12-10', '2026-06-01')).toBe(false));
});

describe('deliveryTiming: on time, late, or not known', () => {
  it.each([
    ['delivered', '2021-02-28', 'exact', '2021-02-28', 'on_time'],
    ['partially_delivered', '2021-02-01', 'exact', '2021-02-28', 'on_time'],
    ['delivered', '2021-03-01', 'exact', '2021-02-28', 'late'],
    ['delivered', '2021-01-15', 'no_later_than', '2021-02-28', 'on_time'],
    ['delivered', '2022-08-18', 'no_later_than', '2021-02-28', 'unknown'],
    ['delivered', '2022-08-18', 'no_earlier_than', '2021-02-28', 'late'],
    ['delivered', '2021-01-15', 'no_earlier_than', '2021-02-28', 'unknown'],
    ['delivered', '2021-02-01', 'exact', null, 'no_target'],
    ['dropped', '2021-02-01', 'exact', '2021-02-28', null],
    ['in_progress', null, 'exact', '2021-02-28', null],
  ] as const)('given %s closed on %s (%s) with a target ending %s, then %p', (status, closedOn, precision, latest, timing) =>
    expect(deliveryTiming(status, closedOn, precision, latest)).toBe(timing),
  );
});

describe('Honest figures', () => {
  it(`under ${MINIMUM_SAMPLE_TO_RATE} there are too few to rate`, () => {
    expect(figure(1, 1)).toEqual({ count: 1, of: 1, rate: null });
    expect(figure(3, MINIMUM_SAMPLE_TO_RATE - 1).rate).toBeNull();
  });
  it('from the minimum on, the rate is the share to four decimals', () =>
    expect(figure(3, 8)).toEqual({ count: 3, of: 8, rate: 0.375 }));
});
