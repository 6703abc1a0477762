import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { commitmentStreamId } from '#governance';
import { startTestApp, type TestApp } from './support/test-app.js';

const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;

describe('exports', () => {
  let api: TestApp;
  let editor: string;
  const session = id('oh');
  const plain = id('plain');
  const hostile = id('hostile');
  let position: string;

  beforeAll(async () => {
    api = await startTestApp();
    editor = await api.token('ana', 'editor');
    const post = async (path: string, body: object) => {
      const response = await api.http
        .post(path)
        .set('Authorization', `Bearer ${editor}`)
        .send(body)
        .expect((r) => {
          if (r.status >= 300) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
        });
      position = response.body.position;
    };
    await post('/sessions', {
      id: session,
      date: '2020-12-10',
      title: 'Office hours',
      kind: 'office_hour',
      hosts: [{ name: 'Maggie Dennis' }],
      sourceUrl: 'https://meta.wikimedia.org/wiki/IRC_office_hours/Office_hours_2020-12-10',
    });
    const commitment = (cid: string, summary: string, quote: string) => ({
      id: cid,
      sessionId: session,
      speaker: { name: 'Patrick', role: 'Manager of T&S Ops' },
      ownerTeam: `Trust & Safety ${run}`,
      topics: ['UCoC', 'Enforcement'],
      summary,
      quote,
      target: { asSaid: 'January or February', latestDate: '2021-02-28' },
      strength: 'plan',
    });
    await post(
      '/commitments',
      commitment(plain, 'Start phase 2, "soon"; then consult', 'We are planning to start in January or February.'),
    );
    await post(
      '/commitments',
      commitment(hostile, '=HYPERLINK("x") | {{template}} </nowiki><script>alert(1)</script>', '[[Link]] ||'),
    );
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  const ours = (rows: { id: string }[]) =>
    rows.filter((row) => row.id === plain || row.id === hostile).sort((a, b) => a.id.localeCompare(b.id));

  it('exports CSV that a CSV parser reads back equal to the JSON export and the read model', async () => {
    const csv = await api.http
      .get('/exports/commitments.csv')
      .query({ minPosition: position })
      .expect(200)
      .expect('Content-Type', /text\/csv/);
    const json = await api.http.get('/exports/commitments.json').expect(200);
    const rows = ours(parse(csv.text, { columns: true }) as { id: string }[]) as Record<string, string>[];
    const items = ours(json.body) as unknown as {
      id: string;
      summary: string;
      topics: string[];
      target: { latestDate: string };
      revision: number;
    }[];
    expect(rows).toHaveLength(2);
    for (const [index, row] of rows.entries()) {
      const item = items[index]!;
      const one = (await api.http.get(`/commitments/${item.id}`).expect(200)).body;
      expect(row).toMatchObject({
        id: one.id,
        status: one.status,
        quote: one.quote,
        topics: 'UCoC; Enforcement',
        target_latest_date: '2021-02-28',
        revision: String(one.revision),
        owner_team: `Trust & Safety ${run}`,
      });
      expect(item).toMatchObject({ summary: one.summary, topics: one.topics, revision: one.revision });
    }
    const plainRow = rows.find((row) => row.id === plain)!;
    expect(plainRow.summary).toBe('Start phase 2, "soon"; then consult');
    // A formula-looking cell is defused for spreadsheets.
    expect(rows.find((row) => row.id === hostile)!.summary).toMatch(/^'=HYPERLINK/);
  });

  it('an edited CSV applies its changes as events, and a stale one writes nothing', async () => {
    const csv = (await api.http.get('/exports/commitments.csv').expect(200)).text;
    const rows = (parse(csv, { columns: true }) as Record<string, string>[]).filter(
      (row) => row.id === plain || row.id === hostile,
    );
    const edited = rows.map((row) =>
      row.id === plain
        ? { ...row, summary: 'Start phase 2 of the UCoC', target_as_said: 'by March', target_latest_date: '2021-03-31' }
        : row,
    );
    const file = stringify(edited, { header: true });
    const send = (text: string) =>
      api.http
        .post('/imports/commitments-csv')
        .query({ file: 'commitments.csv' })
        .set('Authorization', `Bearer ${editor}`)
        .set('Content-Type', 'text/csv')
        .send(text);

    const applied = await send(file).expect(200);
    expect(applied.body.byEvent).toEqual({ CommitmentRetargeted: 1, CommitmentCorrected: 1 });
    const history = await api.store.readStream(commitmentStreamId(plain));
    expect(history.map((event) => event.type)).toEqual(['CommitmentMade', 'CommitmentRetargeted', 'CommitmentCorrected']);
    expect(history[2]!.data).toEqual({ changes: { summary: 'Start phase 2 of the UCoC' }, reason: 'Edited in commitments.csv' });
    expect(types(await api.store.readStream(commitmentStreamId(hostile)))).toEqual(['CommitmentMade']);

    const stale = await send(file).expect(422);
    const plainRow = edited.findIndex((row) => row.id === plain) + 2; // after the header, counting from 1
    expect(stale.body.errors).toContainEqual(expect.objectContaining({ entry: `row ${plainRow} (${plain})`, field: 'revision' }));
    expect(await api.store.readStream(commitmentStreamId(plain))).toHaveLength(3);
    await send('id,revision\n').expect(422);
  });

  it('the JSON export holds each commitment\u2019s history and links, as its own page gives them', async () => {
    const linked = await api.http
      .post(`/commitments/${hostile}/links`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ linkedTo: plain, relation: 'restates' })
      .expect(200);
    const json = await api.http.get('/exports/commitments.json').query({ minPosition: linked.body.position }).expect(200);
    for (const commitmentId of [plain, hostile]) {
      const exported = (json.body as { id: string }[]).find((item) => item.id === commitmentId);
      const one = (await api.http.get(`/commitments/${commitmentId}`).expect(200)).body;
      expect(exported).toEqual(one);
    }
    const exported = (commitmentId: string) =>
      (json.body as { id: string; links: object[]; timeline: { type: string }[] }[]).find((item) => item.id === commitmentId)!;
    // The link from both ends; the event is on the stream of the commitment that was linked.
    expect(exported(plain).links).toEqual([expect.objectContaining({ relation: 'restated_by', id: hostile })]);
    expect(exported(hostile).links).toEqual([expect.objectContaining({ relation: 'restates', id: plain })]);
    expect(exported(hostile).timeline.map((entry) => entry.type)).toEqual(['CommitmentMade', 'CommitmentLinked']);
  });

  it('renders a session as a wikitext table with user text kept inert', async () => {
    const wikitext = (
      await api.http
        .get(`/exports/sessions/${session}/wikitext`)
        .query({})
        .expect(200)
        .expect('Content-Type', /text\/plain/)
    ).text;
    expect(wikitext).toMatch(/^== <nowiki>Office hours \(2020-12-10\)<\/nowiki> ==\n/);
    // It says when its statuses were true, and links back to the session and to each commitment's page.
    expect(wikitext).toMatch(
      new RegExp(
        `^Status as of \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC, from the \\[http://localhost:\\d+/sessions/${session} <nowiki>commitment tracker</nowiki>\\]`,
        'm',
      ),
    );
    expect(wikitext).toMatch(/\n\{\| class="wikitable sortable"\n/);
    expect(wikitext).toMatch(new RegExp(`^\\| \\[http://localhost:\\d+/commitments/${plain} <nowiki>Start phase 2`, 'm'));
    expect(wikitext).toContain('! Commitment !! Speaker !! Owner !! Target !! Status');
    expect(wikitext).toContain('&lt;/nowiki&gt;&lt;script&gt;');
    expect(wikitext).not.toContain('<script>');
    const hostileRow = wikitext.split('\n').find((line) => line.includes('HYPERLINK'))!;
    // Exactly the four cell separators of the table: none from user text escapes <nowiki>.
    expect(hostileRow.replace(/<nowiki>.*?<\/nowiki>/g, '').match(/\|\|/g)).toHaveLength(4);
    await api.http.get(`/exports/sessions/${id('none')}/wikitext`).expect(404);
  });
});

function types(events: readonly { type: string }[]): string[] {
  return events.map((event) => event.type);
}
