import { Global, Module } from '@nestjs/common';
import { CLOCK, systemClock } from './clock.js';
import { CommandShell } from './command-shell.js';

@Global()
@Module({ providers: [CommandShell, { provide: CLOCK, useValue: systemClock }], exports: [CommandShell, CLOCK] })
export class CommandHandlingModule {}
