import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { commitmentDecider, commitmentStreamId, type CommitmentCommand } from '#governance';
import type { CommandContext, CommandOutcome } from '../command-handling/command-context.js';
import { CommandShell } from '../command-handling/command-shell.js';

export class RunCommitmentCommand extends Command<CommandOutcome> {
  constructor(
    readonly commitmentId: string,
    readonly command: CommitmentCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RunCommitmentCommand)
export class RunCommitmentCommandHandler implements ICommandHandler<RunCommitmentCommand> {
  constructor(private readonly shell: CommandShell) {}

  execute({ commitmentId, command, context }: RunCommitmentCommand): Promise<CommandOutcome> {
    return this.shell.execute({
      decider: commitmentDecider,
      streamId: commitmentStreamId(commitmentId),
      command,
      context,
      mustExist: command.type !== 'MakeCommitment',
      resource: `Commitment ${commitmentId}`,
    });
  }
}
