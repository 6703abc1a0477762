import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { EVENT_STORE, type EventStore, type EventStoreHealth } from '#event-store';
import { DataSource } from 'typeorm';
import { projections, readProjectionStatuses, type ProjectionStatus } from '#read-models';
import { DATABASE, type Database } from '#storage';

export interface HealthReport {
  readonly status: 'ok' | 'failing';
  readonly eventStore: EventStoreHealth;
  readonly database: { readonly mode: Database['mode']; readonly ok: boolean; readonly detail: string };
  /** Each read model's projection: its checkpoint, and when stuck the event it cannot apply and why. */
  readonly projections: readonly ProjectionStatus[];
}

/**
 * `/health/live`: the process answers (restart it if not). `/health/ready`: it can serve
 * current answers: the event store and the database answer and no projection is stuck.
 * `/health` is the same report as ready. Stuck projections are read from the checkpoint table,
 * so an api whose projector runs in another process reports them too.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(DATABASE) private readonly database: Database,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The event store, the database and each projection; 503 when one fails or a projection is stuck',
    description:
      'The same report as `/health/ready`. A stuck projection names its checkpoint, the event it cannot apply and the error.',
  })
  check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    return this.report(response);
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: 503 when the event store or the database is down or a projection is stuck' })
  ready(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    return this.report(response);
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
      return await readProjectionStatuses(
        (text, parameters) => this.dataSource.query(text, parameters as unknown[]),
        projections.map((projection) => projection.name),
      );
    } catch {
      return [];
    }
  }
}
