import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommitmentEntity, TimelineEntryEntity } from '#read-models';
import { CommitmentFormsController } from './commitment-forms.controller.js';
import { CommitmentPage } from './commitment-page.js';
import { AllCommitmentsHandler, GetCommitmentHandler, ListCommitmentsHandler } from './commitment-queries.js';
import { CommitmentsReadController } from './commitments-read.controller.js';
import { CommitmentsController } from './commitments.controller.js';

const queries = [ListCommitmentsHandler, GetCommitmentHandler, AllCommitmentsHandler];

@Module({
  imports: [TypeOrmModule.forFeature([CommitmentEntity, TimelineEntryEntity])],
  controllers: [CommitmentsController, CommitmentsReadController, CommitmentFormsController],
  providers: [...queries, CommitmentPage],
})
export class CommitmentsModule {}
