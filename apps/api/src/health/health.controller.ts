import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { EVENT_STORE, type EventStore, type EventStoreHealth } from '#event-store';
import { DataSource } from 'typeorm';
import { DATABASE, type Database } from '#storage';

export interface HealthReport {
  readonly status: 'ok' | 'failing';
  readonly eventStore: EventStoreHealth;
  readonly database: { readonly mode: Database['mode']; readonly ok: boolean; readonly detail: string };
}

@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(DATABASE) private readonly database: Database,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const [eventStore, database] = await Promise.all([this.eventStore.health(), this.checkDatabase()]);
    const status = eventStore.ok && database.ok ? 'ok' : 'failing';
    response.status(status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    response.setHeader('Cache-Control', 'no-store');
    return { status, eventStore, database };
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
}
