import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpStatus, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { IllegalStateError, RuleViolationError } from '#governance';
import { WrongExpectedRevisionError } from '#event-store';
import { CommandRunner } from '../command-handling/command-runner.js';
import { NotFoundError, PreconditionFailedError } from '../command-handling/errors.js';
import { ParseIdPipe } from '../http/id.pipe.js';
import { StaffSessions } from '../staff/staff-sessions.js';
import { commitmentForm, formValues, readForm, ruleProblem, type FormProblems } from './commitment-forms.js';
import { COMMITMENT_COMMANDS } from './commitment-commands.js';
import { CommitmentPage } from './commitment-page.js';

const REVISION = /^\d{1,15}$/;

/**
 * The staff forms of a commitment page. Each is the JSON API's command behind a form: validated
 * by the same DTO, run by the same command table entry, then back to the page, which waits for the change.
 */
@ApiExcludeController()
@Controller('staff/commitments')
export class CommitmentFormsController {
  constructor(
    private readonly runner: CommandRunner,
    private readonly page: CommitmentPage,
    private readonly staff: StaffSessions,
  ) {}

  @Post(':commitmentId/:action')
  async submit(
    @Param('commitmentId', ParseIdPipe) commitmentId: string,
    @Param('action') action: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const form = commitmentForm(action);
    if (!form) throw new NotFoundException(`There is no staff form called "${action}".`);
    // The role its command needs, as on the JSON API's route.
    const viewer = await this.staff.formPoster(request, form.command.role);
    if (!viewer) {
      return response.redirect(
        HttpStatus.SEE_OTHER,
        `/staff/sign-in?returnTo=${encodeURIComponent(`/commitments/${commitmentId}`)}`,
      );
    }
    const values = formValues(form, body);
    const refuse = async (status: number, problems: FormProblems) => {
      const html = await this.page.render(commitmentId, undefined, {
        viewer,
        notice: null,
        refused: { action, values, problems },
      });
      response.status(status).setHeader('Cache-Control', 'no-store').type('html').send(html);
    };

    const read = await readForm(form, values);
    if ('problems' in read) return refuse(HttpStatus.BAD_REQUEST, read.problems);
    const revision = typeof body._revision === 'string' && REVISION.test(body._revision) ? Number(body._revision) : undefined;
    // The page always sends the revision it was drawn from: one that is not a revision must not skip the stale-tab check.
    if (body._revision !== undefined && revision === undefined) {
      return refuse(HttpStatus.BAD_REQUEST, {
        fields: {},
        form: 'This form\u2019s revision is not a revision number. Reload the page, then submit again.',
      });
    }
    const context = {
      actor: viewer.subject,
      correlationId: randomUUID(),
      causationId: randomUUID(),
      ...(revision === undefined ? {} : { expectedRevision: revision }),
    };
    try {
      const outcome = await this.runner.run(COMMITMENT_COMMANDS.aggregate, form.command, commitmentId, read.dto, context);
      await this.staff.notice(request, form.done);
      // The page waits (bounded) for the projection to include the change: staff see it at once.
      response.redirect(
        HttpStatus.SEE_OTHER,
        `/commitments/${commitmentId}?minPosition=${encodeURIComponent(outcome.position)}#history`,
      );
    } catch (error) {
      if (error instanceof RuleViolationError) return refuse(HttpStatus.UNPROCESSABLE_ENTITY, ruleProblem(form, error));
      if (error instanceof IllegalStateError) return refuse(HttpStatus.CONFLICT, ruleProblem(form, error));
      // Another commitment or session named in the form, not this page's commitment: next to the field that named it.
      if (error instanceof NotFoundError && error.subject.field !== undefined) {
        return refuse(HttpStatus.UNPROCESSABLE_ENTITY, ruleProblem(form, { message: error.message, field: error.subject.field }));
      }
      if (error instanceof PreconditionFailedError || error instanceof WrongExpectedRevisionError) {
        const message =
          'Someone changed this commitment after you opened the page. Its history below is now up to date; check it, then submit again.';
        return refuse(HttpStatus.CONFLICT, { fields: {}, form: message });
      }
      throw error;
    }
  }
}
