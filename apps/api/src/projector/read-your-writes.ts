import type { Response } from 'express';
import type { LogPosition } from '#event-store';
import type { ProjectionPositions } from './projection-positions.js';

const LONGEST_WAIT_MS = 3000;

/**
 * Before a public read: wait (bounded) until `projection` includes `minPosition`, and say in
 * headers how fresh the answer is. Public answers may be cached briefly; waited-for ones not.
 */
export async function prepareRead(
  response: Response,
  positions: ProjectionPositions,
  projection: string,
  minPosition: string | undefined,
): Promise<void> {
  if (minPosition !== undefined) {
    const reached = await positions.waitFor(projection, minPosition as LogPosition, LONGEST_WAIT_MS);
    response.setHeader('Cache-Control', 'no-store');
    if (!reached) response.setHeader('Warning', '110 - "Not yet updated with the requested change; retry shortly"');
  } else {
    response.setHeader('Cache-Control', 'public, max-age=5, stale-while-revalidate=30');
  }
  response.setHeader('X-Read-Position', await positions.current(projection));
}
