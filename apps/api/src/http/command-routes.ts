import { Body, HttpCode, HttpStatus, Param, Post, Res, type Type } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CommandContext } from '../command-handling/command-context.js';
import type { CommandRunner } from '../command-handling/command-runner.js';
import type { CommandTable } from '../command-handling/command-table.js';
import { CommandResponseDto } from './dto.js';
import { ParseIdPipe } from './id.pipe.js';
import { WriteContext } from './write-context.js';
import { WriteEndpoint } from './write-endpoint.js';

/**
 * One controller method per entry of a command table, named by its key, decorated as a
 * hand-written one would be: the route, the role, the docs, and the body's DTO as the
 * parameter type (which the ValidationPipe and the OpenAPI document read).
 */
export function addCommandRoutes(controller: Type<{ readonly runner: CommandRunner }>, table: CommandTable): void {
  const prototype = controller.prototype as Record<string, unknown>;
  for (const [name, entry] of Object.entries(table.commands)) {
    const creates = entry.chosenId !== undefined;
    const handler = creates
      ? {
          async [name](this: { runner: CommandRunner }, body: object, context: CommandContext, response: Response) {
            const outcome = await this.runner.run(table.aggregate, entry, undefined, body, context);
            response.location(entry.location?.(outcome.id) ?? `/${table.aggregate.path}/${outcome.id}`);
            return outcome;
          },
        }[name]!
      : {
          [name](this: { runner: CommandRunner }, id: string, body: object, context: CommandContext) {
            return this.runner.run(table.aggregate, entry, id, body, context);
          },
        }[name]!;
    Object.defineProperty(prototype, name, { value: handler, writable: true, configurable: true, enumerable: false });
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name)!;
    const params: [ParameterDecorator, unknown][] = creates
      ? [
          [Body(), entry.input],
          [WriteContext(), Object],
          [Res({ passthrough: true }), Object],
        ]
      : [
          [Param(table.aggregate.idParam, ParseIdPipe), String],
          [Body(), entry.input],
          [WriteContext(), Object],
        ];
    Reflect.defineMetadata(
      'design:paramtypes',
      params.map(([, type]) => type),
      prototype,
      name,
    );
    // Applied in the order TypeScript applies written decorators: parameters last to first, then methods bottom-up.
    for (const [index, [decorate]] of [...params.entries()].reverse()) decorate(prototype, name, index);
    const methods: MethodDecorator[] = [
      Post(entry.route),
      ...(creates || entry.makesNew ? [] : [HttpCode(HttpStatus.OK)]),
      WriteEndpoint(entry.role, entry.summary, entry.description),
      creates || entry.makesNew ? ApiCreatedResponse({ type: CommandResponseDto }) : ApiOkResponse({ type: CommandResponseDto }),
    ];
    for (const decorate of methods.reverse()) decorate(prototype, name, descriptor);
  }
}
