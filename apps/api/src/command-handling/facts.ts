import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '#event-store';
import {
  commitmentDecider,
  commitmentStreamId,
  replacementsOf,
  sessionDecider,
  sessionStreamId,
  type CommitmentState,
  type OtherCommitmentFacts,
  type SessionFacts,
} from '#governance';
import type { StreamHistory } from './command-shell.js';
import { fold } from './fold.js';

const MOST_COMMITMENTS_FOLLOWED = 100;

/**
 * Facts about another commitment for supersede, merge and link: whether it exists, its status,
 * and every commitment that carries it on in turn (superseded by, merged into, split into), so
 * the decider can refuse a cycle.
 */
export async function otherCommitmentFacts(
  commitmentId: string,
  stateOf: (commitmentId: string) => Promise<CommitmentState>,
): Promise<OtherCommitmentFacts | null> {
  const state = await stateOf(commitmentId);
  if (state.status === 'not_made') return null;
  const supersededByChain: string[] = [];
  const next = [...replacementsOf(state)];
  while (next.length > 0 && supersededByChain.length < MOST_COMMITMENTS_FOLLOWED) {
    const id = next.shift()!;
    if (supersededByChain.includes(id)) continue;
    supersededByChain.push(id);
    next.push(...replacementsOf(await stateOf(id)));
  }
  return { commitmentId, status: state.status, supersededByChain };
}

/** What a command needs to know about sessions and other commitments, from whatever reads their streams. */
export interface FactReader {
  session(sessionId: string): Promise<SessionFacts | null>;
  commitment(commitmentId: string): Promise<OtherCommitmentFacts | null>;
}

/** Facts read through `read`: the store itself, or a unit of work that checks every stream it read. */
export function factsReadThrough(read: (streamId: string) => Promise<StreamHistory>): FactReader {
  return {
    async session(sessionId) {
      const state = fold(sessionDecider, await read(sessionStreamId(sessionId)));
      return state.status === 'recorded' ? { sessionId: state.sessionId, date: state.date } : null;
    },
    commitment(commitmentId) {
      return otherCommitmentFacts(commitmentId, async (id) => fold(commitmentDecider, await read(commitmentStreamId(id))));
    },
  };
}

/** What a commitment command needs to know about other aggregates, read from their streams. */
@Injectable()
export class GovernanceFacts implements FactReader {
  private readonly reader: FactReader;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.reader = factsReadThrough((streamId) => store.readStream(streamId));
  }

  session(sessionId: string): Promise<SessionFacts | null> {
    return this.reader.session(sessionId);
  }

  commitment(commitmentId: string): Promise<OtherCommitmentFacts | null> {
    return this.reader.commitment(commitmentId);
  }
}
