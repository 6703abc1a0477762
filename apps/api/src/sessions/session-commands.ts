import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { sessionDecider, sessionStreamId, type SessionCommand } from '#governance';
import type { CommandContext, CommandOutcome } from '../command-handling/command-context.js';
import { CommandShell } from '../command-handling/command-shell.js';

export class RunSessionCommand extends Command<CommandOutcome> {
  constructor(
    readonly sessionId: string,
    readonly command: SessionCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RunSessionCommand)
export class RunSessionCommandHandler implements ICommandHandler<RunSessionCommand> {
  constructor(private readonly shell: CommandShell) {}

  execute({ sessionId, command, context }: RunSessionCommand): Promise<CommandOutcome> {
    return this.shell.execute({
      decider: sessionDecider,
      streamId: sessionStreamId(sessionId),
      command,
      context,
      mustExist: command.type !== 'RecordSession',
      resource: `Session ${sessionId}`,
    });
  }
}
