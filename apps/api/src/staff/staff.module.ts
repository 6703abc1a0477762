import { Inject, Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import type { NextFunction, Request, Response } from 'express';
import type { Repository } from 'typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { StaffSessionEntity } from './staff-session.entity.js';
import { hasStaffCookie, StaffSessions, staffSessionMiddleware } from './staff-sessions.js';
import { StaffController } from './staff.controller.js';

const STAFF_OPTIONS = Symbol('STAFF_OPTIONS');

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
      providers: [StaffSessions, { provide: STAFF_OPTIONS, useValue: options }],
      exports: [StaffSessions],
    };
  }

  constructor(
    @InjectRepository(StaffSessionEntity) private readonly sessions: Repository<StaffSessionEntity>,
    @Inject(STAFF_OPTIONS) private readonly options: StaffOptions,
  ) {}

  // Only the routes that can show or take a staff form: the JSON API never touches a session, and
  // a commitment page looks for one only when the browser has the cookie (the public never does).
  configure(consumer: MiddlewareConsumer): void {
    const sessions = staffSessionMiddleware(this.sessions, this.options.sessionSecret);
    consumer.apply(sessions).forRoutes('staff', 'staff/*path');
    consumer
      .apply((request: Request, response: Response, next: NextFunction) =>
        hasStaffCookie(request) ? sessions(request, response, next) : next(),
      )
      .forRoutes({ path: 'commitments/:commitmentId', method: RequestMethod.GET });
  }
}
