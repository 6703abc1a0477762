import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppendObserver } from '#event-store';
import { ProjectionLags } from '../health/projection-lag.js';
import { ReplicaLags } from '../health/replica-lag.js';

/**
 * Gauges other parts of the api set themselves, by name: `metrics.gauge('cacheHitRatio').set({ cache: 'pages' }, 0.93)`.
 * Declared here so that every name and its labels are in one list.
 */
export const NAMED_GAUGES = {
  cacheHitRatio: {
    name: 'read_cache_hit_ratio',
    help: 'Share of public reads answered from the in-memory cache (0 to 1), per cache',
    labelNames: ['cache'],
  },
  notificationQueueDepth: {
    name: 'notification_queue_depth',
    help: 'Notifications waiting to be delivered, per channel',
    labelNames: ['channel'],
  },
} as const;
export type GaugeName = keyof typeof NAMED_GAUGES;

/** Where a request's route pattern is left when the router did not run (`response.locals`). */
export const ROUTE_PATTERN = 'routePattern';

/** One Prometheus registry per api (not prom-client's global one: tests run several apps in one process). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly appends = new Histogram({
    name: 'event_store_append_duration_seconds',
    help: 'Event store append latency, by operation and outcome',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  private readonly gauges = new Map<GaugeName, Gauge>();
  private readonly beforeScrape: (() => void)[] = [];

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** A named gauge (see NAMED_GAUGES), created on first use. */
  gauge(name: GaugeName): Gauge {
    let found = this.gauges.get(name);
    if (!found) {
      const { labelNames, ...rest } = NAMED_GAUGES[name];
      found = new Gauge({ ...rest, labelNames: [...labelNames], registers: [this.registry] });
      this.gauges.set(name, found);
    }
    return found;
  }

  readonly observeAppend: AppendObserver = (seconds, outcome, operation) => this.appends.observe({ operation, outcome }, seconds);

  /** Times every request; labelled by the route pattern Express matched (`/commitments/:id`), never the raw URL. */
  httpMiddleware() {
    return (request: Request, response: Response, next: NextFunction) => {
      const started = performance.now();
      response.on('finish', () => {
        const route = request.route as { path?: unknown } | undefined;
        // An answer from memory never reaches the router: it names the route it was drawn by.
        const kept = response.locals[ROUTE_PATTERN] as string | undefined;
        const pattern = kept ?? (typeof route?.path === 'string' ? `${request.baseUrl}${route.path}` : 'unmatched');
        this.observeRequest(request.method, pattern, response.statusCode, started);
      });
      next();
    };
  }

  /** One answered request: its method, route pattern, status and when it began (performance.now()). */
  observeRequest(method: string, route: string, status: number, startedMs: number): void {
    this.requests.observe({ method, route, status_code: String(status) }, (performance.now() - startedMs) / 1000);
  }

  /** Runs `refresh` before each scrape: for gauges read from somewhere else when asked. */
  onScrape(refresh: () => void): void {
    this.beforeScrape.push(refresh);
  }

  metrics(): Promise<string> {
    for (const refresh of this.beforeScrape) refresh();
    return this.registry.metrics();
  }
}

/** Projection lag gauges, read from the checkpoints and the log when Prometheus scrapes. */
@Injectable()
export class ProjectionLagMetrics implements OnModuleInit {
  constructor(
    @Inject(MetricsService) private readonly metrics: MetricsService,
    private readonly lags: ProjectionLags,
  ) {}

  onModuleInit(): void {
    const lags = this.lags;
    let current: Promise<{ name: string; events: number; seconds: number }[]> | undefined;
    // Both gauges of one scrape share one reading.
    const reading = () => {
      current ??= lags
        .statuses()
        .then((statuses) => lags.lags(statuses, new Date()))
        .finally(() => setTimeout(() => (current = undefined), 0));
      return current;
    };
    new Gauge({
      name: 'projection_lag_events',
      help: 'Events in the log the projection has not applied yet (counted up to 1000)',
      labelNames: ['projection'],
      registers: [this.metrics.registry],
      async collect() {
        for (const lag of await reading()) this.set({ projection: lag.name }, lag.events);
      },
    });
    new Gauge({
      name: 'projection_lag_seconds',
      help: 'How long the oldest event the projection has not applied has waited',
      labelNames: ['projection'],
      registers: [this.metrics.registry],
      async collect() {
        for (const lag of await reading()) this.set({ projection: lag.name }, lag.seconds);
      },
    });
  }
}

/** With a read replica (READ_DATABASE_URL): how far it is behind its primary, read when Prometheus scrapes. */
@Injectable()
export class ReplicaLagMetrics implements OnModuleInit {
  constructor(
    @Inject(MetricsService) private readonly metrics: MetricsService,
    private readonly lags: ReplicaLags,
  ) {}

  onModuleInit(): void {
    if (!this.lags.configured) return;
    const lags = this.lags;
    let current: ReturnType<ReplicaLags['lag']> | undefined;
    const reading = () => {
      current ??= lags.lag().finally(() => setTimeout(() => (current = undefined), 0));
      return current;
    };
    new Gauge({
      name: 'replica_lag_seconds',
      help: 'How old the last transaction the read replica replayed is, while it has WAL left to replay (0 when caught up)',
      registers: [this.metrics.registry],
      async collect() {
        const lag = await reading();
        if (lag) this.set(lag.seconds);
      },
    });
    new Gauge({
      name: 'replica_lag_bytes',
      help: 'WAL the primary has written that the read replica has not replayed yet',
      registers: [this.metrics.registry],
      async collect() {
        const lag = await reading();
        if (lag) this.set(lag.bytes);
      },
    });
  }
}
