import { dayOf } from './calendar.js';

/** What `dayOf` must answer, whichever way it reads the timestamp: the day of the instant in UTC. */
const utcDay = (timestamp: string) => new Date(timestamp).toISOString().slice(0, 10);

describe('dayOf', () => {
  it.each([
    '2024-02-29T12:00:00.000Z',
    '2023-02-28T23:59:59.999Z',
    '2000-02-29T00:00:00.000Z',
    '2026-12-31T23:59:59.999Z',
    '2026-01-01T00:00:00.000Z',
    '2026-04-30T10:00:00.000Z',
    '0001-01-01T00:00:00.000Z',
    // Not in the form toISOString writes: read through a Date.
    '2026-03-01T00:30:00+01:00',
    '2026-02-28T23:30:00-01:00',
    '2026-05-05T10:00Z',
    '2026-05-05T10:00:00Z',
    '2026-05-05T10:00:00.123456Z',
  ])('%s: the UTC day of the instant', (timestamp) => {
    expect(dayOf(timestamp)).toBe(utcDay(timestamp));
  });

  // Days that do not exist, in the usual form: JavaScript rolls some of them over; dayOf answers as a Date would.
  it.each(['2023-02-29T12:00:00.000Z', '1900-02-29T12:00:00.000Z', '2026-04-31T12:00:00.000Z', '2026-02-30T00:00:00.000Z'])(
    '%s: as a Date reads it',
    (timestamp) => {
      expect(dayOf(timestamp)).toBe(utcDay(timestamp));
    },
  );

  it.each(['2026-13-01T00:00:00.000Z', '2026-00-10T00:00:00.000Z', '2026-01-32T00:00:00.000Z', '2026-01-00T00:00:00.000Z'])(
    '%s: no such day, refused as a Date refuses it',
    (timestamp) => {
      expect(() => dayOf(timestamp)).toThrow(RangeError);
    },
  );

  it('every day of four years, at the start and the end of each, is its own first ten characters', () => {
    for (let time = Date.parse('2023-01-01T00:00:00.000Z'); time < Date.parse('2027-01-01T00:00:00.000Z'); time += 86_400_000) {
      for (const instant of [new Date(time).toISOString(), new Date(time + 86_399_999).toISOString()])
        expect(dayOf(instant)).toBe(utcDay(instant));
    }
  });
});
