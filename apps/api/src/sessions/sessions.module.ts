import { Module } from '@nestjs/common';
import { RunSessionCommandHandler } from './session-commands.js';
import { SessionsController } from './sessions.controller.js';

@Module({ controllers: [SessionsController], providers: [RunSessionCommandHandler] })
export class SessionsModule {}
