import { StaffTokensAndIdempotency1763700000000 } from './1763700000000-staff-tokens-and-idempotency.js';

/** Every migration of the api's tables, oldest first. Released migrations are never edited. */
export const migrations = [StaffTokensAndIdempotency1763700000000];
