import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { notificationSettingsOf, publicBaseUrlOf, staleAfterMonthsOf, type AppConfig } from '#config';
import { AuthModule } from './auth/auth.module.js';
import { BriefModule } from './brief/brief.module.js';
import { CommandHandlingModule } from './command-handling/command-handling.module.js';
import { CommitmentsModule } from './commitments/commitments.module.js';
import { CorrectionsModule } from './corrections/corrections.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { DraftingModule } from './drafting/drafting.module.js';
import { ExportsModule } from './exports/exports.module.js';
import { PagesModule } from './pages/pages.module.js';
import { FeedsModule } from './feeds/feeds.module.js';
import { PublicLinksModule } from './feeds/public-links.js';
import { HealthModule } from './health/health.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { ProjectorModule } from '#projector';
import { ReadingDaysModule } from './reading/reading-days.js';
import { ReadCacheModule } from './read-cache/read-cache.module.js';
import { SessionFilesModule } from './session-files/session-files.module.js';
import { SessionsModule } from './sessions/sessions.module.js';
import { StaffModule } from './staff/staff.module.js';
import { StorageModule } from '#storage';
import { migrations } from './storage/migrations/index.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { OperationsModule } from './operations/operations.module.js';

/** The api as a manifest of capabilities; configuration arrives parsed, never read here. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const infrastructure = [
      CqrsModule.forRoot(),
      StorageModule.forRoot(config, { migrations }),
      CommandHandlingModule,
      IdempotencyModule,
      AuthModule,
      PublicLinksModule.forRoot(publicBaseUrlOf(config)),
      ReadingDaysModule.forRoot(staleAfterMonthsOf(config)),
      StaffModule.forRoot({ sessionSecret: config.staffSessionSecret ?? null }),
      ProjectorModule.forRoot({ follow: config.runProjector }),
      ReadCacheModule.forRoot(config),
      OperationsModule.forRoot(config),
    ];
    const capabilities = [
      HealthModule,
      SessionsModule,
      CommitmentsModule,
      DashboardModule,
      CorrectionsModule,
      SessionFilesModule.forRoot({ seedDirectory: config.seedDirectory }),
      ExportsModule,
      DraftingModule,
      PagesModule,
      FeedsModule,
      NotificationsModule.forRoot(notificationSettingsOf(config)),
      BriefModule,
    ];
    return { module: AppModule, imports: [...infrastructure, ...capabilities] };
  }
}
