import type { CommitmentView } from '#read-models';
import { buildBrief, isDueBefore, nextLikelySession, reasonsFor } from './brief.js';

const view = (changes: Partial<CommitmentView>): CommitmentView => ({
  commitmentId: 'c-1',
  status: 'announced',
  sessionId: 's-1',
  sessionDate: '2020-12-10',
  revisitedIn: [],
  speakerName: 'Host',
  speakerRole: null,
  ownerTeam: 'Team',
  topics: [],
  summary: 'Summary',
  quote: 'Quote',
  strength: 'plan',
  note: null,
  targetAsSaid: null,
  targetEarliestDate: null,
  targetLatestDate: null,
  firstTargetLatestDate: null,
  supersededBy: null,
  workStarted: false,
  updateCount: 0,
  slipCount: 0,
  extensionCount: 0,
  lateSlipCount: 0,
  slipDays: 0,
  lastNewsOn: '2022-07-01',
  madeAt: '2020-12-10T00:00:00.000Z',
  closedAt: null,
  closedAtPrecision: 'exact',
  lastChangedAt: '2022-07-01T00:00:00.000Z',
  lastRecordedAt: '2022-07-01T00:00:00.000Z',
  revision: 0,
  lastPosition: '1',
  ...changes,
});

const DAY = '2022-08-18';
const NEXT = '2022-11-17';
const STALE_SINCE = '2022-02-18';
const LAST = '2022-05-05';

describe('the next likely session', () => {
  it('is the day plus the median gap between recorded sessions', () => {
    expect(nextLikelySession(DAY, ['2020-12-10', '2021-06-10', '2022-05-05'])).toEqual({ date: '2023-05-01', from: 'usual_gap' });
    expect(nextLikelySession(DAY, ['2022-01-01', '2022-01-31', '2022-03-02', '2022-12-31'])).toEqual({
      date: '2022-09-17',
      from: 'usual_gap',
    });
  });
  it('is about a quarter away with fewer than two sessions', () => {
    expect(nextLikelySession(DAY, ['2022-05-05'])).toEqual({ date: '2022-11-17', from: 'default_gap' });
  });
});

describe('due before the next session', () => {
  it('takes an open target ending from the session day up to the day before the next', () => {
    expect(isDueBefore('announced', DAY, DAY, NEXT)).toBe(true);
    expect(isDueBefore('in_progress', '2022-11-16', DAY, NEXT)).toBe(true);
    expect(isDueBefore('announced', NEXT, DAY, NEXT)).toBe(false);
    expect(isDueBefore('announced', '2022-08-17', DAY, NEXT)).toBe(false);
    expect(isDueBefore('delivered', DAY, DAY, NEXT)).toBe(false);
    expect(isDueBefore('announced', null, DAY, NEXT)).toBe(false);
  });
});

describe('the sections a commitment is in, on the session day', () => {
  const reasons = (changes: Partial<CommitmentView>) => reasonsFor(view(changes), DAY, NEXT, STALE_SINCE, LAST);
  it('given an open one past its target, with news since the last session: overdue, changed, open', () => {
    expect(reasons({ targetLatestDate: '2021-06-30' })).toEqual(['overdue', 'changed', 'open']);
  });
  it('given one moved later, with no news for long, revisited before: slipped, stale, revisited, open', () => {
    expect(reasons({ slipCount: 1, lastNewsOn: '2021-06-10', revisitedIn: ['s-2'] })).toEqual([
      'slipped',
      'stale',
      'revisited',
      'open',
    ]);
  });
  it('given one closed since the last session: changed only; closed before it: none', () => {
    expect(reasons({ status: 'delivered', lastNewsOn: '2022-06-01' })).toEqual(['changed']);
    expect(reasons({ status: 'delivered', lastNewsOn: '2022-01-01' })).toEqual([]);
  });
  it('with news on the last session\u2019s day: not changed since it', () => {
    expect(reasons({ lastNewsOn: LAST })).toEqual(['open']);
  });
});

describe('the brief', () => {
  it('lists each item once, in its first section, and leaves out what was promised on the day or later', () => {
    const brief = buildBrief({
      date: DAY,
      hosts: ['Host'],
      sessionId: null,
      announced: null,
      teams: ['team'],
      lastSession: { id: 's-2', date: LAST, title: 'Last' },
      next: { date: NEXT, from: 'given' },
      staleAfterMonths: 6,
      commitments: [
        view({ commitmentId: 'late', targetAsSaid: 'by June 2021', targetLatestDate: '2021-06-30', slipCount: 1 }),
        view({ commitmentId: 'today', sessionDate: DAY }),
      ],
      lastNews: new Map(),
    });
    expect(brief.teams).toHaveLength(1);
    expect(brief.teams[0]!.name).toBe('Team');
    const placed = brief.teams[0]!.sections.flatMap((section) => section.items.map((item) => [section.key, item.id]));
    expect(placed).toEqual([['overdue', 'late']]);
    expect(brief.teams[0]!.sections[0]!.items[0]!.reasons).toEqual(['overdue', 'slipped', 'changed', 'open']);
  });
});
