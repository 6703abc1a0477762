import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './support/test-app.js';

// The database is shared between test files: figures are checked for this run's own teams and topics.
const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const teamA = `Dashboard team A ${run}`;
const teamB = `Dashboard team B ${run}`;
const topicOne = `Dashboard topic 1 ${run}`;
const topicTwo = `Dashboard topic 2 ${run}`;

interface Named {
  name: string;
  open: number;
}
interface DashboardBody {
  today: string;
  asOf: { date: string; clock: string; includesLaterEvents: number } | null;
  totals: { all: number; open: number; closed: number; byStatus: Record<string, number> };
  openByOwnerTeam: Named[];
  openByTopic: Named[];
  overdue: { count: number; mostOverdue: { id: string; targetLatestDate: string; daysOverdue: number }[] };
  upcoming: { within30Days: number; within90Days: number; nextDue: { id: string; targetLatestDate: string; daysLeft: number }[] };
  overTime: { month: string; open: number; closed: number }[];
}

const DAY_MS = 86_400_000;
const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
const ours = (counts: Named[], ...names: string[]) => counts.filter((count) => names.includes(count.name));

describe('dashboard', () => {
  let api: TestApp;
  let editor: string;
  let lastPosition: string;
  let today: string;
  const session2020 = id('dash-oh-2020');
  const session2022 = id('dash-ch-2022');
  const overdue = id('dash-overdue');
  const delivered = id('dash-delivered');
  const later = id('dash-later');
  const soon = id('dash-soon');

  beforeAll(async () => {
    api = await startTestApp();
    editor = await api.token('dana', 'editor');
    today = new Date().toISOString().slice(0, 10);
    const post = async (path: string, body: object) => {
      const response = await api.http.post(path).set(bearer(editor)).send(body);
      if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      lastPosition = response.body.position;
      return response.body;
    };
    const session = (sid: string, date: string) => ({
      id: sid,
      date,
      title: `Office hours ${date} ${run}`,
      kind: 'office_hour',
      hosts: [{ name: 'Maggie Dennis', role: 'VP' }],
      sourceUrl: `https://meta.wikimedia.org/wiki/Office_hours_${date}`,
    });
    await post('/sessions', session(session2020, '2020-12-10'));
    await post('/sessions', session(session2022, '2022-08-18'));
    const commitment = (cid: string, sid: string, ownerTeam: string, topics: string[], latestDate: string) => ({
      id: cid,
      sessionId: sid,
      speaker: { name: 'Patrick', role: 'T&S' },
      ownerTeam,
      topics,
      summary: `Dashboard ${cid}`,
      quote: 'We will.',
      target: { asSaid: `by ${latestDate}`, latestDate },
      strength: 'plan',
    });
    await post('/commitments', commitment(overdue, session2020, teamA, [topicOne], '2021-02-28'));
    await post('/commitments', commitment(delivered, session2020, teamA, [topicOne, topicTwo], '2021-03-31'));
    await post('/commitments', commitment(later, session2022, teamB, [topicTwo], '2099-01-31'));
    await post('/commitments', commitment(soon, session2022, teamA, [topicOne], addDays(today, 10)));
    // Delivered in March 2021; the tracker learns it only now.
    await post(`/commitments/${delivered}/delivery`, {
      completeness: 'full',
      note: 'Shipped',
      occurredAt: '2021-03-15T12:00:00Z',
    });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  const dashboard = async (query: object = {}) =>
    (await api.http.get('/dashboard').query(query).expect(200)) as { body: DashboardBody; headers: Record<string, string> };

  it('counts open commitments by owner team and topic, with overdue and upcoming derived from today', async () => {
    const { body, headers } = await dashboard({ minPosition: lastPosition });
    expect(headers['cache-control']).toBe('no-store');
    expect(body.today).toBe(today);
    expect(body.asOf).toBeNull();
    expect(ours(body.openByOwnerTeam, teamA, teamB)).toEqual([
      { name: teamA, open: 2 },
      { name: teamB, open: 1 },
    ]);
    expect(ours(body.openByTopic, topicOne, topicTwo)).toEqual([
      { name: topicOne, open: 2 },
      { name: topicTwo, open: 1 },
    ]);

    // One snapshot: the parts agree with each other whatever else the shared database holds.
    const { totals } = body;
    expect(totals.open + totals.closed).toBe(totals.all);
    expect(Object.values(totals.byStatus).reduce((sum, count) => sum + count, 0)).toBe(totals.all);
    expect(totals.all).toBeGreaterThanOrEqual(4);
    expect(body.openByOwnerTeam.reduce((sum, team) => sum + team.open, 0)).toBe(totals.open);
    expect(body.overTime.at(-1)).toEqual({ month: today.slice(0, 7), open: totals.open, closed: totals.closed });
    expect(body.overdue.count).toBeGreaterThanOrEqual(1);
    expect(body.overdue.mostOverdue.length).toBe(Math.min(10, body.overdue.count));
    for (const item of body.overdue.mostOverdue) expect(item.daysOverdue).toBe(daysBetween(item.targetLatestDate, today));
    const days = body.overdue.mostOverdue.map((item) => item.daysOverdue);
    expect(days).toEqual([...days].sort((a, b) => b - a));
    expect(body.upcoming.within30Days).toBeGreaterThanOrEqual(1);
    expect(body.upcoming.within90Days).toBeGreaterThanOrEqual(body.upcoming.within30Days);
    for (const item of body.upcoming.nextDue) expect(item.daysLeft).toBe(daysBetween(today, item.targetLatestDate));
  });

  it('as of a past day by occurred time counts the backdated delivery; by recorded time the tracker knew nothing yet', async () => {
    // Between the delivery (2021-03-15) and the 2022 session.
    const occurred = await dashboard({ asOf: '2021-06-30', clock: 'occurred', minPosition: lastPosition });
    expect(occurred.headers['cache-control']).toBe('no-store');
    expect(occurred.body).toMatchObject({ today: '2021-06-30', asOf: { date: '2021-06-30', clock: 'occurred' } });
    // Made in 2020: the overdue one open, the delivered one closed; the 2022 ones not yet made.
    expect(ours(occurred.body.openByOwnerTeam, teamA, teamB)).toEqual([{ name: teamA, open: 1 }]);
    expect(ours(occurred.body.openByTopic, topicOne, topicTwo)).toEqual([{ name: topicOne, open: 1 }]);

    const recorded = await dashboard({ asOf: '2021-06-30', clock: 'recorded', minPosition: lastPosition });
    expect(recorded.body.asOf).toMatchObject({ date: '2021-06-30', clock: 'recorded', includesLaterEvents: 0 });
    expect(ours(recorded.body.openByOwnerTeam, teamA, teamB)).toEqual([]);

    // Yesterday, by recorded time, the tracker held none of it; by occurred time all four, the delivery counted.
    const yesterday = addDays(today, -1);
    const beforeRecorded = await dashboard({ asOf: yesterday, clock: 'recorded', minPosition: lastPosition });
    expect(ours(beforeRecorded.body.openByTopic, topicOne, topicTwo)).toEqual([]);
    const byOccurredYesterday = await dashboard({ asOf: yesterday, clock: 'occurred', minPosition: lastPosition });
    expect(ours(byOccurredYesterday.body.openByOwnerTeam, teamA, teamB)).toEqual([
      { name: teamA, open: 2 },
      { name: teamB, open: 1 },
    ]);

    // As of today, by what was true then (the default clock now): what the live dashboard shows.
    const now = await dashboard({ asOf: today, minPosition: lastPosition });
    expect(now.body.asOf).toMatchObject({ date: today, clock: 'occurred', includesLaterEvents: 0 });
    expect(ours(now.body.openByOwnerTeam, teamA, teamB)).toEqual([
      { name: teamA, open: 2 },
      { name: teamB, open: 1 },
    ]);
    expect(ours(now.body.openByTopic, topicOne, topicTwo)).toEqual([
      { name: topicOne, open: 2 },
      { name: topicTwo, open: 1 },
    ]);
  });

  it('refuses a day after today, an unknown clock and unknown parameters', async () => {
    const future = await api.http
      .get('/dashboard')
      .query({ asOf: addDays(today, 2) })
      .expect(400);
    expect(future.body.errors).toEqual([{ field: 'asOf', reason: expect.stringContaining('must not be after today') }]);
    await api.http.get('/dashboard').query({ asOf: '2021-02-30' }).expect(400);
    await api.http.get('/dashboard').query({ asOf: '2021-06-30', clock: 'wall' }).expect(400);
    await api.http.get('/dashboard').query({ team: 'x' }).expect(400);
  });

  it('is documented in the OpenAPI document', async () => {
    const { body: document } = await api.http.get('/api/openapi.json').expect(200);
    const operation = document.paths['/dashboard'].get;
    expect(operation.parameters.map((parameter: { name: string }) => parameter.name).sort()).toEqual([
      'asOf',
      'clock',
      'minPosition',
    ]);
    expect(operation.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/DashboardDto' });
    expect(Object.keys(document.components.schemas.DashboardDto.properties)).toEqual([
      'today',
      'asOf',
      'totals',
      'flags',
      'openByOwnerTeam',
      'byTeam',
      'openByTopic',
      'overdue',
      'upcoming',
      'delivery',
      'slips',
      'overTime',
      'recentlyChanged',
    ]);
  });
});
