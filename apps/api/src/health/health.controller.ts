import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { EVENT_STORE, type EventStore, type EventStoreHealth } from '#event-store';
import { DataSource } from 'typeorm';
import type { ProjectionStatus } from '#read-models';
import { DATABASE, type Database } from '#storage';
import { OPERATIONS_SETTINGS } from '../operations/operations.module.js';
import { DEFAULT_MAX_REPLICA_LAG_SECONDS, type OperationsSettings } from '#config';
import { ProjectionLags, type ProjectionLag } from './projection-lag.js';
import { ReplicaLags, type ReplicaLag } from './replica-lag.js';

export interface HealthReport {
  readonly status: 'ok' | 'failing';
  readonly eventStore: EventStoreHealth;
  readonly database: { readonly mode: Database['mode']; readonly ok: boolean; readonly detail: string };
  /** Each read model's projection: its checkpoint, and when stuck the event it cannot apply and why. */
  readonly projections: readonly ProjectionStatus[];
}

export interface ReadinessReport extends HealthReport {
  /** Each projection's distance behind the log; past the bound it fails readiness. */
  readonly lag: readonly ProjectionLag[];
  readonly maxLagSeconds: number;
  /** With a read replica (READ_DATABASE_URL): how far it is behind the primary; past the bound it fails readiness. */
  readonly replica?: { readonly lag: ReplicaLag | null; readonly maxLagSeconds: number };
  /** Why it is not ready, in sentences; empty when it is. */
  readonly reasons: readonly string[];
}

/**
 * `/health/live`: the process answers (restart it if not). `/health/ready`: it can serve
 * current answers: the event store and the database answer, no projection is stuck and none lags
 * beyond READY_MAX_PROJECTION_LAG_SECONDS, and the read replica, if any, answers and lags no more than
 * READY_MAX_REPLICA_LAG_SECONDS.
 * `/health` is the report without the lag (as before readiness had it). Stuck projections are read from the checkpoint table,
 * so an api whose projector runs in another process reports them too.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(DATABASE) private readonly database: Database,
    private readonly dataSource: DataSource,
    private readonly projectionLags: ProjectionLags,
    private readonly replicaLags: ReplicaLags,
    @Inject(OPERATIONS_SETTINGS) private readonly settings: OperationsSettings,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The event store, the database and each projection; 503 when one fails or a projection is stuck',
    description:
      'The report of `/health/ready` without the lag. A stuck projection names its checkpoint, the event it cannot apply and the error.',
  })
  check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    return this.report(response);
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: 503 when the event store or the database is down, or a projection is stuck or lags beyond the bound',
    description: 'The `/health` report plus each projection\u2019s lag (events and seconds) and, when not ready, the reasons.',
  })
  async ready(@Res({ passthrough: true }) response: Response): Promise<ReadinessReport> {
    const report = await this.report(response);
    const maxLagSeconds = this.settings.maxProjectionLagSeconds;
    let lag: ProjectionLag[] = [];
    const reasons: string[] = [];
    if (!report.eventStore.ok) reasons.push(`The event store is failing: ${report.eventStore.detail}`);
    if (!report.database.ok) reasons.push(`The database is failing: ${report.database.detail}`);
    for (const projection of report.projections) {
      if (projection.status === 'stuck') {
        reasons.push(
          `Projection ${projection.name} is stuck: it cannot apply ${projection.failingEvent.type} at ${projection.failingEvent.position}: ${projection.error}`,
        );
      }
    }
    try {
      lag = await this.projectionLags.lags(report.projections, new Date());
    } catch (error) {
      reasons.push(`The lag of the projections cannot be read: ${(error as Error).message}`);
    }
    for (const behind of lag) {
      if (behind.seconds > maxLagSeconds) {
        reasons.push(
          `Projection ${behind.name} is ${behind.events} events and ${Math.round(behind.seconds)} s behind the log (the bound is ${maxLagSeconds} s)`,
        );
      }
    }
    const replica = this.replicaLags.configured ? await this.replicaReadiness(reasons) : undefined;
    const status = reasons.length === 0 ? 'ok' : 'failing';
    response.status(status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { ...report, status, lag, maxLagSeconds, ...(replica ? { replica } : {}), reasons };
  }

  private async replicaReadiness(reasons: string[]): Promise<NonNullable<ReadinessReport['replica']>> {
    const maxLagSeconds = this.settings.maxReplicaLagSeconds ?? DEFAULT_MAX_REPLICA_LAG_SECONDS;
    let lag: ReplicaLag | null = null;
    try {
      lag = await this.replicaLags.lag();
    } catch (error) {
      reasons.push(`The read replica cannot be read: ${(error as Error).message}`);
    }
    if (lag && lag.seconds > maxLagSeconds) {
      reasons.push(
        `The read replica is ${lag.bytes} bytes of WAL and ${Math.round(lag.seconds)} s behind the primary (the bound is ${maxLagSeconds} s)`,
      );
    }
    return { lag, maxLagSeconds };
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: 200 while the process answers, whatever the database or the projections' })
  live(@Res({ passthrough: true }) response: Response): { status: 'ok' } {
    response.setHeader('Cache-Control', 'no-store');
    return { status: 'ok' };
  }

  private async report(response: Response): Promise<HealthReport> {
    const [eventStore, database, following] = await Promise.all([
      this.eventStore.health(),
      this.checkDatabase(),
      this.checkProjections(),
    ]);
    const status =
      eventStore.ok && database.ok && following.every((projection) => projection.status !== 'stuck') ? 'ok' : 'failing';
    response.status(status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    response.setHeader('Cache-Control', 'no-store');
    return { status, eventStore, database, projections: following };
  }

  private async checkDatabase(): Promise<HealthReport['database']> {
    const { mode } = this.database;
    try {
      const [row] = (await this.dataSource.query("select current_setting('server_version') as version")) as { version: string }[];
      return { mode, ok: true, detail: `PostgreSQL ${row!.version}${mode === 'embedded' ? ' (PGlite)' : ''}` };
    } catch (error) {
      return { mode, ok: false, detail: (error as Error).message };
    }
  }

  /** Empty when the database cannot be read: `database` then says why. */
  private async checkProjections(): Promise<readonly ProjectionStatus[]> {
    try {
      return await this.projectionLags.statuses();
    } catch {
      return [];
    }
  }
}
