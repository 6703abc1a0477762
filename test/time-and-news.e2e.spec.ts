import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { stringify as csvStringify } from 'csv-stringify/sync';
import { stringify } from 'yaml';
import { startTestApp, type TestApp } from './support/test-app.js';

const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const HTML = { Accept: 'text/html' };
// Today is 2021-09-01: with six months, news from 2021-03-01 on is recent.
const NOW = '2021-09-01T12:00:00.000Z';
const clock = { now: () => new Date(NOW) };
const day = (date: string) => `${date}T00:00:00Z`;

describe('target windows, news and staleness, honest figures', () => {
  let api: TestApp;
  let editor: string;
  const team = `Time ${run}`;
  const session = id('oh-2020');
  const smallSession = id('oh-2021');
  const [moved, dueNow, quiet, heard, kept, dropped, alone] = [
    'moved',
    'due-now',
    'quiet',
    'heard',
    'kept',
    'dropped',
    'alone',
  ].map(id) as [string, string, string, string, string, string, string];
  let position = '';

  const post = async (path: string, body: object) => {
    const response = await api.http.post(path).set(bearer(editor)).send(body);
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    position = response.body.position;
    return response.body;
  };
  const json = async (path: string, query: Record<string, string> = {}) =>
    (
      await api.http
        .get(path)
        .query({ minPosition: position, ...query })
        .expect(200)
    ).body;
  const page = async (path: string, query: Record<string, string> = {}) =>
    (
      await api.http
        .get(path)
        .query({ minPosition: position, ...query })
        .set(HTML)
        .expect(200)
    ).text;
  const commitment = (cid: string, sid: string, target: object | null) => ({
    id: cid,
    sessionId: sid,
    speaker: { name: 'Maggie Dennis', role: null },
    ownerTeam: team,
    topics: ['UCoC'],
    summary: `Summary of ${cid}`,
    quote: 'We are planning to start in January or February.',
    target,
    strength: 'plan',
  });

  beforeAll(async () => {
    api = await startTestApp({}, { clock });
    editor = await api.token('ana', 'editor');
    const sessionBody = (sid: string, date: string) => ({
      id: sid,
      date,
      title: `Office hours ${date}`,
      kind: 'office_hour',
      hosts: [{ name: 'Maggie Dennis' }],
      sourceUrl: 'https://meta.wikimedia.org/wiki/IRC_office_hours',
    });
    await post('/sessions', sessionBody(session, '2020-12-10'));
    await post('/sessions', sessionBody(smallSession, '2021-05-05'));

    const januaryOrFebruary = { asSaid: 'January or February 2021', earliestDate: '2021-01-01', latestDate: '2021-02-28' };
    await post('/commitments', commitment(moved, session, januaryOrFebruary));
    // Before 2021-02-28 had passed: an extension. After 2021-06-30 had passed: a late slip.
    await post(`/commitments/${moved}/retarget`, {
      newTarget: { asSaid: 'by the end of June', latestDate: '2021-06-30' },
      reason: 'Translations',
      occurredAt: day('2021-02-20'),
    });
    await post(`/commitments/${moved}/retarget`, {
      newTarget: { asSaid: 'by October', latestDate: '2021-10-31' },
      reason: 'More consultation',
      occurredAt: day('2021-08-01'),
    });
    await post(
      '/commitments',
      commitment(dueNow, session, { asSaid: 'August or September', earliestDate: '2021-08-01', latestDate: '2021-09-30' }),
    );
    await post('/commitments', commitment(quiet, session, null));
    await post(`/commitments/${quiet}/links`, { linkedTo: moved, relation: 'related' });
    await post('/commitments', commitment(heard, session, { asSaid: 'by June', latestDate: '2021-06-30' }));
    await post(`/commitments/${heard}/progress`, { note: 'Drafting', occurredAt: day('2021-03-01') });
    await post('/commitments', commitment(kept, session, { asSaid: 'February', latestDate: '2021-02-28' }));
    await post(`/commitments/${kept}/delivery`, { completeness: 'full', note: 'Done', occurredAt: day('2021-02-15') });
    await post('/commitments', commitment(dropped, session, null));
    await post(`/commitments/${dropped}/drop`, { reason: 'deprioritised', explanation: 'Budget', occurredAt: day('2021-04-01') });
    await post('/commitments', commitment(alone, smallSession, { asSaid: 'June', latestDate: '2021-06-30' }));
    await post(`/commitments/${alone}/delivery`, { completeness: 'full', note: 'Done', occurredAt: day('2021-06-01') });
  }, 90_000);

  afterAll(async () => {
    await api?.close();
  });

  it('answers a window, due and stale, and the day of the latest news in the JSON', async () => {
    expect(await json(`/commitments/${dueNow}`)).toMatchObject({
      target: { asSaid: 'August or September', earliestDate: '2021-08-01', latestDate: '2021-09-30' },
      due: true,
      overdue: false,
      stale: true,
      lastNewsOn: '2020-12-10',
    });
    // A link is bookkeeping: no news.
    const quietOne = await json(`/commitments/${quiet}`);
    expect(quietOne).toMatchObject({ stale: true, lastNewsOn: '2020-12-10', target: null });
    expect(quietOne.timeline.map((entry: { type: string; news: boolean }) => [entry.type, entry.news])).toEqual([
      ['CommitmentMade', true],
      ['CommitmentLinked', false],
    ]);
    // Progress on the first day that still counts as recent: not stale.
    expect(await json(`/commitments/${heard}`)).toMatchObject({ stale: false, overdue: true, lastNewsOn: '2021-03-01' });
  });

  it('tells an extension from a late slip, in the JSON and on the page', async () => {
    const body = await json(`/commitments/${moved}`);
    expect(body).toMatchObject({
      slipCount: 2,
      extensionCount: 1,
      lateSlipCount: 1,
      due: false,
      stale: false,
      lastNewsOn: '2021-08-01',
    });
    expect(body.timeline.map((entry: { slip: string | null }) => entry.slip)).toEqual([null, 'extension', 'late_slip']);
    const html = await page(`/commitments/${moved}`);
    expect(html).toContain('slipped 2 times: 1 extension (announced before the target passed), 1 late slip (announced after)');
    expect(html).toContain('<strong>Extension</strong>: an extension, announced before the old target had passed.');
    expect(html).toContain('<strong>Late slip</strong>: a late slip, announced after the old target had passed.');
  });

  it('says the window, the status words and the news in words on the commitment page; history by when it happened', async () => {
    const html = await page(`/commitments/${dueNow}`);
    expect(html).toContain(
      'August or September (<time datetime="2021-08-01">1 Aug</time> – <time datetime="2021-09-30">30 Sep 2021</time>) · due now',
    );
    expect(html).toContain(
      '<span class="status status-announced">Announced</span> <span class="status status-due">Due</span> <span class="status status-stale">Stale</span>',
    );
    expect(html).toContain('Announced 2020-12-10 · no news since then: stale, no news for longer than 6 months');

    const heardPage = await page(`/commitments/${heard}`);
    expect(heardPage).toContain('Announced 2020-12-10 · no news since 2021-03-01');
    // Happened 2021-03-01, learned on 2021-09-01: the recorded day is shown because it differs.
    expect(heardPage).toContain('· the tracker learned of this on <time datetime="2021-09-01T12:00:00.000Z">2021-09-01</time>');

    const quietPage = await page(`/commitments/${quiet}`);
    expect(quietPage).toMatch(/<li class="bookkeeping"><p><span class="meta">Bookkeeping:<\/span> Linked \(related\) to /);
  });

  it('filters stale commitments in the API and on the list page, from the configured period', async () => {
    const ids = async (query: Record<string, string>) =>
      ((await json('/commitments', { owner: team, ...query })).items as { id: string }[]).map((item) => item.id).sort();
    expect(await ids({ stale: 'true' })).toEqual([dueNow, quiet].sort());
    expect(await ids({ stale: 'false' })).toEqual([moved, heard, kept, dropped, alone].sort());
    const html = await page('/commitments', { owner: team, stale: 'true' });
    expect(html).toContain('2 found.');
    expect(html).toContain('Stale: open, and no news since before 2021-03-01.');
    expect(html).toContain('<input id="stale" name="stale" type="checkbox" value="true" checked>');
    expect(html).toContain('<span class="status status-stale">Stale</span>');
    expect(html).toContain('Announced 2020-12-10 · no news since then');
    await api.http.get('/commitments').query({ stale: 'sometimes' }).expect(400);
  });

  it('scores a session: what was promised there, each out of all, in its JSON, on its page and in its wikitext', async () => {
    const record = await json(`/sessions/${session}`);
    expect(record.scorecard).toEqual({
      promised: 6,
      delivered: 1,
      partiallyDelivered: 0,
      deliveredOnTime: 1,
      inProgress: 1,
      stillAnnounced: 3,
      stale: 2,
      overdue: 1,
      dropped: 1,
      superseded: 0,
      minimumSample: 5,
      deliveryRate: 0.1667,
    });
    const html = await page(`/sessions/${session}`);
    expect(html).toContain('<li>1 of 6 delivered (17%)</li>');
    expect(html).toContain('<li>2 of 6 stale (open, no news for longer than 6 months)</li>');
    expect(html).toContain('<li>3 of 6 still only announced</li>');
    expect(html).toContain('<li>1 of 6 in progress</li>');
    // The same status words as the list, not "Open".
    expect(html).toContain(
      '<span class="status status-in_progress">In progress</span> <span class="status status-overdue">Overdue</span>',
    );
    expect(html).not.toContain('status status-open');
    const wikitext = (await api.http.get(`/exports/sessions/${session}/wikitext`).expect(200)).text;
    expect(wikitext).toContain('=== Scorecard ===\n* 1 of 6 delivered (17%)\n* 1 of 6 delivered on time\n');
    expect(wikitext).toContain('|| <nowiki>August or September (1 Aug – 30 Sep 2021)</nowiki> || Announced, due, stale');
  });

  it('says "too few to rate" under the minimum sample, never 100%', async () => {
    const record = await json(`/sessions/${smallSession}`);
    expect(record.scorecard).toMatchObject({ promised: 1, delivered: 1, deliveryRate: null });
    const html = await page(`/sessions/${smallSession}`);
    expect(html).toContain('1 of 1 delivered: too few to rate (fewer than 5)');
    expect(html).not.toContain('(100%)');
    const wikitext = (await api.http.get(`/exports/sessions/${smallSession}/wikitext`).expect(200)).text;
    expect(wikitext).toContain('* 1 of 1 delivered: too few to rate (fewer than 5)');
  });

  it('counts overdue, stale and due by team on the dashboard, and Recently changed shows news only', async () => {
    const dashboard = await json('/dashboard');
    expect(dashboard.byTeam.find((row: { name: string }) => row.name === team)).toEqual({
      name: team,
      open: 4,
      overdue: 1,
      stale: 2,
      due: 1,
    });
    expect(dashboard.flags.staleSince).toBe('2021-03-01');
    for (const change of dashboard.recentlyChanged)
      expect(['CommitmentLinked', 'CommitmentCorrected']).not.toContain(change.eventType);
    const html = await page('/dashboard');
    expect(html).toContain('<h2>Overdue and stale, by team</h2>');
    expect(html).toContain(`<td>1 of 4</td><td>2 of 4</td><td>1 of 4</td>`);
    expect(html).toMatch(/Announced 2020-12-10 · no news since then/);
  });

  it('takes a window from the JSON API and a session file, and refuses one that ends before it starts, writing nothing', async () => {
    const refused = await api.http
      .post('/commitments')
      .set(bearer(editor))
      .send(commitment(id('backwards'), session, { asSaid: 'x', earliestDate: '2021-03-01', latestDate: '2021-02-01' }));
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('target.earliestDate');
    const badDay = await api.http
      .post('/commitments')
      .set(bearer(editor))
      .send(commitment(id('bad-day'), session, { asSaid: 'x', earliestDate: '2021-02-30', latestDate: '2021-03-01' }));
    expect(badDay.status).toBe(400);
    expect(badDay.body.errors).toContainEqual({ field: 'target.earliestDate', reason: 'must be a date written YYYY-MM-DD' });
    expect(await api.store.readStream(`commitment-${id('backwards')}`)).toEqual([]);

    const file = (earliestDate: string) => ({
      session: {
        id: id('file-session'),
        date: '2021-05-05',
        title: 'Office hours from a file',
        kind: 'office_hour',
        hosts: [{ name: 'Maggie Dennis' }],
        sourceUrl: 'https://meta.wikimedia.org/wiki/IRC_office_hours',
      },
      commitments: [
        {
          id: id('from-file'),
          speaker: { name: 'Maggie Dennis' },
          ownerTeam: team,
          topics: ['UCoC'],
          summary: 'From a file',
          quote: 'In June or July.',
          target: { asSaid: 'June or July', earliestDate, latestDate: '2021-07-31' },
          strength: 'plan',
        },
      ],
    });
    const importFile = (content: object) =>
      api.http
        .post('/imports')
        .query({ file: 'windows.yaml' })
        .set(bearer(editor))
        .set('Content-Type', 'application/yaml')
        .send(stringify(content));
    const backwards = await importFile(file('2021-08-01'));
    expect(backwards.status).toBe(422);
    expect(JSON.stringify(backwards.body)).toContain('earliestDate');
    expect(await api.store.readStream(`session-${id('file-session')}`)).toEqual([]);
    const imported = await importFile(file('2021-06-01'));
    expect(imported.status).toBe(200);
    position = imported.body.position ?? position;
    const made = (await api.store.readStream(`commitment-${id('from-file')}`))[0]!;
    expect(made.data).toMatchObject({ target: { asSaid: 'June or July', earliestDate: '2021-06-01', latestDate: '2021-07-31' } });
    // Importing the same file again writes nothing, though jsonb hands the window back with its keys reordered.
    const again = await importFile(file('2021-06-01'));
    expect(again.status).toBe(200);
    expect(await api.store.readStream(`commitment-${id('from-file')}`)).toHaveLength(1);
  });

  it('carries the window through the CSV round trip: unchanged writes nothing, a window ending before it starts is refused', async () => {
    const csv = (await api.http.get('/exports/commitments.csv').query({ minPosition: position }).expect(200)).text;
    const row = (parse(csv, { columns: true }) as Record<string, string>[]).find((r) => r.id === dueNow)!;
    expect(row).toMatchObject({
      target_as_said: 'August or September',
      target_earliest_date: '2021-08-01',
      target_latest_date: '2021-09-30',
    });
    const send = (edited: Record<string, string>) =>
      api.http
        .post('/imports/commitments-csv')
        .query({ file: 'commitments.csv' })
        .set(bearer(editor))
        .set('Content-Type', 'text/csv')
        .send(csvStringify([edited], { header: true }));
    const before = (await api.store.readStream(`commitment-${dueNow}`)).length;
    await send(row).expect(200);
    const refused = await send({ ...row, target_earliest_date: '2021-10-01' }).expect(422);
    expect(JSON.stringify(refused.body)).toContain('target_earliest_date');
    expect(await api.store.readStream(`commitment-${dueNow}`)).toHaveLength(before);
    const moved = await send({ ...row, target_earliest_date: '2021-09-01' }).expect(200);
    expect(moved.body.byEvent).toEqual({ CommitmentRetargeted: 1 });
    const events = await api.store.readStream(`commitment-${dueNow}`);
    expect(events.at(-1)!.data).toMatchObject({ newTarget: { earliestDate: '2021-09-01', latestDate: '2021-09-30' } });
  });
});
