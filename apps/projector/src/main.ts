import 'reflect-metadata';
import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, type AppConfig } from '#config';
import { ProjectorModule } from '#projector';
import { StorageModule } from '#storage';
import { readModelMigrations } from '#read-models';

/** The projector alone: storage and the projections, no HTTP. Run several: one leads each projection, another takes over when it stops. */
@Module({})
class ProjectorApp {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ProjectorApp,
      imports: [
        StorageModule.forRoot(config, { migrations: readModelMigrations }),
        ProjectorModule.forRoot({ follow: true, lead: true }),
      ],
    };
  }
}

let config: AppConfig;
try {
  config = loadConfig(process.env, process.cwd());
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}
const app = await NestFactory.createApplicationContext(ProjectorApp.forRoot(config), { logger: ['log', 'warn', 'error'] });
app.enableShutdownHooks();
new Logger('Projector').log('Projector running; stop it with Ctrl-C');
