import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommitmentEntity, SessionEntity, TimelineEntryEntity } from '#read-models';
import { GetSessionHandler, GetSessionRecordHandler, ListSessionsHandler } from './session-queries.js';
import { SessionsReadController } from './sessions-read.controller.js';
import { SessionsController } from './sessions.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([SessionEntity, CommitmentEntity, TimelineEntryEntity])],
  controllers: [SessionsController, SessionsReadController],
  providers: [ListSessionsHandler, GetSessionRecordHandler, GetSessionHandler],
})
export class SessionsModule {}
