import type { LogCursor, ReadAllPage, SubscribeOptions, Subscription } from './event-store.js';

const FIRST_IDLE_WAIT_MS = 5;
const LONGEST_IDLE_WAIT_MS = 100;

/**
 * A catch-up subscription over any `readAll`: reads batches after the checkpoint, hands
 * each to the subscriber and waits for it, and polls with a short back-off when caught up.
 * Correctness (no skips, no repeats) comes from `readAll` never returning an event that a
 * later read could place before one already returned.
 */
export function pollingSubscription(
  readAll: (after: LogCursor, maxCount: number) => Promise<ReadAllPage>,
  { after, maxBatchSize = 500, onEvents }: SubscribeOptions,
): Subscription {
  let stopped = false;
  let wakeUp: (() => void) | undefined;

  const run = async () => {
    let cursor = after;
    let idleWait = FIRST_IDLE_WAIT_MS;
    while (!stopped) {
      const page = await readAll(cursor, maxBatchSize);
      if (page.events.length > 0) {
        await onEvents(page.events);
        cursor = page.next;
        idleWait = FIRST_IDLE_WAIT_MS;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, idleWait);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      idleWait = Math.min(idleWait * 2, LONGEST_IDLE_WAIT_MS);
    }
  };

  const finished = run();
  return {
    finished,
    stop: async () => {
      stopped = true;
      wakeUp?.();
      await finished.catch(() => undefined);
    },
  };
}
