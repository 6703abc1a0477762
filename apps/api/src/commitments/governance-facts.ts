import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '#event-store';
import {
  commitmentDecider,
  commitmentStreamId,
  sessionDecider,
  sessionStreamId,
  type OtherCommitmentFacts,
  type SessionFacts,
} from '#governance';
import { fold } from '../command-handling/fold.js';

const LONGEST_SUPERSESSION_CHAIN = 100;

/** What a commitment command needs to know about other aggregates, read from their streams. */
@Injectable()
export class GovernanceFacts {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async session(sessionId: string): Promise<SessionFacts | null> {
    const state = fold(sessionDecider, await this.store.readStream(sessionStreamId(sessionId)));
    return state.status === 'recorded' ? { sessionId: state.sessionId, date: state.date } : null;
  }

  async commitment(commitmentId: string): Promise<OtherCommitmentFacts | null> {
    const state = await this.commitmentState(commitmentId);
    if (state.status === 'not_made') return null;
    const supersededByChain: string[] = [];
    let next = state.status === 'superseded' ? state.supersededBy : undefined;
    while (next !== undefined && supersededByChain.length < LONGEST_SUPERSESSION_CHAIN && !supersededByChain.includes(next)) {
      supersededByChain.push(next);
      const successor = await this.commitmentState(next);
      next = successor.status === 'superseded' ? successor.supersededBy : undefined;
    }
    return { commitmentId, supersededByChain };
  }

  private async commitmentState(commitmentId: string) {
    return fold(commitmentDecider, await this.store.readStream(commitmentStreamId(commitmentId)));
  }
}
