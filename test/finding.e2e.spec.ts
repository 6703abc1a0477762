import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './support/test-app.js';

const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

interface Option {
  value: string;
  count: number;
  selected: boolean;
}

// Finding things and looking back, through the public JSON.
describe('finding commitments and looking back', () => {
  let api: TestApp;
  const earlier = id('oh-2020');
  const later = id('ch-2022');
  const elections = id('elections');
  const enforcement = id('enforcement');
  const pilot = id('pilot');
  const safety = `Trust & Safety ${run}`;
  const ucoc = `UCoC ${run}`;
  let lastPosition: string;

  beforeAll(async () => {
    api = await startTestApp();
    const editor = await api.token('ana', 'editor');
    const post = async (path: string, body: object) => {
      const response = await api.http.post(path).set(bearer(editor)).send(body);
      if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      lastPosition = response.body.position;
    };
    const session = (sid: string, date: string, title: string) => ({
      id: sid,
      date,
      title,
      kind: 'office_hour',
      hosts: [{ name: 'Maggie Dennis', role: null }],
      sourceUrl: `https://meta.wikimedia.org/wiki/${sid}`,
    });
    const commitment = (cid: string, sid: string, summary: string, ownerTeam: string, topic: string) => ({
      id: cid,
      sessionId: sid,
      speaker: { name: 'Patrick', role: null },
      ownerTeam,
      topics: [topic],
      summary,
      quote: 'We will see.',
      target: null,
      strength: 'plan',
    });
    await post('/sessions', session(earlier, '2020-12-10', `Office hours ${run}`));
    await post('/sessions', session(later, '2022-08-18', `Conversation hour ${run}`));
    await post(
      '/commitments',
      commitment(elections, earlier, 'Hold the board elections', `Elections Committee ${run}`, `Elections ${run}`),
    );
    await post('/commitments', commitment(enforcement, earlier, 'Publish the Enforcement guidelines', safety, ucoc));
    await post(`/commitments/${enforcement}/progress`, {
      note: 'The guidelines were ratified by the board',
      occurredAt: '2021-03-01T00:00:00Z',
    });
    await post(`/commitments/${enforcement}/revisits`, { sessionId: later, statement: 'Training for functionaries starts soon' });
    await post('/commitments', commitment(pilot, later, 'Run a pilot', safety, ucoc));
    await post(`/commitments/${pilot}/drop`, { reason: 'deprioritised', explanation: 'No budget this year' });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  const list = async (query: Record<string, unknown>) =>
    (
      await api.http
        .get('/commitments')
        .query({ minPosition: lastPosition, ...query })
        .expect(200)
    ).body as {
      items: { id: string; status: string }[];
      total: number;
      facets: Record<'status' | 'owner' | 'topic' | 'session', Option[]>;
      unknown: { field: string; value: string; message: string }[];
      asOf?: { date: string; clock: string };
    };
  const ids = (answer: { items: { id: string }[] }) => answer.items.map((item) => item.id).sort();
  const ours = (options: Option[]) => options.filter((option) => option.value.includes(run));

  it('searches with stemming and prefixes, over the summary and the history alike', async () => {
    expect(ids(await list({ q: `election ${run}` }))).toEqual([elections]);
    // No word of the run is needed when the filter scopes it.
    expect(ids(await list({ q: 'election', topic: `Elections ${run}` }))).toEqual([elections]);
    expect(ids(await list({ q: 'enforce', owner: safety }))).toEqual([enforcement]);
    // A progress note, a revisit statement and a drop explanation are found too.
    expect(ids(await list({ q: 'ratif', owner: safety }))).toEqual([enforcement]);
    expect(ids(await list({ q: 'functionary training', owner: safety }))).toEqual([enforcement]);
    expect(ids(await list({ q: 'budgets', owner: safety }))).toEqual([pilot]);
    expect(ids(await list({ q: 'ratif budget', owner: safety }))).toEqual([]);
  });

  it('never breaks on what a reader types', async () => {
    const typed = [
      `'`,
      `"`,
      '&',
      '|',
      '!',
      ':',
      '(',
      ')',
      '\\',
      ':*',
      '!!!',
      'a & | b',
      `ratif'):* | !(`,
      '\\\\ratif',
      '<->',
      'ratif:A',
      '()',
      `"enforce`,
    ];
    for (const q of typed) {
      const response = await api.http.get('/commitments').query({ q, owner: safety, minPosition: lastPosition });
      expect({ q, status: response.status }).toEqual({ q, status: 200 });
    }
    // Operators are separators, so the words around them still count.
    expect(ids(await list({ q: `ratif'):* | !(`, owner: safety }))).toEqual([enforcement]);
    // Only stop words or signs: no words to look for, so no filter.
    expect(ids(await list({ q: 'the !!!', owner: safety }))).toEqual([enforcement, pilot]);
  });

  it('filters by several statuses at once, in any case, and by a session made or revisited in', async () => {
    expect(ids(await list({ owner: safety, status: ['in_progress', 'dropped'] }))).toEqual([enforcement, pilot]);
    expect(ids(await list({ owner: safety, status: 'DROPPED' }))).toEqual([pilot]);
    expect(ids(await list({ owner: safety, status: 'in_progress,dropped' }))).toEqual([enforcement, pilot]);
    expect(ids(await list({ owner: safety.toLowerCase() }))).toEqual([enforcement, pilot]);
    expect(ids(await list({ topic: ucoc.toUpperCase() }))).toEqual([enforcement, pilot]);
    expect(ids(await list({ session: later }))).toEqual([enforcement, pilot]);
    expect(ids(await list({ session: later.toUpperCase() }))).toEqual([enforcement, pilot]);
    const refused = await api.http
      .get('/commitments')
      .query({ status: ['announced', 'kept'] })
      .expect(400);
    expect(JSON.stringify(refused.body)).toContain('status');
  });

  it('lists each filter’s values with counts that respect the other filters', async () => {
    const all = await list({ q: run });
    expect(ours(all.facets.owner)).toEqual([
      { value: safety, count: 2, selected: false },
      { value: `Elections Committee ${run}`, count: 1, selected: false },
    ]);
    const safe = await list({ q: run, owner: safety });
    // The owner facet ignores its own filter; the others count within it.
    expect(ours(safe.facets.owner)).toEqual([
      { value: safety, count: 2, selected: true },
      { value: `Elections Committee ${run}`, count: 1, selected: false },
    ]);
    expect(ours(safe.facets.topic)).toEqual([{ value: ucoc, count: 2, selected: false }]);
    expect(ours(safe.facets.session)).toEqual([
      { value: later, count: 2, selected: false },
      { value: earlier, count: 1, selected: false },
    ]);
    expect(safe.facets.status.map((option) => option.value)).toEqual([
      'announced',
      'in_progress',
      'delivered',
      'partially_delivered',
      'dropped',
      'superseded',
      'split',
    ]);
    const dropped = await list({ owner: safety, status: 'dropped' });
    expect(dropped.facets.status.find((option) => option.value === 'in_progress')).toEqual({
      value: 'in_progress',
      count: 1,
      selected: false,
    });
    expect(dropped.facets.status.find((option) => option.value === 'dropped')).toEqual({
      value: 'dropped',
      count: 1,
      selected: true,
    });
    expect(ours(dropped.facets.session)).toEqual([{ value: later, count: 1, selected: false }]);
  });

  it('says so when a filter names a value nobody has, listing the values there are', async () => {
    const answer = await list({ owner: 'Foo', q: run });
    expect(answer.total).toBe(0);
    expect(answer.unknown).toHaveLength(1);
    expect(answer.unknown[0]).toMatchObject({ field: 'owner', value: 'Foo' });
    expect(answer.unknown[0]!.message).toMatch(/^No team called 'Foo'; teams are: .+\.$/);
    expect(answer.unknown[0]!.message).toContain(safety);
    const topic = await list({ topic: 'Nothing here' });
    expect(topic.unknown[0]!.message).toMatch(/^No topic called 'Nothing here'; topics are: /);
    // Known but filtered out by another filter is not unknown: it is 0 found.
    expect((await list({ owner: `Elections Committee ${run}`, topic: ucoc })).unknown).toEqual([]);
  });

  it('lists commitments as of a past day: what was true then by default, or what the tracker showed', async () => {
    const then = await list({ asOf: '2021-06-30', owner: safety });
    expect(then.asOf).toEqual({ date: '2021-06-30', clock: 'occurred' });
    expect(ids(then)).toEqual([enforcement]);
    expect(then.items[0]!.status).toBe('in_progress');
    expect(ids(await list({ asOf: '2021-06-30', q: 'ratif', owner: safety }))).toEqual([enforcement]);
    expect(ids(await list({ asOf: '2021-02-01', q: 'ratif', owner: safety }))).toEqual([]);
    // Equal counts by name.
    expect(ours((await list({ asOf: '2021-06-30', q: run })).facets.owner)).toEqual([
      { value: `Elections Committee ${run}`, count: 1, selected: false },
      { value: safety, count: 1, selected: false },
    ]);
    // The tracker learned of all of it today: yesterday it showed none of it.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(ids(await list({ asOf: yesterday, clock: 'recorded', owner: safety }))).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    const now = await list({ asOf: today, owner: safety });
    expect(now.items.find((item) => item.id === pilot)?.status).toBe('dropped');
  });

  it('shows a session’s record as of a past day, and says in words when it had not happened yet', async () => {
    const notYet = await api.http.get(`/sessions/${later}`).query({ asOf: '2021-06-30', minPosition: lastPosition }).expect(404);
    expect(notYet.body.message).toBe('This session had not happened by 2021-06-30: it took place on 2022-08-18.');
    const earlierThen = await api.http
      .get(`/sessions/${earlier}`)
      .query({ asOf: '2021-06-30', minPosition: lastPosition })
      .expect(200);
    expect(earlierThen.body.asOf).toEqual({ date: '2021-06-30', clock: 'occurred' });
    expect(earlierThen.body.made.map((entry: { commitment: { id: string } }) => entry.commitment.id).sort()).toEqual(
      [elections, enforcement].sort(),
    );
    const laterNow = await api.http
      .get(`/sessions/${later}`)
      .query({ asOf: new Date().toISOString().slice(0, 10) })
      .expect(200);
    expect(laterNow.body.revisited.map((entry: { commitment: { id: string } }) => entry.commitment.id)).toEqual([enforcement]);
    expect(laterNow.body.made.map((entry: { outcome: string }) => entry.outcome)).toEqual(['dropped']);
  });

  it('a commitment and the dashboard look back by what was true then unless told otherwise, in words', async () => {
    const before = await api.http.get(`/commitments/${enforcement}`).query({ asOf: '2020-01-01' }).expect(404);
    expect(before.body.message).toBe('This commitment had not been made by 2020-01-01: it was made on 2020-12-10.');
    const recorded = await api.http
      .get(`/commitments/${enforcement}`)
      .query({ asOf: '2021-06-30', clock: 'recorded' })
      .expect(404);
    expect(recorded.body.message).toMatch(
      /^The tracker had not yet learned of this commitment by 2021-06-30: it was first recorded on \d{4}-\d\d-\d\d\.$/,
    );
    const commitment = await api.http.get(`/commitments/${enforcement}`).query({ asOf: '2021-06-30' }).expect(200);
    expect(commitment.body.asOf).toEqual({ date: '2021-06-30', clock: 'occurred' });
    const dashboard = await api.http.get('/dashboard').query({ asOf: '2021-06-30', minPosition: lastPosition }).expect(200);
    expect(dashboard.body.asOf).toMatchObject({ date: '2021-06-30', clock: 'occurred' });
    expect(dashboard.body.openByOwnerTeam).toContainEqual({ name: safety, open: 1 });
  });
});
