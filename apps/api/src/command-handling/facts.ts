import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '#event-store';
import {
  commitmentDecider,
  commitmentStreamId,
  sessionDecider,
  sessionStreamId,
  type CommitmentState,
  type OtherCommitmentFacts,
  type SessionFacts,
} from '#governance';
import { fold } from './fold.js';

const LONGEST_SUPERSESSION_CHAIN = 100;

/**
 * Facts about another commitment for supersede and link: whether it exists, and the chain of
 * commitments that superseded it in turn, so the decider can refuse a cycle.
 */
export async function otherCommitmentFacts(
  commitmentId: string,
  stateOf: (commitmentId: string) => Promise<CommitmentState>,
): Promise<OtherCommitmentFacts | null> {
  let state = await stateOf(commitmentId);
  if (state.status === 'not_made') return null;
  const supersededByChain: string[] = [];
  while (
    state.status === 'superseded' &&
    supersededByChain.length < LONGEST_SUPERSESSION_CHAIN &&
    !supersededByChain.includes(state.supersededBy)
  ) {
    supersededByChain.push(state.supersededBy);
    state = await stateOf(state.supersededBy);
  }
  return { commitmentId, supersededByChain };
}

/** What a commitment command needs to know about other aggregates, read from their streams. */
@Injectable()
export class GovernanceFacts {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async session(sessionId: string): Promise<SessionFacts | null> {
    const state = fold(sessionDecider, await this.store.readStream(sessionStreamId(sessionId)));
    return state.status === 'recorded' ? { sessionId: state.sessionId, date: state.date } : null;
  }

  commitment(commitmentId: string): Promise<OtherCommitmentFacts | null> {
    return otherCommitmentFacts(commitmentId, (id) => this.commitmentState(id));
  }

  private async commitmentState(commitmentId: string) {
    return fold(commitmentDecider, await this.store.readStream(commitmentStreamId(commitmentId)));
  }
}
