import { randomBytes } from 'node:crypto';
import { ForbiddenException, Injectable } from '@nestjs/common';
import { csrfSync } from 'csrf-sync';
import type { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import type { Repository } from 'typeorm';
import { StaffTokens } from '../auth/staff-tokens.js';
import { roleAllows, type Actor, type Role } from '../auth/roles.js';
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
/** A working day; after that staff sign in again. */
export const STAFF_SESSION_LIFETIME_MS = 8 * 60 * 60 * 1000;

/** The signed-in member of staff a page is shown to, and the token its forms must carry. */
export interface StaffViewer extends Actor {
  readonly csrfToken: string;
}

/** Whether the request carries a staff cookie at all: without one there is no session to look up. */
export const hasStaffCookie = (request: Request) => request.headers.cookie?.includes(`${STAFF_COOKIE}=`) ?? false;

const csrf = csrfSync({ getTokenFromRequest: (request) => (request.body as { _csrf?: string } | undefined)?._csrf });

/** express-session on our own table: the cookie is httpOnly, SameSite=Lax, and Secure behind HTTPS. */
export function staffSessionMiddleware(
  sessions: Repository<StaffSessionEntity>,
  secret: string | null | undefined,
): (request: Request, response: Response, next: NextFunction) => void {
  return session({
    name: STAFF_COOKIE,
    secret: secret ?? randomBytes(32).toString('base64url'),
    store: new StaffSessionStore(sessions, STAFF_SESSION_LIFETIME_MS),
    // No row and no cookie for the public, who never sign in.
    saveUninitialized: false,
    resave: false,
    rolling: false,
    proxy: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: STAFF_SESSION_LIFETIME_MS, path: '/' },
  });
}

/** Signing in and out, the viewer of a page, and the CSRF token of its forms. */
@Injectable()
export class StaffSessions {
  constructor(private readonly tokens: StaffTokens) {}

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

  /** A token for a form shown before sign-in (the sign-in form itself). */
  formToken(request: Request): string {
    return csrf.generateToken(request);
  }

  /** Throws 403 unless the form carried this browser's token: another site cannot post it. */
  checkForm(request: Request): void {
    if (!request.session || !csrf.isRequestValid(request)) {
      throw new ForbiddenException(
        'This form has expired or did not come from this site; go back, reload the page and try again.',
      );
    }
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
