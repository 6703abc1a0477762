/** Below this many, a share is not a rate anyone should read: "1 of 1 closed" is not "100% delivered". */
export const MINIMUM_SAMPLE_TO_RATE = 5;

/** A count out of a whole, and the share as a rate (four decimals) only when the whole is big enough to rate. */
export interface Figure {
  readonly count: number;
  readonly of: number;
  /** Null when `of` is under MINIMUM_SAMPLE_TO_RATE: too few to rate. */
  readonly rate: number | null;
}

export const figure = (count: number, of: number): Figure => ({
  count,
  of,
  rate: of < MINIMUM_SAMPLE_TO_RATE ? null : Math.round((count / of) * 10_000) / 10_000,
});
