import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify as toCsv } from 'csv-stringify/sync';
import { stringify as toYaml } from 'yaml';
import { commitmentStreamId, sessionStreamId } from '#governance';
import { failPostgresAppends } from '#event-store/testing';
import { DATABASE, type Database } from '#storage';
import { startTestApp, type TestApp } from './support/test-app.js';

// Issue #10, defects 2 and 13: an import is all or nothing, and refuses what it cannot mean.
const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;
const notes = 'https://meta.wikimedia.org/wiki/IRC_office_hours/Office_hours_2020-12-10';

const session = (sessionId: string, date = '2020-12-10') => ({
  id: sessionId,
  date,
  title: `Office hours ${date}`,
  kind: 'office_hour',
  hosts: [{ name: 'Maggie Dennis' }],
  sourceUrl: notes,
});
const commitment = (commitmentId: string, summary = 'Start phase 2') => ({
  id: commitmentId,
  speaker: { name: 'Patrick' },
  ownerTeam: 'Trust & Safety',
  topics: ['UCoC'],
  summary,
  quote: 'We are planning to start in January or February.',
  target: { asSaid: 'January or February', latestDate: '2021-02-28' },
  strength: 'plan',
});

describe('imports are all or nothing', () => {
  let api: TestApp;
  let editor: string;
  const bearer = () => ({ Authorization: `Bearer ${editor}` });
  const stream = (streamId: string) => api.store.readStream(streamId);
  const importYaml = (name: string, content: object) =>
    api.http.post('/imports').query({ file: name }).set(bearer()).set('Content-Type', 'application/yaml').send(toYaml(content));
  const importCsv = (text: string) =>
    api.http
      .post('/imports/commitments-csv')
      .query({ file: 'commitments.csv' })
      .set(bearer())
      .set('Content-Type', 'text/csv')
      .send(text);
  /** Refuses, in the database itself, every append to one stream. */
  const failingAppendsTo = (streamId: string) =>
    failPostgresAppends(api.app.get<Database>(DATABASE).connectionString, 'event_store', streamId);
  const make = async (sessionId: string, ...commitments: ReturnType<typeof commitment>[]) => {
    const made = await importYaml(`${sessionId}.yaml`, { session: session(sessionId), commitments });
    expect(made.status).toBe(200);
    return made.body.position as string;
  };
  /** The export's rows for these commitments, after the read model caught up with `position`. */
  const exported = async (position: string, ...ids: string[]) => {
    const csv = await api.http.get('/exports/commitments.csv').query({ minPosition: position }).expect(200);
    return (parse(csv.text, { columns: true }) as Record<string, string>[]).filter((row) => ids.includes(row.id!));
  };

  beforeAll(async () => {
    api = await startTestApp();
    editor = await api.token('ana', 'editor');
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  describe('session files', () => {
    it('a failure on the second commitment (a database error) writes nothing, not the session nor the first', async () => {
      const [sessionId, good, failing] = [id('db-fail'), id('db-fail-first'), id('db-fail-second')];
      const refusal = await failingAppendsTo(commitmentStreamId(failing));
      try {
        const response = await importYaml('db-fail.yaml', {
          session: session(sessionId),
          commitments: [commitment(good), commitment(failing)],
        });
        expect(response.status).toBeGreaterThanOrEqual(400);
      } finally {
        await refusal.remove();
      }
      expect(await stream(sessionStreamId(sessionId))).toEqual([]);
      expect(await stream(commitmentStreamId(good))).toEqual([]);
      // Nothing half-done is left behind: the same file imports whole once the store accepts it.
      const again = await importYaml('db-fail.yaml', {
        session: session(sessionId),
        commitments: [commitment(good), commitment(failing)],
      });
      expect(again.body).toMatchObject({ commands: 3, events: 3 });
    });

    it('a commitment id given twice in one file is refused, naming both entries, and writes nothing', async () => {
      const [sessionId, twice] = [id('dup'), id('dup-commitment')];
      const response = await importYaml('dup.yaml', {
        session: session(sessionId),
        commitments: [commitment(twice), commitment(id('dup-other')), commitment(twice, 'Start phase 3')],
      });
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([
        {
          entry: `commitments[2] (${twice})`,
          field: 'id',
          reason: `repeats the id of commitments[0] (${twice}): each commitment is defined once in a file`,
        },
      ]);
      expect(await stream(sessionStreamId(sessionId))).toEqual([]);
      expect(await stream(commitmentStreamId(twice))).toEqual([]);
    });

    it('a file cannot redefine a commitment made in another session', async () => {
      const [earlier, later, theirs] = [id('made-there'), id('redefines'), id('theirs')];
      await make(earlier, commitment(theirs));
      const before = await stream(commitmentStreamId(theirs));
      const response = await importYaml('later.yaml', {
        session: session(later, '2020-12-11'),
        commitments: [commitment(id('ours')), commitment(theirs, 'Something else entirely')],
      });
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([
        expect.objectContaining({
          entry: `commitments[1] (${theirs})`,
          field: 'id',
          reason: expect.stringContaining(`made in session ${earlier}`),
        }),
      ]);
      expect(await stream(commitmentStreamId(theirs))).toEqual(before);
      expect(await stream(sessionStreamId(later))).toEqual([]);
      expect(await stream(commitmentStreamId(id('ours')))).toEqual([]);
    });
  });

  describe('commitments CSV', () => {
    const first = id('csv-first');
    const second = id('csv-second');
    const quoted = id('csv-quoted');
    const padded = id('csv-padded');
    let position: string;

    beforeAll(async () => {
      position = await make(
        id('csv'),
        commitment(first),
        commitment(second),
        commitment(quoted, "'=SUM(1;2) is what the notes say"),
        // Text a CSV cell could not carry back if the import trimmed or split it.
        { ...commitment(padded, '  Padded summary  '), topics: [' UCoC ', 'Safety; Policy'], quote: 'Said so. ' },
      );
    });

    it('a good row then a failing row (a database error on the second) writes nothing', async () => {
      const rows = await exported(position, first, second);
      const edited = rows.map((row) => ({ ...row, summary: `${row.summary}, edited` }));
      const refusal = await failingAppendsTo(commitmentStreamId(second));
      try {
        expect((await importCsv(toCsv(edited, { header: true }))).status).toBeGreaterThanOrEqual(400);
      } finally {
        await refusal.remove();
      }
      expect(await stream(commitmentStreamId(first))).toHaveLength(1);
      expect(await stream(commitmentStreamId(second))).toHaveLength(1);
    });

    it('a good row then a row with a NUL character writes nothing', async () => {
      const rows = await exported(position, first, second);
      const edited = rows.map((row) => ({ ...row, summary: row.id === first ? `${row.summary}, edited` : 'bad \u0000 text' }));
      expect((await importCsv(toCsv(edited, { header: true }))).status).toBeGreaterThanOrEqual(400);
      expect(await stream(commitmentStreamId(first))).toHaveLength(1);
      expect(await stream(commitmentStreamId(second))).toHaveLength(1);
    });

    it('a commitment in two rows is refused, naming both rows, and writes nothing', async () => {
      const [row] = await exported(position, first);
      const response = await importCsv(
        toCsv(
          [
            { ...row, summary: 'Edited once' },
            { ...row, summary: 'Edited twice' },
          ],
          { header: true },
        ),
      );
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([
        { entry: `row 3 (${first})`, field: 'id', reason: 'repeats the commitment of row 2: edit each commitment in one row' },
      ]);
      expect(await stream(commitmentStreamId(first))).toHaveLength(1);
    });

    it("an unchanged export imports as no change, formula-like and '-prefixed cells included", async () => {
      const csv = (await api.http.get('/exports/commitments.csv').query({ minPosition: position }).expect(200)).text;
      const response = await importCsv(csv).expect(200);
      expect(response.body).toMatchObject({ commands: 0, events: 0, byEvent: {} });
      expect(await stream(commitmentStreamId(quoted))).toHaveLength(1);
      const [made] = await stream(commitmentStreamId(padded));
      expect(made!.data).toMatchObject({ summary: '  Padded summary  ', topics: [' UCoC ', 'Safety; Policy'] });
      expect(await stream(commitmentStreamId(padded))).toHaveLength(1);
      // Text already starting with ' before a formula character gets one more, so the import can strip exactly one.
      const [row] = await exported(position, quoted);
      expect(row!.summary).toBe("''=SUM(1;2) is what the notes say");
    });

    it('an edited status is refused, naming the row and the column: status changes with the commands', async () => {
      const rows = await exported(position, first, second);
      const edited = rows.map((row) => (row.id === second ? { ...row, status: 'delivered' } : row));
      const response = await importCsv(toCsv(edited, { header: true }));
      expect(response.status).toBe(422);
      const row = edited.findIndex((candidate) => candidate.id === second) + 2;
      expect(response.body.errors).toEqual([
        {
          entry: `row ${row} (${second})`,
          field: 'status',
          reason: expect.stringMatching(
            /^is "delivered" but the commitment is announced: .*commands \(progress, start, deliver, drop/,
          ),
        },
      ]);
      expect(await stream(commitmentStreamId(second))).toHaveLength(1);
    });

    it.each([
      ['closed_at', () => '2021-03-01T00:00:00.000Z'],
      ['slip_count', () => '3'],
      ['overdue', (now: string) => String(now !== 'true')],
      ['made_in_date', () => '2019-01-01'],
    ])('an edited derived column (%s) is refused naming it, never silently ignored', async (column, edit) => {
      const [row] = await exported(position, second);
      const value = edit(row![column]!);
      const response = await importCsv(
        toCsv([{ ...row, summary: `${row!.summary} (edited)`, [column]: value }], { header: true }),
      );
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([
        {
          entry: `row 2 (${second})`,
          field: column,
          reason: expect.stringMatching(new RegExp(`^is "${value}" but the tracker has ".*": this column is derived`)),
        },
      ]);
      expect(await stream(commitmentStreamId(second))).toHaveLength(1);
    });
  });
});

describe('the unchanged seed files over HTTP', () => {
  let api: TestApp;
  let editor: string;

  beforeAll(async () => {
    api = await startTestApp({ database: { kind: 'embedded', dataDir: 'memory://' }, seedDirectory: 'data/sessions' });
    editor = await api.token('ana', 'editor');
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it.each(['data/sessions/2020-12-10-office-hours.yaml', 'data/sessions/2022-08-18-conversation-hour.yaml'])(
    'POST /imports of %s answers 200 with nothing written',
    async (path) => {
      const response = await api.http
        .post('/imports')
        .query({ file: basename(path) })
        .set('Authorization', `Bearer ${editor}`)
        .set('Content-Type', 'application/yaml')
        .send(readFileSync(path, 'utf8'));
      expect({ status: response.status, errors: response.body.errors }).toEqual({ status: 200, errors: undefined });
      expect(response.body).toMatchObject({ commands: 0, events: 0, byEvent: {}, position: null });
    },
  );
});
