import {
  CommitmentLinks1764400000000,
  CommitmentStates1763900000000,
  Corrections1764100000000,
  EnglishSearch1764460000000,
  ProjectionFailures1764250000000,
  ReadModels1763800000000,
  StatusFollowsTheFacts1764320000000,
  TargetWindowsAndNews1764590000000,
  UpcomingSessions1764750000000,
} from '#read-models';
import { StaffTokensAndIdempotency1763700000000 } from './1763700000000-staff-tokens-and-idempotency.js';
import { StaffSessions1764000000000 } from './1764000000000-staff-sessions.js';
import { IdempotencyClaims1764200000000 } from './1764200000000-idempotency-claims.js';
import { Notifications1764700000000 } from '../../notifications/migrations/1764700000000-notifications.js';
import { SessionNews1764800000000 } from '../../notifications/migrations/1764800000000-session-news.js';

/** Every migration of the PostgreSQL tables, oldest first. Released migrations are never edited. */
export const migrations = [
  StaffTokensAndIdempotency1763700000000,
  ReadModels1763800000000,
  CommitmentStates1763900000000,
  StaffSessions1764000000000,
  Corrections1764100000000,
  IdempotencyClaims1764200000000,
  ProjectionFailures1764250000000,
  StatusFollowsTheFacts1764320000000,
  CommitmentLinks1764400000000,
  EnglishSearch1764460000000,
  TargetWindowsAndNews1764590000000,
  Notifications1764700000000,
  UpcomingSessions1764750000000,
  SessionNews1764800000000,
];
