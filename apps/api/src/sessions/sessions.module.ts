import { Module } from '@nestjs/common';
import {
  GetSessionHandler,
  GetSessionRecordHandler,
  ListSessionsHandler,
  ListUpcomingSessionsHandler,
} from './session-queries.js';
import { SessionsReadController } from './sessions-read.controller.js';
import { SessionsController } from './sessions.controller.js';
import { UpcomingSessionsController } from './upcoming-sessions.controller.js';

@Module({
  controllers: [SessionsController, SessionsReadController, UpcomingSessionsController],
  providers: [ListSessionsHandler, GetSessionRecordHandler, GetSessionHandler, ListUpcomingSessionsHandler],
})
export class SessionsModule {}
