import type { Response } from 'express';
import type { LogPosition } from '#event-store';
import type { ProjectionPositions } from '#projector';

const LONGEST_WAIT_MS = 3000;

/**
 * Before a public read: with `minPosition`, wait (bounded) until `projection` includes it and
 * say how far it got; without, answer at once, cacheable for a few seconds.
 */
export async function prepareRead(
  response: Response,
  positions: ProjectionPositions,
  projection: string,
  minPosition: string | undefined,
): Promise<void> {
  if (minPosition === undefined) {
    response.setHeader('Cache-Control', 'public, max-age=5, stale-while-revalidate=30');
    return;
  }
  const reached = await positions.waitFor(projection, minPosition as LogPosition, LONGEST_WAIT_MS);
  response.setHeader('Cache-Control', 'no-store');
  if (!reached) response.setHeader('Warning', '110 - "Not yet updated with the requested change; retry shortly"');
  response.setHeader('X-Read-Position', await positions.current(projection));
}
