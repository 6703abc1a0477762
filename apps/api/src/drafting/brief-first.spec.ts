import { briefFirst } from './brief-first.js';
import type { RevisitSuggestion } from './draft.js';

const suggestion = (commitmentId: string, score: number): RevisitSuggestion => ({
  commitmentId,
  summary: commitmentId,
  score,
  confidence: score,
});

describe('briefFirst', () => {
  const ranked = new Map([
    ['said-1', [suggestion('a', 0.9), suggestion('b', 0.6), suggestion('c', 0.4), suggestion('d', 0.2)]],
    ['said-2', [suggestion('a', 0.5)]],
    ['said-3', []],
  ]);

  it('lists the brief’s commitments first, by their rank among themselves, then the others as ranked, at most the limit', () => {
    const ordered = briefFirst(ranked, new Set(['d', 'c']), 3);
    expect(ordered.get('said-1')!.map((one) => [one.commitmentId, one.inBrief ?? false])).toEqual([
      ['c', true],
      ['d', true],
      ['a', false],
    ]);
  });

  it('keeps the ranker’s scores and confidences, and leaves items without a brief match as ranked', () => {
    const ordered = briefFirst(ranked, new Set(['d']), 3);
    expect(ordered.get('said-1')![0]).toEqual({ ...suggestion('d', 0.2), inBrief: true });
    expect(ordered.get('said-2')).toEqual([suggestion('a', 0.5)]);
    expect(ordered.get('said-3')).toEqual([]);
  });

  it('offers nothing the ranker did not find: a brief item with no matching words is not added', () => {
    expect(
      briefFirst(ranked, new Set(['z']))
        .get('said-1')!
        .map((one) => one.commitmentId),
    ).toEqual(['a', 'b', 'c']);
  });
});
