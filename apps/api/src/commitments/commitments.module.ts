import { Module } from '@nestjs/common';
import { RunCommitmentCommandHandler } from './commitment-commands.js';
import { CommitmentsController } from './commitments.controller.js';
import { GovernanceFacts } from './governance-facts.js';

@Module({ controllers: [CommitmentsController], providers: [RunCommitmentCommandHandler, GovernanceFacts] })
export class CommitmentsModule {}
