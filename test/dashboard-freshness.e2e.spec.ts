import { randomUUID } from 'node:crypto';
import type { LogPosition } from '#event-store';
import { ProjectionPositions } from '#projector';
import { startTestApp, type TestApp } from './support/test-app.js';

// The database is shared between test files: the figures checked are this run's own team's.
const run = randomUUID().slice(0, 8);
const team = `Freshness team ${run}`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

interface DashboardBody {
  openByOwnerTeam: { name: string; open: number }[];
}

describe('the dashboard after a quiet spell', () => {
  let api: TestApp;
  let editor: string;
  /** The api's clock, moved on by the test: the dashboard keeps its answers by it. */
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs) };

  beforeAll(async () => {
    api = await startTestApp({}, { clock });
    editor = await api.token('fresh', 'editor');
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  const post = async (path: string, body: object) => {
    const response = await api.http.post(path).set(bearer(editor)).send(body);
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { position: LogPosition };
  };
  const commitment = (id: string, sessionId: string) => ({
    id,
    sessionId,
    speaker: { name: 'Patrick', role: 'T&S' },
    ownerTeam: team,
    topics: [`Freshness ${run}`],
    summary: `Freshness ${id}`,
    quote: 'We will.',
    target: { asSaid: 'by 2099', latestDate: '2099-01-31' },
    strength: 'plan',
  });
  const projected = async (position: LogPosition) =>
    expect(await api.app.get(ProjectionPositions).waitFor('commitments', position, 10_000)).toBe(true);
  const openForTeam = async () => {
    const { body } = (await api.http.get('/dashboard').expect(200)) as { body: DashboardBody };
    return body.openByOwnerTeam.find((count) => count.name === team)?.open ?? 0;
  };

  it('answers with a change projected since its last answer, however long the quiet spell', async () => {
    const sessionId = `freshness-${run}`;
    await post('/sessions', {
      id: sessionId,
      date: '2020-12-10',
      title: `Freshness ${run}`,
      kind: 'office_hour',
      hosts: [{ name: 'Maggie Dennis', role: 'VP' }],
      sourceUrl: `https://meta.wikimedia.org/wiki/${sessionId}`,
    });
    await projected((await post('/commitments', commitment(`freshness-one-${run}`, sessionId))).position);
    expect(await openForTeam()).toBe(1);

    // A quiet spell: a minute with no reads; meanwhile a change is made and projected.
    offsetMs += 60_000;
    await projected((await post('/commitments', commitment(`freshness-two-${run}`, sessionId))).position);
    offsetMs += 45_000;

    // The kept answer was computed before the change: it must not be served.
    expect(await openForTeam()).toBe(2);
  });

  it('within the freshness bound, without a position asked for, may answer from before a change, never longer', async () => {
    const sessionId = `freshness-bound-${run}`;
    await post('/sessions', {
      id: sessionId,
      date: '2020-12-10',
      title: `Freshness bound ${run}`,
      kind: 'office_hour',
      hosts: [{ name: 'Maggie Dennis', role: 'VP' }],
      sourceUrl: `https://meta.wikimedia.org/wiki/${sessionId}`,
    });
    const before = await openForTeam();
    await projected((await post('/commitments', commitment(`freshness-three-${run}`, sessionId))).position);
    // Past the 5 s bound the change is there at once, on the first read.
    offsetMs += 5_000;
    expect(await openForTeam()).toBe(before + 1);
  });
});
