import type { RecordedEvent } from '#event-store';
import { commitmentStreamId, type CommitmentEvent } from '#governance';
import { commitmentsProjection } from '../commitments/commitments.projection.js';
import { readModelMigrations } from '../migrations/index.js';
import { openReadModelDatabase } from '../testing/read-model-database.js';
import { dayStart, testEventLog } from '../testing/test-event-log.js';
import { commitmentStatesProjection } from './commitment-states.projection.js';
import { readDashboard, readDashboardAsOf } from './dashboard.query.js';

const log = testEventLog();
const on = (id: string, event: CommitmentEvent, day: string): RecordedEvent =>
  log.record(commitmentStreamId(id), event, { occurredAt: dayStart(day) });
const made = (id: string) =>
  on(
    id,
    {
      type: 'CommitmentMade',
      data: {
        commitmentId: id,
        sessionId: 's-2020',
        sessionDate: '2020-12-10',
        speaker: { name: 'Patrick', role: null },
        ownerTeam: 'Trust & Safety',
        topics: ['UCoC'],
        summary: `Summary of ${id}`,
        quote: 'We will.',
        target: { asSaid: 'January or February 2021', latestDate: '2021-02-28' },
        strength: 'plan',
      },
    },
    '2020-12-10',
  );
const delivered = (id: string, day: string, datePrecision?: 'no_later_than' | 'no_earlier_than') =>
  on(
    id,
    {
      type: 'CommitmentDelivered',
      data: { completeness: 'full', note: 'Done', evidence: [], ...(datePrecision ? { datePrecision } : {}) },
    },
    day,
  );

describe('the dashboard counts on time only what is known to be', () => {
  let database: Awaited<ReturnType<typeof openReadModelDatabase>>;

  beforeAll(async () => {
    database = await openReadModelDatabase(readModelMigrations);
    const history = [
      made('on-time'),
      delivered('on-time', '2021-02-01'),
      made('late'),
      delivered('late', '2021-06-01'),
      // Known only to have happened by the 2022 session: whether by February 2021 is not known.
      made('bounded-after'),
      delivered('bounded-after', '2022-08-18', 'no_later_than'),
      // No later than a day before the target: on time for certain.
      made('bounded-before'),
      delivered('bounded-before', '2021-01-15', 'no_later_than'),
      // Answered after a session before the target, on a day not given: maybe in time, maybe not.
      made('after-early'),
      delivered('after-early', '2021-01-15', 'no_earlier_than'),
      // No earlier than a day after the target: late for certain.
      made('after-late'),
      delivered('after-late', '2022-08-18', 'no_earlier_than'),
    ];
    for (const projection of [commitmentsProjection, commitmentStatesProjection])
      await projection.apply(history, database.sql, (name) => name);
  });
  afterAll(() => database.close());

  it('live and as of a day: a delivery bounded on the wrong side of its target is neither on time nor late', async () => {
    for (const dashboard of [
      await readDashboard(database.sql, '2026-01-01'),
      await readDashboardAsOf(database.sql, '2025-12-31', 'occurred'),
    ]) {
      expect(dashboard.delivery).toMatchObject({ delivered: 6, onTime: { withTarget: 4, onTime: 2 } });
    }
  });
});
