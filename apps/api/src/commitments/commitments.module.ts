import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommitmentEntity, TimelineEntryEntity } from '#read-models';
import { RunCommitmentCommandHandler } from './commitment-commands.js';
import { AllCommitmentsHandler, GetCommitmentHandler, ListCommitmentsHandler } from './commitment-queries.js';
import { CommitmentsReadController } from './commitments-read.controller.js';
import { CommitmentsController } from './commitments.controller.js';
import { GovernanceFacts } from './governance-facts.js';

const commands = [RunCommitmentCommandHandler, GovernanceFacts];
const queries = [ListCommitmentsHandler, GetCommitmentHandler, AllCommitmentsHandler];

@Module({
  imports: [TypeOrmModule.forFeature([CommitmentEntity, TimelineEntryEntity])],
  controllers: [CommitmentsController, CommitmentsReadController],
  providers: [...commands, ...queries],
})
export class CommitmentsModule {}
