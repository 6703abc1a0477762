import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpStatus,
  Post,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { roleAllows } from '../auth/roles.js';
import { Pages } from '../pages/pages.js';
import { SessionFileError } from '../session-files/session-file.js';
import { SessionImporter } from '../session-files/session-importer.js';
import { StaffSessions, type StaffViewer } from '../staff/staff-sessions.js';
import { acceptedSessionFile, sessionFileYaml } from './draft-session-file.js';
import { problemsByField, readReview, reviewPage, type Posted } from './draft-review.js';
import { draftSession } from './drafter.js';
import { BriefFirstSuggestions } from './brief-first.js';

declare module 'express-session' {
  interface SessionData {
    /** The notes being reviewed: the review checks quotes against them, and nothing is recorded until import. */
    draftNotes?: string;
  }
}

// A file that decoded with replacement characters or carries NUL was not UTF-8 text.
const isWellFormedText = (text: string) => !text.includes('\uFFFD') && !text.includes('\u0000');

/** Notes longer than this are not a session's notes (the seeds are about 25 000 characters). */
export const MAX_NOTES = 60_000;

/**
 * Drafting a session from its notes: paste, review every candidate, import what was accepted
 * through the session-file import (validated, planned, all or nothing). Editors only.
 */
@ApiExcludeController()
@Controller('staff/drafts')
export class DraftsController {
  constructor(
    private readonly staff: StaffSessions,
    private readonly pages: Pages,
    private readonly importer: SessionImporter,
    private readonly suggestions: BriefFirstSuggestions,
  ) {}

  @Get()
  async form(@Req() request: Request, @Res() response: Response): Promise<void> {
    const viewer = await this.editor(request, response);
    if (!viewer) return;
    this.send(response, HttpStatus.OK, this.pages.render('staffDrafts', { viewer, notes: '', error: null }));
  }

  @Post()
  // The form is multipart so that a notes file can be uploaded instead of pasted; one small file at most.
  @UseInterceptors(FileInterceptor('notesFile', { limits: { files: 1, fileSize: 4 * MAX_NOTES, fields: 5 } }))
  async draft(
    @Body() body: Posted,
    @UploadedFile() upload: { readonly buffer: Buffer } | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const viewer = await this.poster(request, response);
    if (!viewer) return;
    const pasted = typeof body.notes === 'string' ? body.notes : '';
    const uploaded = upload && upload.buffer.length > 0 ? upload.buffer.toString('utf8') : null;
    const notes = uploaded ?? pasted;
    const error =
      uploaded !== null && !isWellFormedText(uploaded)
        ? 'The uploaded file is not UTF-8 text: upload the notes as plain text or wikitext.'
        : notes.trim() === ''
          ? 'Paste the published notes of the session, or upload them as a text file.'
          : notes.length > MAX_NOTES
            ? `Notes of at most ${MAX_NOTES} characters, please; these have ${notes.length}.`
            : null;
    if (error) return this.send(response, HttpStatus.BAD_REQUEST, this.pages.render('staffDrafts', { viewer, notes, error }));
    request.session.draftNotes = notes;
    await new Promise<void>((resolve, reject) => request.session.save((failed) => (failed ? reject(failed) : resolve())));
    const { draft, suggestions } = await this.suggestions.of(draftSession(notes));
    this.send(response, HttpStatus.OK, this.pages.render('staffDraftReview', reviewPage(viewer, draft, suggestions, null)));
  }

  @Post('import')
  async import(@Body() body: Posted, @Req() request: Request, @Res() response: Response): Promise<void> {
    const viewer = await this.poster(request, response);
    if (!viewer) return;
    const notes = request.session.draftNotes;
    if (!notes) return response.redirect(HttpStatus.SEE_OTHER, '/staff/drafts');
    const { draft, suggestions } = await this.suggestions.of(draftSession(notes));
    const refuse = (status: number, fields: Record<string, string>, form: string | null) =>
      this.send(
        response,
        status,
        this.pages.render('staffDraftReview', reviewPage(viewer, draft, suggestions, body, fields, form)),
      );
    const read = readReview(draft, notes, body, suggestions);
    if ('problems' in read)
      return refuse(HttpStatus.BAD_REQUEST, read.problems, 'Nothing was recorded: correct the fields marked below.');
    const file = acceptedSessionFile(read.session, read.accepted, read.statements);
    try {
      const report = await this.importer.importText(
        `draft-${read.session.id}.yaml`,
        sessionFileYaml(file, [], []),
        viewer.subject,
      );
      delete request.session.draftNotes;
      this.send(
        response,
        HttpStatus.OK,
        this.pages.render('staffDraftImported', {
          viewer,
          sessionId: report.sessionId,
          title: read.session.title,
          commitments: read.accepted.map(({ id, summary }) => ({ id, summary })),
          events: report.events,
          position: report.position,
        }),
      );
    } catch (error) {
      if (!(error instanceof SessionFileError)) throw error;
      const { fields, form } = problemsByField(read.accepted, error.problems, read.statements);
      return refuse(HttpStatus.UNPROCESSABLE_ENTITY, fields, form ?? 'Nothing was recorded: correct the fields marked below.');
    }
  }

  private async editor(request: Request, response: Response): Promise<StaffViewer | null> {
    const viewer = await this.staff.viewerOf(request);
    if (!viewer) {
      response.redirect(HttpStatus.SEE_OTHER, `/staff/sign-in?returnTo=${encodeURIComponent('/staff/drafts')}`);
      return null;
    }
    if (!roleAllows(viewer.role, 'editor'))
      throw new ForbiddenException(`This needs the editor role; you are signed in with the ${viewer.role} role.`);
    return viewer;
  }

  private async poster(request: Request, response: Response): Promise<StaffViewer | null> {
    const viewer = await this.staff.formPoster(request, 'editor');
    if (!viewer) response.redirect(HttpStatus.SEE_OTHER, `/staff/sign-in?returnTo=${encodeURIComponent('/staff/drafts')}`);
    return viewer;
  }

  // Staff pages are never stored by a cache: they carry a form token and who is signed in.
  private send(response: Response, status: number, html: string): void {
    response.status(status).setHeader('Cache-Control', 'no-store').type('html').send(html);
  }
}
