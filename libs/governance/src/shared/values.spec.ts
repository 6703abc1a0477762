import { isCalendarDate, isSlip } from './index.js';

describe('isSlip', () => {
  const by = (latestDate: string | null) => ({ asSaid: latestDate ?? 'soon', latestDate });
  it.each([
    [by('2021-02-28'), by('2021-06-30'), true],
    [by('2021-02-28'), by('2021-01-31'), false],
    [by('2021-02-28'), by('2021-02-28'), false],
    [by('2021-02-28'), by(null), true],
    [by(null), by('2021-02-28'), false],
    [null, by('2021-02-28'), false],
  ])('from %p to %p is a slip: %p', (previous, next, slip) => expect(isSlip(previous, next)).toBe(slip));
});

describe('isCalendarDate', () => {
  it.each([
    ['2021-02-28', true],
    ['2021-02-30', false],
    ['2021-2-3', false],
    ['2021-02-28T00:00:00Z', false],
  ])('%s: %p', (value, valid) => expect(isCalendarDate(value)).toBe(valid));
});
