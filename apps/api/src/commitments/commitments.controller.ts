import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CommandRunner } from '../command-handling/command-runner.js';
import { addCommandRoutes } from '../http/command-routes.js';
import { COMMITMENT_COMMANDS } from './commitment-commands.js';

/** The commitment commands over HTTP: one route per entry of the command table. */
@ApiTags('commitments')
@Controller('commitments')
export class CommitmentsController {
  constructor(readonly runner: CommandRunner) {}
}
addCommandRoutes(CommitmentsController, COMMITMENT_COMMANDS);
