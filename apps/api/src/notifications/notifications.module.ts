import {
  Inject,
  Injectable,
  Logger,
  Module,
  RequestMethod,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { DataSource } from 'typeorm';
import type { NotificationSettings } from '#config';
import { EVENT_STORE, type EventStore } from '#event-store';
import { CLOCK, type Clock } from '../command-handling/clock.js';
import { PublicLinks } from '../feeds/public-links.js';
import { FollowController } from './follow.controller.js';
import { MAILER, openMailer, type Mailer } from './mailer.js';
import { Notifier } from './notifier.js';
import { Sender } from './sender.js';
import { NOTIFICATION_SETTINGS } from './settings.js';
import { Subscriptions } from './subscriptions.js';
import { WebhooksController } from './webhooks.controller.js';

const FORGET_EVERY_MS = 60_000;

/** Runs the notifier and the sender in this process (RUN_NOTIFIER) until shutdown. */
@Injectable()
class NotificationWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Notifications');
  private readonly stop = new AbortController();
  private running: Promise<void>[] = [];
  private forgetting: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly sender: Sender,
    private readonly subscriptions: Subscriptions,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(NOTIFICATION_SETTINGS) private readonly settings: NotificationSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.settings.run) return;
    const report = (what: string) => (error: unknown) =>
      this.logger.error(`${what}: ${error instanceof Error ? error.message : String(error)}; retrying`);
    this.running = [
      new Notifier(this.dataSource, this.store).follow(this.stop.signal, report('notifier')),
      this.sender.follow(this.stop.signal, report('sender')),
    ];
    this.forgetting = setInterval(
      () => void this.subscriptions.forgetUnconfirmed(this.clock.now()).catch(report('forgetting unconfirmed sign-ups')),
      FORGET_EVERY_MS,
    );
    this.logger.log(
      `Following the log for notifications; mail ${this.settings.smtpUrl ? 'over SMTP' : `written to ${this.settings.mailDirectory}`}`,
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    clearInterval(this.forgetting);
    await Promise.all(this.running);
    this.mailer.close();
  }
}

/** Following by email and webhook (issue 14): the pages and API, and the processor that delivers. */
@Module({})
export class NotificationsModule implements NestModule {
  constructor(@Inject(NOTIFICATION_SETTINGS) private readonly settings: NotificationSettings) {}

  static forRoot(settings: NotificationSettings): DynamicModule {
    return {
      module: NotificationsModule,
      controllers: [FollowController, WebhooksController],
      providers: [
        { provide: NOTIFICATION_SETTINGS, useValue: settings },
        {
          provide: MAILER,
          useFactory: () => openMailer({ ...settings, timeoutMs: (settings.leaseSeconds * 1000) / 2 }),
        },
        {
          provide: Sender,
          inject: [DataSource, MAILER, PublicLinks, CLOCK],
          useFactory: (dataSource: DataSource, mailer: Mailer, links: PublicLinks, clock: Clock) =>
            new Sender(dataSource, mailer, links, clock, settings),
        },
        {
          provide: Subscriptions,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => new Subscriptions(dataSource, settings.digestHourUtc),
        },
        NotificationWorkers,
      ],
    };
  }

  /** Sign-ups are limited per address (IP), and answer the same whatever the email address. */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(
        rateLimit({
          windowMs: 3_600_000,
          limit: this.settings.signupsPerHour,
          standardHeaders: 'draft-8',
          legacyHeaders: false,
          keyGenerator: (request: Request) => `follow:${ipKeyGenerator(request.ip ?? 'unknown')}`,
          handler: (_request: Request, response: Response) => {
            response
              .status(429)
              .type('text/plain; charset=utf-8')
              .send('Too many sign-ups from this address; try again in an hour.');
          },
        }),
      )
      .forRoutes({ path: 'follow', method: RequestMethod.POST });
  }
}
