import { createHmac } from 'node:crypto';
import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { doubleCsrf } from 'csrf-csrf';
import { csrfSync } from 'csrf-sync';
import type { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import type { Repository } from 'typeorm';
import { StaffTokens } from '../auth/staff-tokens.js';
import { roleAllows, type Actor, type Role } from '../auth/roles.js';
import { PublicLinks } from '../feeds/public-links.js';
import type { StaffSessionEntity } from './staff-session.entity.js';
import { StaffSessionStore } from './staff-session-store.js';

declare module 'express-session' {
  interface SessionData {
    /** Who signed in with which token; the token is re-checked on every request, so revoking it signs them out. */
    staff?: { readonly subject: string; readonly tokenId: string };
    /** A one-time message for the next page, e.g. after a saved form. */
    notice?: string;
  }
}

export const STAFF_COOKIE = 'tracker_staff';
/** The sign-in form's CSRF cookie (double submit, signed): the sign-in page stores nothing on the server. */
export const SIGN_IN_COOKIE = 'tracker_sign_in';
export const SIGN_IN_PATH = '/staff/sign-in';
/** Signs the staff cookies and the sign-in form's token: STAFF_SESSION_SECRET, or one per process. */
export const STAFF_SECRET = Symbol('STAFF_SECRET');
/** A working day; after that staff sign in again. */
export const STAFF_SESSION_LIFETIME_MS = 8 * 60 * 60 * 1000;

/** The signed-in member of staff a page is shown to, and the token its forms must carry. */
export interface StaffViewer extends Actor {
  readonly csrfToken: string;
}

/** Whether the request carries a staff cookie at all: without one there is no session to look up. */
export const hasStaffCookie = (request: Request) => request.headers.cookie?.includes(`${STAFF_COOKIE}=`) ?? false;

/** The staff cookie's value as sent (not yet verified), or null; read before any cookie parser runs. */
export function staffCookieOf(request: Request): string | null {
  const header = request.headers.cookie ?? '';
  for (const pair of header.split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === STAFF_COOKIE && value.length > 0) return value.join('=');
  }
  return null;
}

const formTokenOf = (request: Request) => (request.body as { _csrf?: unknown } | undefined)?._csrf;
// Signed-in forms: the synchroniser token kept in the session.
const csrf = csrfSync({ getTokenFromRequest: (request) => formTokenOf(request) as string | undefined });

/**
 * The sign-in form comes before any session, and must not make one: each anonymous visit would
 * store a row. Its token is a signed double-submit cookie instead (csrf-csrf): the form carries
 * the cookie's value, which another site can neither read nor set.
 */
function signInCsrf(secret: string) {
  const key = createHmac('sha256', secret).update('staff sign-in form').digest('base64url');
  return doubleCsrf({
    getSecret: () => key,
    // Nobody is signed in yet, so there is no session to bind the token to.
    getSessionIdentifier: () => 'staff-sign-in',
    cookieName: SIGN_IN_COOKIE,
    cookieOptions: { httpOnly: true, sameSite: 'strict', path: SIGN_IN_PATH, secure: false },
    getCsrfTokenFromRequest: (request) => {
      const token = formTokenOf(request);
      return typeof token === 'string' ? token : null;
    },
  });
}

/** express-session on our own table: the cookie is httpOnly, SameSite=Lax, and Secure behind HTTPS. */
export function staffSessionMiddleware(
  sessions: Repository<StaffSessionEntity>,
  secret: string,
): (request: Request, response: Response, next: NextFunction) => void {
  return session({
    name: STAFF_COOKIE,
    secret,
    store: new StaffSessionStore(sessions, STAFF_SESSION_LIFETIME_MS),
    // No row and no cookie for the public, who never sign in.
    saveUninitialized: false,
    resave: false,
    rolling: false,
    proxy: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: STAFF_SESSION_LIFETIME_MS, path: '/' },
  });
}

const formExpired = () =>
  new ForbiddenException('This form has expired or did not come from this site; go back, reload the page and try again.');

/** Signing in and out, the viewer of a page, and the CSRF token of its forms. */
@Injectable()
export class StaffSessions {
  private readonly signInForms: ReturnType<typeof signInCsrf>;
  private readonly secureCookies: boolean;

  constructor(
    private readonly tokens: StaffTokens,
    @Inject(STAFF_SECRET) secret: string,
    links: PublicLinks,
  ) {
    this.signInForms = signInCsrf(secret);
    this.secureCookies = links.base.startsWith('https:');
  }

  /** The member of staff signed in on this browser, or null for the public (and for a revoked token). */
  async viewerOf(request: Request): Promise<StaffViewer | null> {
    const signedIn = request.session?.staff;
    if (!signedIn) return null;
    const actor = await this.tokens.active(signedIn.tokenId);
    if (!actor) {
      delete request.session.staff;
      return null;
    }
    return { ...actor, csrfToken: csrf.generateToken(request) };
  }

  /** The sign-in form's token, set beside it as a cookie; nothing is stored on the server. */
  signInFormToken(request: Request, response: Response): string {
    return this.signInForms.generateCsrfToken(request, response, {
      cookieOptions: { httpOnly: true, sameSite: 'strict', path: SIGN_IN_PATH, secure: this.secureCookies },
    });
  }

  /** Throws 403 unless a sign-in post carries the token of the sign-in form this browser was shown. */
  checkSignInForm(request: Request): void {
    if (!this.signInForms.validateRequest(request)) throw formExpired();
  }

  /** Throws 403 unless the form carried this browser's token: another site cannot post it. */
  checkForm(request: Request): void {
    if (!request.session || !csrf.isRequestValid(request)) throw formExpired();
  }

  /** The viewer of a form post that needs `role`: 403 without a valid form token or role, null when signed out. */
  async formPoster(request: Request, role: Role): Promise<StaffViewer | null> {
    this.checkForm(request);
    const viewer = await this.viewerOf(request);
    if (viewer && !roleAllows(viewer.role, role)) {
      throw new ForbiddenException(`This needs the ${role} role; you are signed in with the ${viewer.role} role.`);
    }
    return viewer;
  }

  /** A new session id at sign-in, so an id planted before it is worth nothing after. */
  async signIn(request: Request, actor: Actor): Promise<void> {
    await new Promise<void>((resolve, reject) => request.session.regenerate((error) => (error ? reject(error) : resolve())));
    request.session.staff = { subject: actor.subject, tokenId: actor.tokenId };
    csrf.generateToken(request, true);
    await this.save(request);
  }

  async signOut(request: Request): Promise<void> {
    if (!request.session) return;
    await new Promise<void>((resolve, reject) => request.session.destroy((error) => (error ? reject(error) : resolve())));
  }

  /** Leaves a message for the next page this browser loads. */
  async notice(request: Request, text: string): Promise<void> {
    request.session.notice = text;
    await this.save(request);
  }

  /** The pending message, shown once. */
  takeNotice(request: Request): string | null {
    const text = request.session?.notice ?? null;
    if (text !== null) delete request.session.notice;
    return text;
  }

  // Saved before a redirect answers, so the next request finds it.
  private save(request: Request): Promise<void> {
    return new Promise((resolve, reject) => request.session.save((error) => (error ? reject(error) : resolve())));
  }
}
