import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EventStoreDbEventStore } from '#event-store/eventstoredb';
import {
  LOG_START,
  PostgresEventStore,
  UpcasterRegistry,
  openEmbeddedPostgres,
  upcastingEventStore,
  type EmbeddedPostgres,
  type EventStore,
  type LogCursor,
  type RecordedEvent,
} from '#event-store';
import { dropSchema, isolatedSchemaName, serverForTests } from '#event-store/testing';
import {
  COMMITMENT_EVENT_TYPES,
  SESSION_EVENT_TYPES,
  evolveCommitment,
  evolveSession,
  initialCommitmentState,
  initialSessionState,
  type CommitmentEvent,
  type SessionEvent,
} from '#governance';
import { ProjectionRunner, projections, readModelMigrations } from '#read-models';
import { openReadModelDatabase } from '../libs/read-models/src/testing/read-model-database.js';
import { eventSchemas } from '#storage';

/** Stored as the api wrote them at version 1; never edited once released (see libs/storage/src/event-schemas.ts). */
const FIXTURES = join(process.cwd(), 'test/fixtures/events-v1');

// Every type the domain defines (a new one asks for its fixture here).
const everyType = [...SESSION_EVENT_TYPES, ...COMMITMENT_EVENT_TYPES];

type Fixture = Pick<RecordedEvent, 'id' | 'streamId' | 'revision' | 'type' | 'data' | 'metadata'>;

async function loadFixtures(): Promise<Fixture[]> {
  const files = (await readdir(FIXTURES)).filter((file) => file.endsWith('.json')).sort();
  return Promise.all(files.map(async (file) => JSON.parse(await readFile(join(FIXTURES, file), 'utf8')) as Fixture));
}

interface Adapter {
  readonly name: string;
  readonly unavailable?: string;
  open(): Promise<EventStore>;
  cleanUp(): Promise<void>;
}

const postgres = serverForTests('DATABASE_URL');
const eventStoreDb = serverForTests('EVENTSTORE_CONNECTION_STRING');
const schema = isolatedSchemaName('es_fixtures');
let embedded: EmbeddedPostgres | undefined;

// The adapter paths of the contract suite (libs/event-store/src/*/…int.spec.ts).
const adapters: Adapter[] = [
  {
    name: 'embedded PGlite',
    open: async () => {
      embedded = await openEmbeddedPostgres('memory://');
      return PostgresEventStore.connect({ connectionString: embedded.connectionString, poolSize: 1, namedStatements: false });
    },
    cleanUp: async () => embedded?.stop(),
  },
  {
    name: 'PostgreSQL server',
    unavailable: postgres.unavailable,
    open: () => PostgresEventStore.connect({ connectionString: postgres.url!, schema }),
    cleanUp: () => dropSchema(postgres.url!, schema),
  },
  {
    name: 'EventStoreDB',
    unavailable: eventStoreDb.unavailable,
    open: () => EventStoreDbEventStore.connect({ connectionString: eventStoreDb.url! }),
    cleanUp: async () => undefined,
  },
];

/** Fixture streams get a run-specific suffix, so a shared EventStoreDB server can hold several runs. */
const run = Math.random().toString(36).slice(2, 8);
const streamOf = (fixture: Fixture) => `${fixture.streamId}${run}`;

async function wholeLog(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let after: LogCursor = LOG_START;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 100 });
    if (page.events.length === 0) return all;
    all.push(...page.events);
    after = page.next;
  }
}

async function subscribed(store: EventStore, count: number, ids: ReadonlySet<string>): Promise<RecordedEvent[]> {
  const seen: RecordedEvent[] = [];
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  const subscription = store.subscribeToAll({
    after: LOG_START,
    onEvents: async (events) => {
      seen.push(...events.filter((event) => ids.has(event.id)));
      if (seen.length >= count) done();
    },
  });
  await all;
  await subscription.stop();
  return seen;
}

/** The fixture commitment's status, and each fixture session's (by stream, without the run suffix). */
function fold(events: readonly RecordedEvent[]): { commitment: string; sessions: Record<string, string> } {
  let commitment = initialCommitmentState;
  const sessions = new Map<string, ReturnType<typeof evolveSession>>();
  for (const event of events) {
    const stream = event.streamId.slice(0, -run.length);
    if (stream.startsWith('session-'))
      sessions.set(stream, evolveSession(sessions.get(stream) ?? initialSessionState, event as unknown as SessionEvent));
    else commitment = evolveCommitment(commitment, event as unknown as CommitmentEvent);
  }
  return { commitment: commitment.status, sessions: Object.fromEntries([...sessions].map(([id, state]) => [id, state.status])) };
}

/** A made-up history of one type, for the mechanism alone: v1 `explanation` became `inWords`, then the type was renamed. */
const testOnlySchemas = new UpcasterRegistry([
  {
    type: 'CommitmentDropped',
    fromVersion: 1,
    upcast: ({ type, data: { explanation, ...rest } }) => ({ type, data: { ...rest, inWords: explanation } }),
  },
  { type: 'CommitmentDropped', fromVersion: 2, upcast: ({ data }) => ({ type: 'CommitmentAbandoned', data }) },
]);

describe('stored v1 events of every type', () => {
  let fixtures: Fixture[];
  beforeAll(async () => {
    fixtures = await loadFixtures();
  });

  it('has one fixture per event type', () => {
    expect(fixtures.map((fixture) => fixture.type).sort()).toEqual([...everyType].sort());
    expect(new Set(fixtures.map((fixture) => fixture.metadata.schemaVersion))).toEqual(new Set([1]));
  });

  describe.each(adapters)('$name', (adapter) => {
    const maybe = adapter.unavailable ? it.skip : it;
    if (adapter.unavailable) it.todo(`skipped: ${adapter.unavailable}`);
    let raw: EventStore;
    let ids: Set<string>;

    beforeAll(async () => {
      if (adapter.unavailable) return;
      raw = await adapter.open();
      fixtures = await loadFixtures();
      ids = new Set();
      for (const fixture of fixtures) {
        // Fresh event ids per run, so one EventStoreDB server can hold several runs.
        const id = randomUUID();
        ids.add(id);
        const { type, data, metadata } = fixture;
        await raw.append(
          streamOf(fixture),
          [{ id, type, data, metadata }],
          fixture.revision === 0 ? 'no_stream' : fixture.revision - 1,
        );
      }
    });
    afterAll(async () => {
      if (adapter.unavailable) return;
      await raw.close();
      await adapter.cleanUp();
    });

    maybe('read by stream, each folds into the current state and reads at its current version', async () => {
      const store = upcastingEventStore(raw, eventSchemas);
      const streams = [...new Set(fixtures.map(streamOf))];
      const read = (await Promise.all(streams.map((stream) => store.readStream(stream)))).flat();
      expect(read.map((event) => event.type)).toEqual(fixtures.map((fixture) => fixture.type));
      for (const event of read) expect(event.metadata.schemaVersion).toBe(eventSchemas.currentVersion(event.type));
      // No upcaster yet: a v1 event reads as stored.
      expect(read.map((event) => event.data)).toEqual(fixtures.map((fixture) => fixture.data));
      expect(fold(read)).toEqual({
        commitment: 'superseded',
        sessions: { 'session-fixture-s1': 'recorded', 'session-fixture-s2': 'cancelled' },
      });
    });

    maybe('read from the log and from a subscription, every projection applies them all', async () => {
      const store = upcastingEventStore(raw, eventSchemas);
      const log = (await wholeLog(store)).filter((event) => ids.has(event.id));
      expect(log.map((event) => event.type)).toEqual(fixtures.map((fixture) => fixture.type));
      expect((await subscribed(store, fixtures.length, ids)).map((event) => event.id)).toEqual(log.map((event) => event.id));

      const database = await openReadModelDatabase(readModelMigrations);
      try {
        const onlyFixtures: EventStore = {
          ...store,
          readAll: async (options) => {
            const page = await store.readAll(options);
            return { ...page, events: page.events.filter((event) => ids.has(event.id)) };
          },
        };
        for (const projection of projections) {
          const runner = new ProjectionRunner(database.dataSource, onlyFixtures, projection);
          await runner.catchUp();
          expect(await runner.checkpoint()).toBe((await wholeLog(raw)).at(-1)!.position);
        }
        const [row] = await database.sql<{ status: string }>('select status from commitments where commitment_id = $1', [
          'fixture-c1',
        ]);
        expect(row?.status).toBe('superseded');
      } finally {
        await database.close();
      }
    });

    maybe('a chain of upcasters (test-only) is applied on every read path, and a current event is left alone', async () => {
      const store = upcastingEventStore(raw, testOnlySchemas);
      const dropped = fixtures.find((fixture) => fixture.type === 'CommitmentDropped')!;
      const expected = {
        type: 'CommitmentAbandoned',
        data: { reason: 'replaced', inWords: 'Folded into the ratification vote', evidence: [] },
      };
      const byStream = (await store.readStream(streamOf(dropped))).find((event) => event.revision === dropped.revision)!;
      const byLog = (await wholeLog(store)).find(
        (event) => event.streamId === streamOf(dropped) && event.revision === dropped.revision,
      )!;
      const bySubscription = (await subscribed(store, fixtures.length, ids)).find(
        (event) => event.streamId === streamOf(dropped) && event.revision === dropped.revision,
      )!;
      for (const event of [byStream, byLog, bySubscription]) {
        expect({ type: event.type, data: event.data }).toEqual(expected);
        expect(event.metadata.schemaVersion).toBe(3);
      }
      expect(testOnlySchemas.currentVersion('CommitmentDropped')).toBe(3);
      // Other types have no chain; a stored event is never rewritten.
      expect((await store.readStream(streamOf(fixtures[0]!)))[0]!.data).toEqual(fixtures[0]!.data);
      expect((await raw.readStream(streamOf(dropped))).find((event) => event.revision === dropped.revision)!.data).toEqual(
        dropped.data,
      );
    });
  });
});

describe('the upcaster registry', () => {
  it('refuses two upcasters for one version of one type', () => {
    const upcast = (event: { type: string; data: Readonly<Record<string, unknown>> }) => event;
    expect(
      () =>
        new UpcasterRegistry([
          { type: 'CommitmentMade', fromVersion: 1, upcast },
          { type: 'CommitmentMade', fromVersion: 1, upcast },
        ]),
    ).toThrow('Two upcasters for CommitmentMade v1');
  });
});
