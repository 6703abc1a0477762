import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DomainCommand, DomainEvent } from '#governance';
import type { CommandResponseDto } from '../http/dto.js';
import { CLOCK, type Clock } from './clock.js';
import type { CommandContext, CommandOutcome } from './command-context.js';
import { CommandShell, type ShellRequest } from './command-shell.js';
import { commandOf, shellRequest, type Aggregate, type CommandEntry, type Facts } from './command-table.js';
import { newResourceId } from './new-id.js';
import { GovernanceFacts } from './facts.js';
import { PlannedCommands, type PlannedOutcome, type PlannedStep } from './planned-commands.js';

/** A command for one stream, as every route and form sends it. */
export class RunCommand extends Command<CommandOutcome> {
  constructor(readonly request: ShellRequest<DomainCommand, DomainEvent, unknown>) {
    super();
  }
}

/** A planned unit of work (an import): its steps decided together and appended at once. */
export class RunPlannedCommands extends Command<PlannedOutcome> {
  constructor(
    readonly steps: readonly PlannedStep[],
    readonly actor: string,
    readonly onProgress?: (done: number, total: number) => void,
  ) {
    super();
  }
}

@CommandHandler(RunPlannedCommands)
export class RunPlannedCommandsHandler implements ICommandHandler<RunPlannedCommands> {
  constructor(private readonly planned: PlannedCommands) {}

  execute({ steps, actor, onProgress }: RunPlannedCommands): Promise<PlannedOutcome> {
    return this.planned.run(steps, actor, onProgress);
  }
}

@CommandHandler(RunCommand)
export class RunCommandHandler implements ICommandHandler<RunCommand> {
  constructor(private readonly shell: CommandShell) {}

  execute({ request }: RunCommand): Promise<CommandOutcome> {
    return this.shell.execute(request);
  }
}

/**
 * Every route and form of a command table, from a validated input to its events: the facts it
 * needs are looked up, the entry makes the command, and the bus carries it to the shell.
 */
@Injectable()
export class CommandRunner {
  constructor(
    private readonly bus: CommandBus,
    private readonly lookups: GovernanceFacts,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run<C extends DomainCommand, Input extends object>(
    aggregate: Aggregate<C>,
    entry: CommandEntry<C, Input>,
    id: string | undefined,
    input: Input,
    context: CommandContext,
  ): Promise<CommandResponseDto> {
    const resourceId = entry.chosenId ? newResourceId(entry.chosenId(input), context) : id!;
    const facts: Facts = {
      session: entry.facts?.session ? await this.lookups.session(entry.facts.session(input)) : null,
      commitment: entry.facts?.commitment ? await this.lookups.commitment(entry.facts.commitment(input)) : null,
    };
    const command = commandOf(entry, input, facts, { id: resourceId, now: this.clock.now().toISOString() });
    const outcome = await this.bus.execute(new RunCommand(shellRequest(aggregate, resourceId, command, context)));
    return { id: resourceId, revision: outcome.revision, position: outcome.position, events: [...outcome.events] };
  }
}
