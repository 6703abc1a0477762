import { ReadModels1763800000000 } from './1763800000000-read-models.js';
import { CommitmentStates1763900000000 } from './1763900000000-commitment-states.js';
import { Corrections1764100000000 } from './1764100000000-corrections.js';
import { ProjectionFailures1764250000000 } from './1764250000000-projection-failures.js';
import { EnglishSearch1764460000000 } from './1764460000000-english-search.js';

/** The read models' tables, oldest first: whichever process boots first (api or projector) creates them. */
export const readModelMigrations = [
  ReadModels1763800000000,
  CommitmentStates1763900000000,
  Corrections1764100000000,
  ProjectionFailures1764250000000,
  EnglishSearch1764460000000,
];
