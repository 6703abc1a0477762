import { randomUUID } from 'node:crypto';
import { v5 as uuidV5 } from 'uuid';
import type { CommandContext } from './command-context.js';

// Namespace for resource ids derived from an Idempotency-Key (a fixed random UUID).
const IDEMPOTENT_RESOURCE_IDS = '4c1d8f0e-9a7b-4e62-8d15-2b6f0c9e7a33';

/** The id of a new session or commitment: the one chosen by the client, else derived from the Idempotency-Key so a retry lands on the same resource. */
export function newResourceId(chosen: string | undefined, context: CommandContext): string {
  if (chosen !== undefined) return chosen;
  if (context.idempotencyKey !== undefined) return uuidV5(`${context.actor}\n${context.idempotencyKey}`, IDEMPOTENT_RESOURCE_IDS);
  return randomUUID();
}
