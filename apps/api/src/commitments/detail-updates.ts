import { sameRecordedValue, type CommitmentCommand, type CommitmentDetails } from '#governance';
import { commandOf, NO_FACTS } from '../command-handling/command-table.js';
import { COMMITMENT_COMMANDS } from './commitment-commands.js';

/** Equal as recorded data, whatever the order of keys (jsonb keeps its own); a missing value equals null. */
export const sameValue = sameRecordedValue;

/**
 * The commands that take a commitment's details from `before` to `wanted`, as imports apply
 * an edited file: a new target on an open commitment is a re-target (and may be a slip); any
 * other difference, a closed commitment's target included, is a correction. The re-target is the
 * JSON API's; the correction is made from the differences, where a `null` is meant (the API's
 * entry refuses one where a field may not be empty).
 */
export function detailUpdates(
  before: Partial<CommitmentDetails>,
  wanted: CommitmentDetails,
  open: boolean,
  reason: string,
  at: { readonly id: string; readonly occurredAt: string; readonly now: string },
): CommitmentCommand[] {
  const { target, ...rest } = wanted;
  const changes: { -readonly [Field in keyof CommitmentDetails]?: CommitmentDetails[Field] } = Object.fromEntries(
    Object.entries(rest).filter(([field, value]) => !sameValue(value, before[field as keyof CommitmentDetails])),
  );
  const commands: CommitmentCommand[] = [];
  if (!sameValue(target, before.target)) {
    if (open && target) {
      const input = { newTarget: target, reason, occurredAt: at.occurredAt };
      commands.push(commandOf(COMMITMENT_COMMANDS.commands.retarget, input, NO_FACTS, at));
    } else changes.target = target;
  }
  const { occurredAt, now } = at;
  if (Object.keys(changes).length > 0) commands.push({ type: 'CorrectCommitment', data: { changes, reason }, occurredAt, now });
  return commands;
}
