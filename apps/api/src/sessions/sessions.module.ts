import { Module } from '@nestjs/common';
import { GetSessionHandler, GetSessionRecordHandler, ListSessionsHandler } from './session-queries.js';
import { SessionsReadController } from './sessions-read.controller.js';
import { SessionsController } from './sessions.controller.js';

@Module({
  controllers: [SessionsController, SessionsReadController],
  providers: [ListSessionsHandler, GetSessionRecordHandler, GetSessionHandler],
})
export class SessionsModule {}
