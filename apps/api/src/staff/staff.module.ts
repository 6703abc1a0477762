import { Inject, Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { StaffSessionEntity } from './staff-session.entity.js';
import { StaffSessions, staffSessionMiddleware } from './staff-sessions.js';
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

  // Only the routes that can show or take a staff form: public reads and the JSON API never touch a session.
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(staffSessionMiddleware(this.sessions, this.options.sessionSecret))
      .forRoutes('staff', 'staff/*path', { path: 'commitments/:commitmentId', method: RequestMethod.GET });
  }
}
