import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { AppConfig } from '#config';
import { HealthModule } from './health/health.module.js';
import { StorageModule } from './storage/storage.module.js';

/** The api as a manifest of capabilities; configuration arrives parsed, never read here. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), StorageModule.forRoot(config), HealthModule],
    };
  }
}
