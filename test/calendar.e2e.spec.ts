import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const NOW = '2021-09-01T12:00:00.000Z';
const clock = { now: () => new Date(NOW) };
const day = (date: string) => `${date}T00:00:00Z`;

interface Shown {
  uid: string;
  start: string;
  end: string;
  sequence: number;
  summary: string;
  categories: string[];
}

describe('the target calendar: windows as multi-day events, SEQUENCE per re-target, overdue marked, per team and followed set', () => {
  let api: TestApp;
  let editor: string;
  let position = '';
  const teamA = `Calendar A ${run}`;
  const teamB = `Calendar B ${run}`;
  const session = id('oh-2020');
  const later = id('oh-2021');
  const [window, moved, overdue, byDay, other] = ['window', 'moved', 'overdue', 'by-day', 'other'].map(id) as [
    string,
    string,
    string,
    string,
    string,
  ];

  const post = async (path: string, body: object) => {
    const response = await api.http.post(path).set(bearer(editor)).send(body);
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    position = response.body.position;
  };
  const make = (cid: string, target: object, team = teamA, topics = ['UCoC']) =>
    post('/commitments', {
      id: cid,
      sessionId: session,
      speaker: { name: 'Speaker', role: null },
      ownerTeam: team,
      topics,
      summary: `Summary of ${cid}`,
      quote: 'We will.',
      target,
      strength: 'plan',
    });
  /** The calendar's events, parsed back with ical.js. */
  const calendar = async (query: Record<string, string | string[]>): Promise<Shown[]> => {
    // Read-your-writes: the window and its SEQUENCE come from two read models, both waited for.
    const response = await api.http
      .get('/feeds/targets.ics')
      .query({ ...query, minPosition: position })
      .expect(200)
      .expect('Content-Type', /text\/calendar/);
    return new ICAL.Component(ICAL.parse(response.text)).getAllSubcomponents('vevent').map((vevent) => {
      const event = new ICAL.Event(vevent);
      return {
        uid: event.uid,
        start: event.startDate.toString(),
        end: event.endDate.toString(),
        sequence: event.sequence,
        summary: event.summary,
        categories: vevent.getAllProperties('categories').flatMap((property) => property.getValues() as string[]),
      };
    });
  };
  const one = async (cid: string) => (await calendar({ commitment: cid }))[0]!;

  beforeAll(async () => {
    api = await startTestApp({}, { clock });
    editor = await api.token('ana', 'editor');
    for (const [sid, date] of [
      [session, '2020-12-10'],
      [later, '2021-06-10'],
    ] as const) {
      await post('/sessions', {
        id: sid,
        date,
        title: `Office hours ${date}`,
        kind: 'office_hour',
        hosts: [{ name: 'Host' }],
        sourceUrl: 'https://meta.wikimedia.org/wiki/Office_hours',
      });
    }
    await make(window, { asSaid: 'September or October 2021', earliestDate: '2021-09-01', latestDate: '2021-10-31' });
    await make(moved, { asSaid: 'January or February 2021', earliestDate: '2021-01-01', latestDate: '2021-02-28' });
    await post(`/commitments/${moved}/retarget`, {
      newTarget: { asSaid: 'by the end of June', latestDate: '2021-06-30' },
      reason: 'Translations',
      occurredAt: day('2021-02-20'),
    });
    await post(`/commitments/${moved}/revisits`, {
      sessionId: later,
      statement: 'Now in the autumn',
      newTarget: { asSaid: 'October or November 2021', earliestDate: '2021-10-01', latestDate: '2021-11-30' },
    });
    // Progress is no re-target: the sequence stays.
    await post(`/commitments/${moved}/progress`, { note: 'Drafting', occurredAt: day('2021-07-01') });
    await make(overdue, { asSaid: 'by June', latestDate: '2021-06-30' }, teamB, ['Elections']);
    await make(byDay, { asSaid: 'on 15 December', earliestDate: '2021-12-15', latestDate: '2021-12-15' }, teamB, ['Elections']);
    await make(other, { asSaid: 'by 2022', latestDate: '2022-12-31' }, teamB, ['Budget']);
  }, 90_000);

  afterAll(async () => {
    await api?.close();
  });

  it('draws a target window from its first day to the day after its last; a target named by its last day alone is that day', async () => {
    expect(await one(window)).toMatchObject({
      start: '2021-09-01',
      end: '2021-11-01',
      sequence: 0,
      summary: `Due: Summary of ${window}`,
    });
    expect(await one(byDay)).toMatchObject({ start: '2021-12-15', end: '2021-12-16' });
    expect(await one(overdue)).toMatchObject({ start: '2021-06-30', end: '2021-07-01' });
  });

  it('counts each re-target in SEQUENCE, a revisit with a new target too, and follows the window', async () => {
    expect(await one(moved)).toMatchObject({ start: '2021-10-01', end: '2021-12-01', sequence: 2 });
    await post(`/commitments/${moved}/retarget`, {
      newTarget: { asSaid: 'by the end of the year', latestDate: '2021-12-31' },
      reason: 'Consultation',
      occurredAt: day('2021-08-15'),
    });
    expect(await one(moved)).toMatchObject({ start: '2021-12-31', end: '2022-01-01', sequence: 3 });
  });

  it('marks an overdue one in its title and category, and only it', async () => {
    expect(await one(overdue)).toMatchObject({ summary: `Overdue: Summary of ${overdue}`, categories: ['Overdue'] });
    expect((await one(window)).categories).toEqual(['Open']);
  });

  it('gives a calendar per team, and per followed set of commitments, teams and topics', async () => {
    const uids = async (query: Record<string, string | string[]>) =>
      (await calendar(query)).map((event) => event.uid.split('@')[0]).sort();
    expect(await uids({ team: teamA })).toEqual([moved, window].sort());
    expect(await uids({ team: teamB.toUpperCase() })).toEqual([overdue, byDay, other].sort());
    expect(await uids({ commitment: [window, other] })).toEqual([window, other].sort());
    // A set: any of what is listed.
    expect(await uids({ commitment: window, topic: 'elections' })).toEqual([window, overdue, byDay].sort());
    expect(await uids({ team: [teamA, teamB] })).toEqual([moved, window, overdue, byDay, other].sort());
  });

  it('refuses a set that is not well formed, naming the field', async () => {
    const refused = async (query: Record<string, string | string[]>, field: string) => {
      const { body } = await api.http.get('/feeds/targets.ics').query(query).expect(400);
      expect(body.errors.map((error: { field: string }) => error.field.replace(/\[\d+\]$/, ''))).toContain(field);
    };
    await refused({ commitment: 'Not An Id' }, 'commitment');
    await refused({ commitment: Array.from({ length: 101 }, (_, i) => `c-${i}`) }, 'commitment');
    await refused({ team: 'x'.repeat(201) }, 'team');
    await refused({ topic: Array.from({ length: 21 }, (_, i) => `t-${i}`) }, 'topic');
    await refused({ owner: teamA }, 'owner');
  });
});
