import { Controller, Get, Header, Module, type DynamicModule } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { operationsOf, type AppConfig } from '#config';
import { APPEND_OBSERVER } from '#storage';
import { ProjectionLags } from '../health/projection-lag.js';
import { ReplicaLags } from '../health/replica-lag.js';
import { createLogger, LOGGER } from './logging.js';
import { MetricsService, ProjectionLagMetrics, ReplicaLagMetrics } from './metrics.js';

export const OPERATIONS_SETTINGS = Symbol('OperationsSettings');

@Controller('metrics')
class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return this.metrics.metrics();
  }
}

/** What operators read: the logger, the Prometheus registry (GET /metrics) and the lag behind readiness. */
@Module({})
export class OperationsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const settings = operationsOf(config);
    return {
      module: OperationsModule,
      global: true,
      controllers: [MetricsController],
      providers: [
        { provide: OPERATIONS_SETTINGS, useValue: settings },
        { provide: LOGGER, useFactory: () => createLogger(settings.logLevel) },
        MetricsService,
        { provide: APPEND_OBSERVER, useFactory: (metrics: MetricsService) => metrics.observeAppend, inject: [MetricsService] },
        ProjectionLags,
        ProjectionLagMetrics,
        ReplicaLags,
        ReplicaLagMetrics,
      ],
      exports: [OPERATIONS_SETTINGS, LOGGER, MetricsService, APPEND_OBSERVER, ProjectionLags, ReplicaLags],
    };
  }
}
