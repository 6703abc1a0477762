import type { Response } from 'express';
import type { LogPosition } from '#event-store';
import type { ProjectionPositions } from '#projector';

const LONGEST_WAIT_MS = 3000;

/**
 * Before a public read: with `minPosition`, wait (bounded) until `projection` includes it and
 * say how far it got; without, answer at once, cacheable for a few seconds. A projection stuck
 * on an event it cannot apply is not waited for: the answer says so (and `/health` says why).
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
  const outcome = await positions.waitUntil(projection, minPosition as LogPosition, LONGEST_WAIT_MS);
  response.setHeader('Cache-Control', 'no-store');
  if (outcome === 'timed_out') response.setHeader('Warning', '110 - "Not yet updated with the requested change; retry shortly"');
  if (outcome === 'stuck') {
    response.setHeader(
      'Warning',
      `110 - "Not yet updated with the requested change: the ${projection} read model is stuck on an earlier event (see /health)"`,
    );
  }
  response.setHeader('X-Read-Position', await positions.current(projection));
}
