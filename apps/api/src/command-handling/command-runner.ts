import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DomainCommand, DomainEvent } from '#governance';
import type { CommandResponseDto } from '../http/dto.js';
import { CLOCK, type Clock } from './clock.js';
import type { CommandContext, CommandOutcome } from './command-context.js';
import { CommandShell, type ShellRequest, type StreamHistory } from './command-shell.js';
import { commandOf, isAcross, shellRequest, type Aggregate, type CommandEntry, type Facts } from './command-table.js';
import { newResourceId } from './new-id.js';
import { GovernanceFacts, type FactReader } from './facts.js';
import { SessionDependents } from './session-dependents.js';
import { fold } from './fold.js';
import { PlannedCommands, type AcrossPlan, type PlannedOutcome, type PlannedStep } from './planned-commands.js';

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
    /** The streams the steps were planned from, as read then (see PlannedCommands.run). */
    readonly readBefore?: ReadonlyMap<string, StreamHistory>,
  ) {
    super();
  }
}

/** A command whose decision spans several streams (split, merge, supersede): planned and appended at once. */
export class RunCommandAcross extends Command<CommandOutcome> {
  constructor(
    readonly plan: AcrossPlan,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RunCommandAcross)
export class RunCommandAcrossHandler implements ICommandHandler<RunCommandAcross> {
  constructor(private readonly planned: PlannedCommands) {}

  execute({ plan, context }: RunCommandAcross): Promise<CommandOutcome> {
    return this.planned.runAcross(plan, context);
  }
}

@CommandHandler(RunPlannedCommands)
export class RunPlannedCommandsHandler implements ICommandHandler<RunPlannedCommands> {
  constructor(private readonly planned: PlannedCommands) {}

  execute({ steps, actor, onProgress, readBefore }: RunPlannedCommands): Promise<PlannedOutcome> {
    return this.planned.run(steps, actor, onProgress, readBefore);
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
    private readonly sessionDependents: SessionDependents,
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
    const now = this.clock.now().toISOString();
    const outcome = isAcross(entry)
      ? await this.bus.execute(new RunCommandAcross(this.planAcross(aggregate, entry, resourceId, input, now), context))
      : await this.bus.execute(
          new RunCommand(
            shellRequest(
              aggregate,
              resourceId,
              commandOf(entry, input, await factsOf(entry, input, this.lookups, this.datedBy(entry, input, resourceId)), {
                id: resourceId,
                now,
              }),
              context,
            ),
          ),
        );
    return { id: resourceId, revision: outcome.revision, position: outcome.position, events: [...outcome.events] };
  }

  /** The count of what the addressed session dates, when the entry asks for it. */
  private datedBy<C extends DomainCommand, Input extends object>(
    entry: CommandEntry<C, Input>,
    input: Input,
    sessionId: string,
  ): Promise<number | null> {
    return entry.facts?.commitmentsDatedBySession?.(input)
      ? this.sessionDependents.commitmentsDatedBy(sessionId)
      : Promise.resolve(null);
  }

  /** The steps of a command across streams, made again from fresh facts on every attempt. */
  private planAcross<C extends DomainCommand, Input extends object>(
    aggregate: Aggregate<C>,
    entry: CommandEntry<C, Input>,
    id: string,
    input: Input,
    now: string,
  ): AcrossPlan {
    return async (reader, history) => {
      const facts = await factsOf(entry, input, reader);
      const own = commandOf(entry, input, facts, { id, now });
      const state: unknown = fold(aggregate.decider, await history(aggregate.streamId(id)));
      const others = (entry.others?.(input, facts, { id, state }) ?? []).map((other) => ({
        aggregate: aggregate as Aggregate,
        id: other.id,
        field: other.field,
        command: {
          type: other.type,
          data: other.data,
          occurredAt: other.occurredAt ? new Date(other.occurredAt).toISOString() : now,
          now,
        },
      }));
      return [{ aggregate: aggregate as Aggregate, id, command: own }, ...others];
    };
  }
}

/** The facts an entry asks for, read through `reader`. */
async function factsOf<C extends DomainCommand, Input extends object>(
  entry: CommandEntry<C, Input>,
  input: Input,
  reader: FactReader,
  commitmentsDatedBySession: Promise<number | null> = Promise.resolve(null),
): Promise<Facts> {
  const { session, commitment, commitments } = entry.facts ?? {};
  return {
    session: session ? await reader.session(session(input)) : null,
    commitment: commitment ? await reader.commitment(commitment(input)) : null,
    commitments: await commitmentsFacts(commitments?.(input) ?? [], reader),
    commitmentsDatedBySession: await commitmentsDatedBySession,
  };
}

// One after another: a unit of work reads each stream once, and checks it at that revision.
async function commitmentsFacts(ids: readonly string[], reader: FactReader): Promise<Facts['commitments']> {
  const facts = [];
  for (const id of ids) facts.push({ id, facts: await reader.commitment(id) });
  return facts;
}
