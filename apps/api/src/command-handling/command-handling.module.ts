import { Global, Module } from '@nestjs/common';
import { ClockModule } from './clock.js';
import { CommandRunner, RunCommandAcrossHandler, RunCommandHandler, RunPlannedCommandsHandler } from './command-runner.js';
import { CommandShell } from './command-shell.js';
import { GovernanceFacts } from './facts.js';
import { PlannedCommands } from './planned-commands.js';
import { SessionDependents } from './session-dependents.js';

@Global()
@Module({
  imports: [ClockModule],
  providers: [
    CommandShell,
    PlannedCommands,
    RunCommandHandler,
    RunPlannedCommandsHandler,
    RunCommandAcrossHandler,
    CommandRunner,
    GovernanceFacts,
    SessionDependents,
  ],
  exports: [CommandShell, CommandRunner, GovernanceFacts, SessionDependents],
})
export class CommandHandlingModule {}
