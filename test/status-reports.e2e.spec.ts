import { randomUUID } from 'node:crypto';
import { stringify } from 'yaml';
import { commitmentStreamId } from '#governance';
import type { RecordedEvent } from '#event-store';
import { startTestApp, type TestApp } from './support/test-app.js';

const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const HTML = { Accept: 'text/html,application/xhtml+xml' };
const notes2020 = 'https://meta.wikimedia.org/wiki/IRC_office_hours/Office_hours_2020-12-10';
const notes2022 = 'https://meta.wikimedia.org/wiki/IRC_office_hours/Office_hours_2022-08-18';

const session = (sessionId: string, date: string, sourceUrl: string) => ({
  id: sessionId,
  date,
  title: `Office hours ${date}`,
  kind: 'office_hour',
  hosts: [{ name: 'Maggie Dennis', role: null }],
  sourceUrl,
});

const promise = (commitmentId: string, sessionId: string, strength: string) => ({
  id: commitmentId,
  sessionId,
  speaker: { name: 'Patrick', role: 'Manager of T&S Ops' },
  ownerTeam: `Trust & Safety ${run}`,
  topics: ['Universal Code of Conduct'],
  summary: `Promise ${commitmentId}`,
  quote: 'We will.',
  target: { asSaid: 'January or February 2021', latestDate: '2021-02-28' },
  strength,
});

describe('status that follows the facts', () => {
  let api: TestApp;
  let editor: string;
  let staff: string;
  let position = '';
  const early = id('oh-2020');
  const later = id('ch-2022');
  const streamOf = (commitmentId: string) => api.store.readStream(commitmentStreamId(commitmentId));
  const types = (events: readonly RecordedEvent[]) => events.map((event) => event.type);
  const make = async (name: string, strength = 'plan') => {
    const commitmentId = id(name);
    const made = await api.http
      .post('/commitments')
      .set(bearer(editor))
      .send(promise(commitmentId, early, strength))
      .expect(201);
    position = made.body.position;
    return commitmentId;
  };
  const revisit = (commitmentId: string, report: object | null) =>
    api.http
      .post(`/commitments/${commitmentId}/revisits`)
      .set(bearer(staff))
      .send({ sessionId: later, statement: 'Many months of work are behind us.', report });

  beforeAll(async () => {
    api = await startTestApp();
    [editor, staff] = await Promise.all([api.token('ana', 'editor'), api.token('sam', 'staff')]);
    await api.http
      .post('/sessions')
      .set(bearer(editor))
      .send(session(early, '2020-12-10', notes2020))
      .expect(201);
    await api.http
      .post('/sessions')
      .set(bearer(editor))
      .send(session(later, '2022-08-18', notes2022))
      .expect(201);
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  describe('a revisit with a status report', () => {
    it('appends the revisit and the progress report in one step; the commitment is in progress', async () => {
      const commitmentId = await make('progressing');
      const response = await revisit(commitmentId, {
        kind: 'progress',
        note: 'Guidelines in translation',
        evidence: ['https://meta.wikimedia.org/wiki/UCoC'],
      }).expect(200);
      expect(response.body).toMatchObject({ revision: 2, events: ['CommitmentRevisited', 'ProgressReported'] });
      const history = await streamOf(commitmentId);
      expect(types(history)).toEqual(['CommitmentMade', 'CommitmentRevisited', 'ProgressReported']);
      expect(history[2]!.data).toEqual({ note: 'Guidelines in translation', evidence: ['https://meta.wikimedia.org/wiki/UCoC'] });
      expect(history[2]!.metadata.occurredAt).toBe('2022-08-18T00:00:00.000Z');
      const read = await api.http.get(`/commitments/${commitmentId}`).query({ minPosition: response.body.position }).expect(200);
      expect(read.body).toMatchObject({ status: 'in_progress', revisitedIn: [later] });
    });

    it('records a delivery known only by the session as no later than that day, in JSON and on the page', async () => {
      const commitmentId = await make('ratified', 'firm');
      const response = await revisit(commitmentId, {
        kind: 'delivered',
        note: 'It has been ratified',
        datePrecision: 'no_later_than',
      }).expect(200);
      expect(response.body.events).toEqual(['CommitmentRevisited', 'CommitmentDelivered']);
      position = response.body.position;
      const read = await api.http.get(`/commitments/${commitmentId}`).query({ minPosition: position }).expect(200);
      expect(read.body).toMatchObject({
        status: 'delivered',
        closedAt: '2022-08-18T00:00:00.000Z',
        closedAtPrecision: 'no_later_than',
      });
      expect(read.body.timeline.at(-1)).toMatchObject({ type: 'CommitmentDelivered', datePrecision: 'no_later_than' });
      const page = await api.http.get(`/commitments/${commitmentId}`).set(HTML).query({ minPosition: position }).expect(200);
      expect(page.text).toContain('delivered no later than <time datetime="2022-08-18T00:00:00.000Z">2022-08-18</time>');
      expect(page.text).toContain('Happened no later than <time datetime="2022-08-18T00:00:00.000Z">2022-08-18</time>');
      expect(page.text).toContain('<dt>How firm</dt><dd>firm promise</dd>');
      // Its target was February 2021: known only to be delivered by August 2022, it is not called late.
      const record = await api.http.get(`/sessions/${early}`).query({ minPosition: position }).expect(200);
      const entry = record.body.made.find((made: { commitment: { id: string } }) => made.commitment.id === commitmentId);
      expect(entry.outcome).toBe('delivered');
      const feed = await api.http.get('/feeds/changes.atom').query({ commitment: commitmentId }).expect(200);
      expect(feed.text).toContain('(happened no later than 2022-08-18)');
    });

    it('drops with a reason in the same step', async () => {
      const commitmentId = await make('dropped-in-session');
      await revisit(commitmentId, { kind: 'dropped', reason: 'replaced', explanation: 'Folded into the guidelines' }).expect(200);
      expect(types(await streamOf(commitmentId))).toEqual(['CommitmentMade', 'CommitmentRevisited', 'CommitmentDropped']);
    });

    it('409 for a report the state refuses, and writes neither event', async () => {
      const commitmentId = await make('closed');
      await api.http
        .post(`/commitments/${commitmentId}/drop`)
        .set(bearer(staff))
        .send({ reason: 'other', explanation: 'x' })
        .expect(200);
      const before = await streamOf(commitmentId);
      const response = await revisit(commitmentId, { kind: 'progress', note: 'More work' }).expect(409);
      expect(response.body.message).toMatch(/Cannot report progress on this commitment: it is dropped/);
      expect(await streamOf(commitmentId)).toEqual(before);
    });

    it.each([
      [{ kind: 'finished', note: 'x' }, 'report.kind', 'must be one of'],
      [{ kind: 'progress' }, 'report.note', 'should not be empty'],
      [{ kind: 'progress', note: 'x', evidence: ['javascript:alert(1)'] }, 'report.evidence', 'each must be an http(s) URL'],
      [{ kind: 'dropped', explanation: 'x' }, 'report.reason', 'must be one of'],
      [{ kind: 'progress', note: 'x', datePrecision: 'about' }, 'report.datePrecision', 'must be one of'],
      [{ kind: 'progress', note: 'x', when: 'now' }, 'report.when', 'should not exist'],
    ])('400 naming the field for a bad report, writing nothing (case %#)', async (report, field, reason) => {
      const commitmentId = await make(`bad-${field.replace('.', '-').toLowerCase()}-${reason.length}`);
      const before = await streamOf(commitmentId);
      const response = await revisit(commitmentId, report).expect(400);
      expect(response.body.errors).toContainEqual({ field, reason: expect.stringContaining(reason) });
      expect(await streamOf(commitmentId)).toEqual(before);
    });
  });

  describe('evidence and a no-later-than day on every status change', () => {
    it('stores both on a drop, shows the evidence as a link in history', async () => {
      const commitmentId = await make('dropped-with-evidence');
      const response = await api.http
        .post(`/commitments/${commitmentId}/drop`)
        .set(bearer(staff))
        .send({
          reason: 'replaced',
          explanation: 'Restated in 2022',
          evidence: ['https://example.org/proof?a=1&b=2'],
          occurredAt: '2022-08-18T00:00:00Z',
          datePrecision: 'no_later_than',
        })
        .expect(200);
      expect((await streamOf(commitmentId)).at(-1)!.data).toEqual({
        reason: 'replaced',
        explanation: 'Restated in 2022',
        evidence: ['https://example.org/proof?a=1&b=2'],
        datePrecision: 'no_later_than',
      });
      const page = await api.http
        .get(`/commitments/${commitmentId}`)
        .set(HTML)
        .query({ minPosition: response.body.position })
        .expect(200);
      expect(page.text).toContain('<a href="https://example.org/proof?a=1&amp;b=2" rel="nofollow">');
      expect(page.text).toContain('dropped no later than');
    });

    it('400 for evidence that is not a link, and for no_later_than without the day it bounds', async () => {
      const commitmentId = await make('start-refused');
      const bad = await api.http
        .post(`/commitments/${commitmentId}/start`)
        .set(bearer(staff))
        .send({ evidence: ['not a url'] })
        .expect(400);
      expect(bad.body.errors).toContainEqual({ field: 'evidence', reason: expect.stringContaining('http(s) URL') });
      const unbounded = await api.http
        .post(`/commitments/${commitmentId}/reopen`)
        .set(bearer(staff))
        .send({ reason: 'x', datePrecision: 'no_later_than' })
        .expect(400);
      expect(unbounded.body.errors).toContainEqual({ field: 'datePrecision', reason: expect.stringContaining('occurredAt') });
      expect(types(await streamOf(commitmentId))).toEqual(['CommitmentMade']);
    });
  });

  it('shows strength in words in the list, on the session page and on the dashboard', async () => {
    const commitmentId = await make('follow-up', 'follow_up');
    const query = { minPosition: position };
    const { body } = await api.http.get(`/commitments/${commitmentId}`).query(query).expect(200);
    const list = await api.http
      .get('/commitments')
      .set(HTML)
      .query({ ...query, owner: `Trust & Safety ${run}` })
      .expect(200);
    expect(list.text).toContain('<span class="meta strength">promise to follow up</span>');
    expect(list.text).toContain('<span class="meta strength">firm promise</span>');
    const sessionPage = await api.http.get(`/sessions/${early}`).set(HTML).query(query).expect(200);
    expect(sessionPage.text).toContain('<span class="meta strength">promise to follow up</span>');
    const dashboard = await api.http.get('/dashboard').set(HTML).query(query).expect(200);
    expect(dashboard.text).toMatch(/<span class="meta strength">(plan|firm promise|promise to follow up)<\/span>/);
    expect(body.strength).toBe('follow_up');
  });

  describe('session files', () => {
    const importFile = (name: string, content: object) =>
      api.http
        .post('/imports')
        .query({ file: name })
        .set(bearer(editor))
        .set('Content-Type', 'application/yaml')
        .send(stringify(content));
    const laterFile = (revisits: object[], updates: object[] = []) => ({
      session: { ...session(later, '2022-08-18', notes2022), hosts: [{ name: 'Maggie Dennis' }] },
      revisits,
      updates,
    });

    it('imports a revisit with a report and an outcome no later than the session, with the notes as evidence', async () => {
      const reported = await make('file-reported');
      const ratified = await make('file-ratified');
      const file = laterFile(
        [
          {
            commitment: reported,
            statement: 'Work is months along.',
            report: { kind: 'progress', note: 'Months of work behind us' },
          },
        ],
        [
          {
            commitment: ratified,
            type: 'deliver',
            on: '2022-08-18',
            datePrecision: 'no_later_than',
            note: 'Has been ratified',
            source: notes2022,
          },
        ],
      );
      await importFile('2022-08-18.yaml', file).expect(200);
      const reportedHistory = await streamOf(reported);
      expect(types(reportedHistory)).toEqual(['CommitmentMade', 'CommitmentRevisited', 'ProgressReported']);
      expect(reportedHistory[2]!.data).toEqual({ note: 'Months of work behind us', evidence: [notes2022] });
      const ratifiedHistory = await streamOf(ratified);
      expect(ratifiedHistory.at(-1)).toMatchObject({
        type: 'CommitmentDelivered',
        data: { completeness: 'full', note: 'Has been ratified', evidence: [notes2022], datePrecision: 'no_later_than' },
        metadata: { occurredAt: '2022-08-18T00:00:00.000Z' },
      });
      const again = await importFile('2022-08-18.yaml', file).expect(200);
      expect(again.body).toMatchObject({ commands: 0, events: 0 });
    });

    it('refuses a report the state does not allow, naming the entry, and writes nothing', async () => {
      const closed = await make('file-closed');
      await api.http
        .post(`/commitments/${closed}/drop`)
        .set(bearer(staff))
        .send({ reason: 'other', explanation: 'x' })
        .expect(200);
      const before = await streamOf(closed);
      const response = await importFile(
        'refused.yaml',
        laterFile([{ commitment: closed, statement: 'Still going', report: { kind: 'progress', note: 'x' } }]),
      ).expect(422);
      expect(JSON.stringify(response.body)).toContain(`revisits[0] (${closed})`);
      expect(await streamOf(closed)).toEqual(before);
    });

    it('refuses a drop report without a reason, by the schema', async () => {
      const commitmentId = await make('file-bad');
      const response = await importFile(
        'bad.yaml',
        laterFile([{ commitment: commitmentId, statement: 'x', report: { kind: 'dropped', explanation: 'x' } }]),
      ).expect(422);
      expect(JSON.stringify(response.body)).toContain('report');
      expect(types(await streamOf(commitmentId))).toEqual(['CommitmentMade']);
    });
  });
});
