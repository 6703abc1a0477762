import type { CommitmentCommand, CommitmentDetails } from '#governance';

/** Equal as recorded data; a missing value equals null. */
export const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The commands that take a commitment's details from `before` to `wanted`, as imports apply
 * an edited file: a new target on an open commitment is a re-target (and may be a slip); any
 * other difference, a closed commitment's target included, is a correction.
 */
export function detailUpdates(
  before: Partial<CommitmentDetails>,
  wanted: CommitmentDetails,
  open: boolean,
  reason: string,
  at: { readonly occurredAt: string; readonly now: string },
): CommitmentCommand[] {
  const { target, ...rest } = wanted;
  const changes: { -readonly [Field in keyof CommitmentDetails]?: CommitmentDetails[Field] } = Object.fromEntries(
    Object.entries(rest).filter(([field, value]) => !sameValue(value, before[field as keyof CommitmentDetails])),
  );
  const commands: CommitmentCommand[] = [];
  if (!sameValue(target, before.target)) {
    if (open && target) commands.push({ type: 'RetargetCommitment', data: { newTarget: target, reason }, ...at });
    else changes.target = target;
  }
  if (Object.keys(changes).length > 0) commands.push({ type: 'CorrectCommitment', data: { changes, reason }, ...at });
  return commands;
}
