import { Global, Module } from '@nestjs/common';
import { CLOCK, systemClock } from './clock.js';
import { CommandShell } from './command-shell.js';
import { PlannedCommands } from './planned-commands.js';

@Global()
@Module({
  providers: [CommandShell, PlannedCommands, { provide: CLOCK, useValue: systemClock }],
  exports: [CommandShell, PlannedCommands, CLOCK],
})
export class CommandHandlingModule {}
