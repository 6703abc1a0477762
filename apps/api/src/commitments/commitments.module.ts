import { Module } from '@nestjs/common';
import { CommitmentActions } from './commitment-actions.js';
import { RunCommitmentCommandHandler } from './commitment-commands.js';
import { CommitmentFormsController } from './commitment-forms.controller.js';
import { CommitmentPage } from './commitment-page.js';
import { AllCommitmentsHandler, GetCommitmentHandler, ListCommitmentsHandler } from './commitment-queries.js';
import { CommitmentsReadController } from './commitments-read.controller.js';
import { CommitmentsController } from './commitments.controller.js';
import { GovernanceFacts } from './governance-facts.js';

const commands = [RunCommitmentCommandHandler, GovernanceFacts, CommitmentActions];
const queries = [ListCommitmentsHandler, GetCommitmentHandler, AllCommitmentsHandler];

@Module({
  controllers: [CommitmentsController, CommitmentsReadController, CommitmentFormsController],
  providers: [...commands, ...queries, CommitmentPage],
})
export class CommitmentsModule {}
