import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import type { Actor } from './roles.js';
import { StaffTokens } from './staff-tokens.js';

export const BEARER_REALM = 'commitment-tracker';

/** The token of an `Authorization: Bearer …` header: the scheme in any case, any spacing. */
export function bearerTokenOf(authorization: string | undefined): string | null {
  const parts = authorization?.trim().split(/\s+/) ?? [];
  return parts.length === 2 && /^bearer$/i.test(parts[0]!) ? parts[1]! : null;
}

/** Turns `Authorization: Bearer ctk_…` into the request's Actor (`request.user`). */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(private readonly staffTokens: StaffTokens) {
    super({ realm: BEARER_REALM, passReqToCallback: true });
  }

  async validate(request: object, token: string): Promise<Actor> {
    const actor = await this.staffTokens.verifyOnce(request, token);
    if (!actor) throw new UnauthorizedException('A valid staff token is required');
    return actor;
  }
}
