/**
 * Checks of the generated log: a sample of commitment streams replayed through the domain's
 * decider (each stored event must be exactly what deciding its command produces), and a sample
 * of streams appended through the real `PostgresEventStore.append`, compared row by row with
 * what COPY loaded.
 */
import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import {
  commitmentDecider,
  type CommitmentCommand,
  type CommitmentEvent,
  type CommitmentState,
} from '../../libs/governance/src/index.js';
import { PostgresEventStore } from '../../libs/event-store/src/index.js';
import type { GeneratedEvent } from './generate.js';

/** The command that would have produced `event`, with the facts the handler would have looked up. */
function commandFor(event: CommitmentEvent, occurredAt: string, now: string): CommitmentCommand {
  const at = { occurredAt, now };
  switch (event.type) {
    case 'CommitmentMade': {
      const { sessionId, sessionDate, ...rest } = event.data;
      return { type: 'MakeCommitment', data: { ...rest, session: { sessionId, date: sessionDate } }, ...at };
    }
    case 'CommitmentRevisited': {
      const { sessionId, sessionDate, previousTarget: _previous, ...rest } = event.data;
      return { type: 'RevisitCommitment', data: { ...rest, session: { sessionId, date: sessionDate } }, ...at };
    }
    case 'ProgressReported':
      return { type: 'ReportProgress', data: event.data, ...at };
    case 'WorkStarted':
      return { type: 'StartWork', data: event.data, ...at };
    case 'CommitmentRetargeted':
      return { type: 'RetargetCommitment', data: { newTarget: event.data.newTarget, reason: event.data.reason }, ...at };
    case 'CommitmentDelivered':
      return { type: 'DeliverCommitment', data: event.data, ...at };
    case 'CommitmentDropped':
      return { type: 'DropCommitment', data: event.data, ...at };
    case 'CommitmentSuperseded': {
      const ids = [event.data.supersededBy, ...(event.data.alsoSupersededBy ?? [])];
      const replacements = ids.map((id) => ({
        id,
        facts: { commitmentId: id, status: 'announced' as const, supersededByChain: [] },
      }));
      return { type: 'SupersedeCommitment', data: { replacements, note: event.data.note }, ...at };
    }
    case 'CommitmentSplit':
      // The generator makes no splits or merges; a part's details are not in this event.
      throw new Error('validate: splits are not generated');
    case 'CommitmentMerged': {
      const into = {
        id: event.data.mergedInto,
        facts: { commitmentId: event.data.mergedInto, status: 'announced' as const, supersededByChain: [] },
      };
      return { type: 'MergeCommitment', data: { into, note: event.data.note }, ...at };
    }
    case 'CommitmentReopened':
      return { type: 'ReopenCommitment', data: event.data, ...at };
    case 'CommitmentCorrected':
      return { type: 'CorrectCommitment', data: event.data, ...at };
    case 'CommitmentLinked': {
      const other = { commitmentId: event.data.linkedTo, status: 'announced' as const, supersededByChain: [] };
      return {
        type: 'LinkCommitment',
        data: { other, otherId: event.data.linkedTo, relation: event.data.relation, note: event.data.note },
        ...at,
      };
    }
  }
}

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** Replays each commitment stream through the decider; returns how many events it accepted unchanged. */
export function checkAgainstDecider(events: readonly GeneratedEvent[]): number {
  const states = new Map<string, CommitmentState>();
  let checked = 0;
  for (const recorded of events) {
    if (!recorded.streamId.startsWith('commitment-')) continue;
    const event = { type: recorded.type, data: recorded.data } as unknown as CommitmentEvent;
    const state = states.get(recorded.streamId) ?? commitmentDecider.initialState;
    const command = commandFor(event, recorded.metadata.occurredAt, recorded.metadata.recordedAt);
    let decided: readonly CommitmentEvent[];
    try {
      decided = commitmentDecider.decide(command, state);
    } catch (error) {
      throw new Error(
        `${recorded.streamId}@${recorded.revision} ${recorded.type}: the decider refused it: ${(error as Error).message}`,
      );
    }
    if (!isDeepStrictEqual(plain(decided), plain([event]))) {
      throw new Error(
        `${recorded.streamId}@${recorded.revision}: the decider produced ${JSON.stringify(decided)}, the log holds ${JSON.stringify(event)}`,
      );
    }
    states.set(recorded.streamId, commitmentDecider.evolve(state, event));
    checked++;
  }
  return checked;
}

/**
 * Appends `events` (whole streams, in log order) through the real store into `checkSchema`, one
 * append per event as the command shell does, and compares every stored column that append
 * sets from its input with the rows COPY loaded into `schema`. Drops `checkSchema` afterwards.
 */
export async function checkAgainstAppend(
  connectionString: string,
  client: pg.ClientBase,
  schema: string,
  checkSchema: string,
  events: readonly GeneratedEvent[],
): Promise<number> {
  const store = await PostgresEventStore.connect({ connectionString, schema: checkSchema, poolSize: 1 });
  try {
    for (const { streamId, revision, id, type, data, metadata } of events) {
      await store.append(streamId, [{ id, type, data, metadata }], revision === 0 ? 'no_stream' : revision - 1);
    }
  } finally {
    await store.close();
  }
  const streams = [...new Set(events.map((event) => event.streamId))];
  const columns = 'stream_id, revision, event_id, type, data, metadata';
  const { rows } = await client.query<{ missing: string; extra: string; copied: string }>(
    `select (select count(*) from (select ${columns} from ${checkSchema}.events
                                   except select ${columns} from ${schema}.events where stream_id = any($1)) x) as missing,
            (select count(*) from (select ${columns} from ${schema}.events where stream_id = any($1)
                                   except select ${columns} from ${checkSchema}.events) x) as extra,
            (select count(*) from ${schema}.events where stream_id = any($1)) as copied`,
    [streams],
  );
  await client.query(`drop schema ${checkSchema} cascade`);
  const { missing, extra, copied } = rows[0]!;
  if (missing !== '0' || extra !== '0' || Number(copied) !== events.length) {
    throw new Error(
      `COPY and append differ: ${missing} rows only appended, ${extra} only copied, ${copied} copied of ${events.length}`,
    );
  }
  return events.length;
}
