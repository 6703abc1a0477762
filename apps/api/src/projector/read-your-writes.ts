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
  /** Other read models the answer reads too (a commitment's links): waited for alike. */
  alsoReads: readonly string[] = [],
): Promise<void> {
  if (minPosition === undefined) {
    response.setHeader('Cache-Control', 'public, max-age=5, stale-while-revalidate=30');
    return;
  }
  response.setHeader('Cache-Control', 'no-store');
  for (const name of [projection, ...alsoReads]) {
    const outcome = await positions.waitUntil(name, minPosition as LogPosition, LONGEST_WAIT_MS);
    if (outcome === 'timed_out')
      response.setHeader('Warning', '110 - "Not yet updated with the requested change; retry shortly"');
    if (outcome === 'stuck') {
      response.setHeader(
        'Warning',
        `110 - "Not yet updated with the requested change: the ${name} read model is stuck on an earlier event (see /health)"`,
      );
    }
    if (outcome !== 'reached') break;
  }
  response.setHeader('X-Read-Position', await positions.current(projection));
}
