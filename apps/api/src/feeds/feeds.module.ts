import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommitmentEntity, TimelineEntryEntity } from '#read-models';
import { FeedsController } from './feeds.controller.js';

@Module({ imports: [TypeOrmModule.forFeature([CommitmentEntity, TimelineEntryEntity])], controllers: [FeedsController] })
export class FeedsModule {}
