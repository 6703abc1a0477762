import { Body, Controller, Get, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { StaffTokens } from '../auth/staff-tokens.js';
import { Pages } from '../pages/pages.js';
import { SIGN_IN_COOKIE, StaffSessions } from './staff-sessions.js';

// Only a path on this site, so a sign-in link cannot send anyone elsewhere afterwards.
const LOCAL_PATH = /^\/(?![/\\])[A-Za-z0-9\-._~/?=&%#+]{0,500}$/;
const safeReturn = (value: unknown) => (typeof value === 'string' && LOCAL_PATH.test(value) ? value : '/staff');

/** Staff sign-in and sign-out for the pages; the JSON API keeps using bearer tokens. */
@ApiExcludeController()
@Controller('staff')
export class StaffController {
  constructor(
    private readonly staff: StaffSessions,
    private readonly tokens: StaffTokens,
    private readonly pages: Pages,
  ) {}

  @Get()
  async home(@Req() request: Request, @Res() response: Response): Promise<void> {
    const viewer = await this.staff.viewerOf(request);
    if (!viewer) return response.redirect(HttpStatus.SEE_OTHER, '/staff/sign-in');
    this.send(response, HttpStatus.OK, this.pages.render('staffHome', { viewer, notice: this.staff.takeNotice(request) }));
  }

  @Get('sign-in')
  async signInForm(@Query('returnTo') returnTo: unknown, @Req() request: Request, @Res() response: Response): Promise<void> {
    if (await this.staff.viewerOf(request)) return response.redirect(HttpStatus.SEE_OTHER, safeReturn(returnTo));
    this.showSignIn(request, response, HttpStatus.OK, safeReturn(returnTo), null);
  }

  @Post('sign-in')
  async signIn(@Body() body: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    this.staff.checkSignInForm(request);
    const returnTo = safeReturn(body.returnTo);
    const token = typeof body.token === 'string' ? body.token.trim() : '';
    if (token === '') {
      return this.showSignIn(request, response, HttpStatus.BAD_REQUEST, returnTo, 'Enter the staff token you were given.');
    }
    const actor = await this.tokens.verify(token);
    if (!actor) {
      const reason =
        'This token was not accepted: it may be mistyped or revoked. Ask an admin for a new one if it keeps failing.';
      return this.showSignIn(request, response, HttpStatus.UNAUTHORIZED, returnTo, reason);
    }
    await this.staff.signIn(request, actor);
    response.clearCookie(SIGN_IN_COOKIE, { path: '/staff/sign-in' });
    response.redirect(HttpStatus.SEE_OTHER, returnTo);
  }

  @Post('sign-out')
  async signOut(@Req() request: Request, @Res() response: Response): Promise<void> {
    this.staff.checkForm(request);
    await this.staff.signOut(request);
    response.redirect(HttpStatus.SEE_OTHER, '/');
  }

  private showSignIn(request: Request, response: Response, status: number, returnTo: string, error: string | null): void {
    const csrfToken = this.staff.signInFormToken(request, response);
    this.send(response, status, this.pages.render('staffSignIn', { csrfToken, returnTo, error }));
  }

  // Staff pages are never stored by a cache: they carry a form token and who is signed in.
  private send(response: Response, status: number, html: string): void {
    response.status(status).setHeader('Cache-Control', 'no-store').type('html').send(html);
  }
}
