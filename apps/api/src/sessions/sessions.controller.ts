import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CommandRunner } from '../command-handling/command-runner.js';
import { addCommandRoutes } from '../http/command-routes.js';
import { SESSION_COMMANDS } from './session-commands.js';

/** The session commands over HTTP: one route per entry of the command table. */
@ApiTags('sessions')
@Controller('sessions')
export class SessionsController {
  constructor(readonly runner: CommandRunner) {}
}
addCommandRoutes(SessionsController, SESSION_COMMANDS);
