import { Module } from '@nestjs/common';
import { RunSessionCommandHandler } from './session-commands.js';
import { GetSessionHandler, GetSessionRecordHandler, ListSessionsHandler } from './session-queries.js';
import { SessionsReadController } from './sessions-read.controller.js';
import { SessionsController } from './sessions.controller.js';

@Module({
  controllers: [SessionsController, SessionsReadController],
  providers: [RunSessionCommandHandler, ListSessionsHandler, GetSessionRecordHandler, GetSessionHandler],
})
export class SessionsModule {}
