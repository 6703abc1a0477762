import { isCalendarDate, isCleanText, isSlip, isTimestamp, isWellFormedId } from './index.js';

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
    ['0000-01-01', false],
    ['0001-01-01', true],
  ])('%s: %p', (value, valid) => expect(isCalendarDate(value)).toBe(valid));
});

describe('isTimestamp', () => {
  it.each([
    ['2022-08-18T13:00:00Z', true],
    ['2022-08-18T13:00Z', true],
    ['2022-08-18T13:00:00.123456789+02:00', true],
    ['2024-02-29T23:59:59-23:59', true],
    ['2023-02-30T00:00:00Z', false],
    ['2023-13-45T00:00:00Z', false],
    ['2023-01-01T24:00:00Z', false],
    ['2023-01-01T12:60:00Z', false],
    ['2023-01-01T12:00:60Z', false],
    ['2023-01-01T12:00:00+25:00', false],
    ['2023-01-01T12:00:00+02:60', false],
    ['2023-01-01T12:00:00', false],
    ['2023-01-01', false],
    ['0000-06-01T00:00:00Z', false],
    ['0001-01-01T00:00:00+01:00', false],
    ['0001-01-01T00:00:00Z', true],
  ])('%s: %p', (value, valid) => expect(isTimestamp(value)).toBe(valid));
});

describe('isCleanText', () => {
  it.each([
    ['plain', true],
    ['emoji \ud83d\ude00 and ü', true],
    ['nul \u0000 inside', false],
    ['lone high \ud800', false],
    ['lone low \udc00 first', false],
    ['reversed \ude00\ud83d', false],
  ])('%j: %p', (value, clean) => expect(isCleanText(value)).toBe(clean));
});

describe('isWellFormedId', () => {
  it.each([
    ['ucoc-phase-2', true],
    ['3f0c8a1e-6b1d-4c8e-9a51-2f6a6d0b7c11', true],
    [null, false],
    ['null\u0000', false],
    ['A-capital', false],
    ['-dash-first', false],
    ['x', false],
  ])('%j: %p', (value, valid) => expect(isWellFormedId(value)).toBe(valid));
});
