import pg from 'pg';

/** How often a standby tries to take a projection over, and a leader checks its connection is alive. */
export const LEADERSHIP_TRY_EVERY_MS = 250;

/** The session advisory lock a projector holds while it leads `projection` (not the batch's transaction lock). */
export const leadershipLockName = (projection: string) => `projection-leader:${projection}`;

/** What the leaders' connections are named in pg_stat_activity: which process leads is visible from SQL. */
export const LEADERSHIP_APPLICATION_NAME = 'tracker projector leadership';

/**
 * One active projector per projection. Each projector holds, on a connection of its own, a
 * session advisory lock for every projection it leads; the others try every
 * LEADERSHIP_TRY_EVERY_MS and take a projection over as soon as PostgreSQL drops a dead leader's
 * connection (its session locks go with it), or a stopping one releases them. Leading only says
 * who works: each batch still takes the projection's transaction lock and checks the checkpoint,
 * so two instances that both believe they lead (a connection lost unnoticed) never apply a batch twice.
 */
export class ProjectionLeadership {
  private client: pg.Client | undefined;
  private readonly led = new Set<string>();
  private running: Promise<void> | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly projections: readonly string[],
    private readonly onChange: (projection: string, leading: boolean) => void = () => undefined,
  ) {}

  leads(projection: string): boolean {
    return this.led.has(projection);
  }

  /** Tries for leadership until `signal` aborts, then releases what it holds. */
  start(signal: AbortSignal): void {
    this.running = this.hold(signal);
  }

  async stopped(): Promise<void> {
    await this.running;
  }

  private async hold(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const client = this.client ?? (await this.connect());
        const untried = this.projections.filter((projection) => !this.led.has(projection));
        if (untried.length === 0) await client.query('select 1');
        for (const projection of untried) {
          const { rows } = await client.query<{ locked: boolean }>(
            'select pg_try_advisory_lock(hashtextextended($1, 0)) as locked',
            [leadershipLockName(projection)],
          );
          if (rows[0]!.locked) {
            this.led.add(projection);
            this.onChange(projection, true);
          }
        }
      } catch {
        await this.lose();
      }
      await sleep(LEADERSHIP_TRY_EVERY_MS, signal);
    }
    // Ending the session releases its locks at once: a standby takes over without waiting for a timeout.
    await this.lose();
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: `${LEADERSHIP_APPLICATION_NAME} ${process.pid}`,
    });
    client.on('error', () => {
      if (this.client === client) void this.lose();
    });
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }

  /** The connection is gone or going: its locks are, too. */
  private lose(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const projection of this.led) this.onChange(projection, false);
    this.led.clear();
    return client ? client.end().catch(() => undefined) : Promise.resolve();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', wake);
      resolve();
    }, ms);
    signal.addEventListener('abort', wake, { once: true });
  });
}
