import { Module } from '@nestjs/common';
import { CommitmentFormsController } from './commitment-forms.controller.js';
import { CommitmentPage } from './commitment-page.js';
import {
  AllCommitmentRecordsHandler,
  AllCommitmentsHandler,
  GetCommitmentHandler,
  ListCommitmentsHandler,
} from './commitment-queries.js';
import { GetCommitmentsAsOfHandler } from './commitments-as-of.js';
import { CommitmentsReadController } from './commitments-read.controller.js';
import { CommitmentsController } from './commitments.controller.js';
import { CreationFormsController } from './creation-forms.controller.js';

const queries = [
  ListCommitmentsHandler,
  GetCommitmentHandler,
  AllCommitmentsHandler,
  AllCommitmentRecordsHandler,
  GetCommitmentsAsOfHandler,
];

@Module({
  controllers: [CommitmentsController, CommitmentsReadController, CommitmentFormsController, CreationFormsController],
  providers: [...queries, CommitmentPage],
})
export class CommitmentsModule {}
