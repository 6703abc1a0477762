import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpStatus, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { IllegalStateError, RuleViolationError } from '#governance';
import { roleAllows } from '../auth/roles.js';
import { CommandRunner } from '../command-handling/command-runner.js';
import { ConcurrencyConflictError, NotFoundError } from '../command-handling/errors.js';
import { Pages } from '../pages/pages.js';
import { ListSessions } from '../sessions/session-queries.js';
import { StaffSessions, type StaffViewer } from '../staff/staff-sessions.js';
import {
  CREATION_FORMS,
  creationForm,
  drawnForm,
  formValues,
  readForm,
  ruleProblem,
  type FormProblems,
  type FormValues,
} from './commitment-forms.js';

/**
 * The staff page that records new sessions and commitments: the same forms machinery as a
 * commitment page (the JSON API's DTO, its command table entry, its runner), then the new page.
 */
@ApiExcludeController()
@Controller('staff/new')
export class CreationFormsController {
  constructor(
    private readonly runner: CommandRunner,
    private readonly queries: QueryBus,
    private readonly pages: Pages,
    private readonly staff: StaffSessions,
  ) {}

  @Get()
  async show(@Req() request: Request, @Res() response: Response): Promise<void> {
    const viewer = await this.staff.viewerOf(request);
    if (!viewer) return response.redirect(HttpStatus.SEE_OTHER, `/staff/sign-in?returnTo=${encodeURIComponent('/staff/new')}`);
    await this.send(response, HttpStatus.OK, viewer);
  }

  @Post(':action')
  async submit(
    @Param('action') action: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const form = creationForm(action);
    if (!form) throw new NotFoundException(`There is no staff form called "${action}".`);
    const viewer = await this.staff.formPoster(request, form.command.role);
    if (!viewer) return response.redirect(HttpStatus.SEE_OTHER, `/staff/sign-in?returnTo=${encodeURIComponent('/staff/new')}`);
    const values = formValues(form, body);
    const refuse = (status: number, problems: FormProblems) => this.send(response, status, viewer, { action, values, problems });

    const read = await readForm(form, values);
    if ('problems' in read) return refuse(HttpStatus.BAD_REQUEST, read.problems);
    const context = { actor: viewer.subject, correlationId: randomUUID(), causationId: randomUUID() };
    try {
      const outcome = await this.runner.run(form.aggregate, form.command, undefined, read.dto, context);
      await this.staff.notice(request, form.done);
      const next = form.next?.(outcome.id) ?? `/${form.aggregate.path}/${outcome.id}`;
      response.redirect(
        HttpStatus.SEE_OTHER,
        `${next}${next.includes('?') ? '&' : '?'}minPosition=${encodeURIComponent(outcome.position)}`,
      );
    } catch (error) {
      if (error instanceof RuleViolationError) return refuse(HttpStatus.UNPROCESSABLE_ENTITY, ruleProblem(form, error));
      if (error instanceof IllegalStateError) return refuse(HttpStatus.CONFLICT, ruleProblem(form, error));
      if (error instanceof ConcurrencyConflictError) return refuse(HttpStatus.CONFLICT, { fields: {}, form: error.message });
      if (error instanceof NotFoundError && error.subject.field !== undefined) {
        return refuse(HttpStatus.UNPROCESSABLE_ENTITY, ruleProblem(form, { message: error.message, field: error.subject.field }));
      }
      throw error;
    }
  }

  private async send(
    response: Response,
    status: number,
    viewer: StaffViewer,
    refused?: { readonly action: string; readonly values: FormValues; readonly problems: FormProblems },
  ): Promise<void> {
    const sessions = await this.queries.execute(new ListSessions());
    const sessionOptions = [
      { value: '', label: 'Choose a session' },
      ...sessions.map((session) => ({ value: session.id, label: `${session.date}: ${session.title}` })),
    ];
    const forms = CREATION_FORMS.filter((form) => roleAllows(viewer.role, form.command.role)).map((form) =>
      drawnForm(form, refused?.action === form.action ? refused : undefined, {}, sessionOptions),
    );
    const html = this.pages.render('staffRecord', { viewer, forms });
    response.status(status).setHeader('Cache-Control', 'no-store').type('html').send(html);
  }
}
