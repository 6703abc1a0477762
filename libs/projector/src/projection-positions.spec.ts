import type { LogPosition } from '#event-store';
import type { ReadSql } from '#storage';
import { ProjectionPositions } from './projection-positions.js';

const at = (n: number) => `${String(n).padStart(20, '0')}/${'0'.padStart(19, '0')}` as LogPosition;

/** A database that counts checkpoint reads and answers with whatever the test sets. */
function fakeDatabase() {
  const state = { reads: 0, position: at(1) as string, failing: null as string | null };
  const sql = (async () => {
    state.reads++;
    return [{ position: state.position, failing_position: state.failing }];
  }) as ReadSql;
  return { state, positions: new ProjectionPositions(sql) };
}

describe('waiting for a position (read-your-writes)', () => {
  it('many readers waiting on one projection share one poll of its checkpoint', async () => {
    const { state, positions } = fakeDatabase();
    const outcomes = await Promise.all(Array.from({ length: 64 }, () => positions.waitUntil('commitments', at(5), 100)));
    expect(outcomes).toEqual(Array(64).fill('timed_out'));
    // One reader alone polls about every 10 ms for 100 ms; 64 of them must not cost 64 times that.
    expect(state.reads).toBeLessThan(40);
  });

  it('each reader is answered as soon as the projection reaches its own position', async () => {
    const { state, positions } = fakeDatabase();
    const early = positions.waitUntil('commitments', at(2), 2000);
    const late = positions.waitUntil('commitments', at(9), 2000);
    state.position = at(3);
    expect(await early).toBe('reached');
    state.position = at(9);
    expect(await late).toBe('reached');
  });

  it('a stuck projection answers its waiters at once', async () => {
    const { state, positions } = fakeDatabase();
    state.failing = at(2);
    expect(await positions.waitUntil('commitments', at(5), 2000)).toBe('stuck');
  });

  it('wakes the projector of this process that the reader waits for, and only that one', async () => {
    const { state, positions } = fakeDatabase();
    const woken: string[] = [];
    const stopSessions = positions.onWaiting('sessions', () => woken.push('sessions'));
    positions.onWaiting('links', () => woken.push('links'));
    // The projector, woken, steps its checkpoint over events it does not read.
    const waiting = positions.waitUntil('sessions', at(4), 2000);
    expect(woken).toEqual(['sessions']);
    state.position = at(4);
    expect(await waiting).toBe('reached');
    stopSessions();
    await positions.waitUntil('sessions', at(4), 100);
    expect(woken).toEqual(['sessions']);
  });
});
