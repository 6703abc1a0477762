import { ReadModels1763800000000 } from './1763800000000-read-models.js';
import { CommitmentStates1763900000000 } from './1763900000000-commitment-states.js';
import { Corrections1764100000000 } from './1764100000000-corrections.js';
import { ProjectionFailures1764250000000 } from './1764250000000-projection-failures.js';
import { StatusFollowsTheFacts1764320000000 } from './1764320000000-status-follows-the-facts.js';
import { CommitmentLinks1764400000000 } from './1764400000000-commitment-links.js';
import { EnglishSearch1764460000000 } from './1764460000000-english-search.js';
import { TargetWindowsAndNews1764590000000 } from './1764590000000-target-windows-and-news.js';
import { UpcomingSessions1764750000000 } from './1764750000000-upcoming-sessions.js';

/** The read models' tables, oldest first: whichever process boots first (api or projector) creates them. */
export const readModelMigrations = [
  ReadModels1763800000000,
  CommitmentStates1763900000000,
  Corrections1764100000000,
  ProjectionFailures1764250000000,
  StatusFollowsTheFacts1764320000000,
  CommitmentLinks1764400000000,
  EnglishSearch1764460000000,
  TargetWindowsAndNews1764590000000,
  UpcomingSessions1764750000000,
];
