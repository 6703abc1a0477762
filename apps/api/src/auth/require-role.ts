import {
  applyDecorators,
  createParamDecorator,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorResponseDto } from '../http/dto.js';
import { BEARER_REALM, bearerTokenOf } from './bearer.strategy.js';
import type { Actor, Role } from './roles.js';
import { roleAllows } from './roles.js';

const REQUIRED_ROLE = 'auth:required-role';
const UNAUTHORIZED = 'A valid staff token is required';

/**
 * Passport's bearer guard, made to answer every failure with 401 and a `WWW-Authenticate: Bearer …`
 * challenge (Nest's AuthGuard drops the strategy's challenge). Tokens are accepted only in the
 * Authorization header, never from the query string or body, where they would end up in logs.
 */
@Injectable()
export class BearerAuthGuard extends AuthGuard('bearer') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    if (!request.headers.authorization) this.reject(context, `Bearer realm="${BEARER_REALM}"`);
    // passport-http-bearer also reads `access_token` from the body and query when the header has
    // another scheme; only the header counts here, so one token has one spelling for the rate limit.
    const elsewhere = (source: unknown) => typeof source === 'object' && source !== null && 'access_token' in source;
    if (bearerTokenOf(request.headers.authorization) === null || elsewhere(request.body) || elsewhere(request.query)) {
      this.reject(context, `Bearer realm="${BEARER_REALM}", error="invalid_request"`);
    }
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<TUser = Actor>(error: unknown, user: unknown, info: unknown, context: ExecutionContext): TUser {
    if (user && !error) return user as TUser;
    if (error && !(error instanceof UnauthorizedException)) throw error;
    const challenge =
      typeof info === 'string' && info.startsWith('Bearer ') ? info : `Bearer realm="${BEARER_REALM}", error="invalid_token"`;
    this.reject(context, challenge);
  }

  private reject(context: ExecutionContext, challenge: string): never {
    context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', challenge);
    throw new UnauthorizedException(UNAUTHORIZED);
  }
}

/** Lets the request through when the authenticated actor's role includes the handler's required role. */
@Injectable()
export class RoleGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required) return true;
    const actor = context.switchToHttp().getRequest<Request & { user?: Actor }>().user;
    if (!actor) throw new UnauthorizedException(UNAUTHORIZED);
    if (!roleAllows(actor.role, required)) {
      throw new ForbiddenException(`This action needs the ${required} role; your token has the ${actor.role} role.`);
    }
    return true;
  }
}

/**
 * Guards a handler (or a whole controller) with a staff token of at least `role`:
 * 401 with a `WWW-Authenticate: Bearer` challenge without a valid token, 403 when the role is too weak.
 */
export function RequireRole(role: Role): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_ROLE, role),
    UseGuards(BearerAuthGuard, RoleGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({
      type: ErrorResponseDto,
      description: 'No staff token, or the token is unknown, revoked or malformed.',
    }),
    ApiForbiddenResponse({ type: ErrorResponseDto, description: `The staff token's role does not include the ${role} role.` }),
  );
}

/** The authenticated Actor of a handler guarded by `@RequireRole`. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<Request & { user?: Actor }>().user;
  if (!actor) throw new UnauthorizedException(UNAUTHORIZED);
  return actor;
});
