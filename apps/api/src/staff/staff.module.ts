import { randomBytes } from 'node:crypto';
import cookieParser from 'cookie-parser';
import { Inject, Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import type { NextFunction, Request, Response } from 'express';
import type { Repository } from 'typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { StaffSessionEntity } from './staff-session.entity.js';
import { hasStaffCookie, STAFF_SECRET, StaffSessions, staffSessionMiddleware } from './staff-sessions.js';
import { StaffController } from './staff.controller.js';

export interface StaffOptions {
  readonly sessionSecret: string | null;
}

/**
 * Staff sign-in for the pages: a token is exchanged for an httpOnly session cookie, and forms
 * carry a CSRF token. Global, so that any capability's page can show its staff forms.
 */
@Module({})
export class StaffModule implements NestModule {
  static forRoot(options: StaffOptions): DynamicModule {
    return {
      module: StaffModule,
      global: true,
      imports: [AuthModule, TypeOrmModule.forFeature([StaffSessionEntity])],
      controllers: [StaffController],
      providers: [
        StaffSessions,
        { provide: STAFF_SECRET, useValue: options.sessionSecret ?? randomBytes(32).toString('base64url') },
      ],
      exports: [StaffSessions],
    };
  }

  constructor(
    @InjectRepository(StaffSessionEntity) private readonly sessions: Repository<StaffSessionEntity>,
    @Inject(STAFF_SECRET) private readonly secret: string,
  ) {}

  // Only the routes that can show or take a staff form: the JSON API never touches a session, and
  // a commitment page looks for one only when the browser has the cookie (the public never does).
  configure(consumer: MiddlewareConsumer): void {
    const sessions = staffSessionMiddleware(this.sessions, this.secret);
    // cookie-parser for the sign-in form's double-submit cookie.
    consumer.apply(cookieParser(), sessions).forRoutes('staff', 'staff/*path');
    consumer
      .apply((request: Request, response: Response, next: NextFunction) =>
        hasStaffCookie(request) ? sessions(request, response, next) : next(),
      )
      .forRoutes({ path: 'commitments/:commitmentId', method: RequestMethod.GET });
  }
}
