import { randomUUID } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import ICAL from 'ical.js';
import { commitmentStreamId, sessionStreamId, type CommitmentEvent, type SessionEvent } from '#governance';
import type { NewEvent } from '#event-store';
import { startTestApp, type TestApp } from './support/test-app.js';

const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;
const BASE = 'https://tracker.example.org/public';

// Every way out of a feed's text: a CDATA end, live elements, entities, quotes, and characters
// XML 1.0 forbids (written straight to the log: stored events may hold them whatever input allows).
const FORBIDDEN = '\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u001F\uFFFE\uFFFF';
const hostile = (field: string) =>
  `${field} ]]>]]><script>alert(2)</script> <img src=x onerror=alert(3)> <svg onload=alert(4)> &amp; & "q" 'a'${FORBIDDEN} end`;
/** What a reader must see: the same text, less the characters XML cannot carry. */
const shown = (field: string) => hostile(field).replace(FORBIDDEN, '');
// Text that would add properties to a calendar if written unescaped.
const calendarHostile = 'Due line\r\nDTSTART:19700101\nATTENDEE;CN=evil:mailto:evil@example.org, a; b\\ c';

const metadata = (occurredAt: string) => ({
  actor: hostile('actor'),
  occurredAt,
  recordedAt: new Date().toISOString(),
  correlationId: randomUUID(),
  causationId: null,
  schemaVersion: 1,
});
const event = (domain: CommitmentEvent | SessionEvent, occurredAt = '2021-01-10T00:00:00.000Z'): NewEvent => ({
  id: randomUUID(),
  type: domain.type,
  data: domain.data as NewEvent['data'],
  metadata: metadata(occurredAt),
});

type Xml = Record<string, unknown>;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', processEntities: true, parseTagValue: false });

/** Every element name anywhere in a parsed document. */
function elementNames(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) elementNames(item, into);
  else if (node && typeof node === 'object') {
    for (const [name, child] of Object.entries(node)) {
      if (!name.startsWith('@_') && name !== '#text') into.add(name.toLowerCase());
      elementNames(child, into);
    }
  }
  return into;
}
const textOf = (node: unknown): string =>
  typeof node === 'string' ? node : node && typeof node === 'object' ? String((node as Xml)['#text'] ?? '') : '';
const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

interface Entry {
  title: Xml;
  summary: Xml;
  link: Xml;
  id: string;
  author: { name: string };
}

describe('feeds are well-formed for any recorded text, and link only to the public base URL', () => {
  let api: TestApp;
  const session = id('feed-session');
  const other = id('feed-other-session');
  const commitment = id('feed-promise');
  const sibling = id('feed-sibling');
  const team = hostile('team');

  beforeAll(async () => {
    api = await startTestApp({ publicBaseUrl: BASE });
    const recorded = (sessionId: string, title: string): SessionEvent => ({
      type: 'SessionRecorded',
      data: {
        sessionId,
        date: '2020-12-10',
        title,
        kind: 'office_hour',
        hosts: [{ name: 'Host', role: null }],
        sourceUrl: 'https://example.org/n',
      },
    });
    await api.store.append(
      sessionStreamId(session),
      [event(recorded(session, hostile('title')), '2020-12-10T00:00:00.000Z')],
      'no_stream',
    );
    await api.store.append(
      sessionStreamId(other),
      [event(recorded(other, 'Another session'), '2020-12-10T00:00:00.000Z')],
      'no_stream',
    );
    await api.store.append(
      sessionStreamId(session),
      [
        event({
          type: 'SessionCorrected',
          data: { changes: { title: hostile('new title') }, reason: hostile('session reason') },
        }),
      ],
      0,
    );
    await api.store.append(
      sessionStreamId(other),
      [event({ type: 'SessionCorrected', data: { changes: { title: 'Other, corrected' }, reason: 'typo' } })],
      0,
    );
    const made = (commitmentId: string, summary: string, ownerTeam: string): CommitmentEvent => ({
      type: 'CommitmentMade',
      data: {
        commitmentId,
        sessionId: session,
        sessionDate: '2020-12-10',
        speaker: { name: hostile('speaker'), role: null },
        ownerTeam,
        topics: ['t'],
        summary,
        quote: hostile('quote'),
        target: { asSaid: calendarHostile, latestDate: '2031-02-28' },
        strength: 'plan',
      },
    });
    await api.store.append(
      commitmentStreamId(commitment),
      [
        event(made(commitment, hostile('summary'), team)),
        event({ type: 'ProgressReported', data: { note: hostile('progress'), evidence: [] } }),
        event({ type: 'CommitmentCorrected', data: { changes: { quote: hostile('new quote') }, reason: hostile('reason') } }),
      ],
      'no_stream',
    );
    await api.store.append(
      commitmentStreamId(sibling),
      [
        event(made(sibling, calendarHostile, `Team ${run}`)),
        event({ type: 'CommitmentCorrected', data: { changes: { quote: 'Sibling quote' }, reason: 'sibling fix' } }),
      ],
      'no_stream',
    );
    // The projector follows the log: wait until the feeds show what was appended.
    for (let attempt = 0; ; attempt++) {
      const [changes, calendar, corrections] = await Promise.all([
        api.http.get('/feeds/changes.atom').query({ commitment }),
        api.http.get('/feeds/targets.ics').query({ team: `Team ${run}` }),
        api.http.get('/corrections').query({ commitment: sibling }),
      ]);
      const entries = changes.text.split('<entry>').length - 1;
      if (entries === 3 && calendar.text.includes('BEGIN:VEVENT') && corrections.body.total === 1) break;
      if (attempt > 100) throw new Error('the projector did not catch up');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  const feed = async (path: string, query: object = {}, host?: string) => {
    const call = api.http.get(path).query(query);
    if (host) call.set('Host', host).set('X-Forwarded-Host', host).set('X-Forwarded-Proto', 'gopher');
    const response = await call.expect(200).expect('Content-Type', /application\/atom\+xml/);
    // Strict: any CDATA break-out, stray markup or forbidden character fails here.
    expect(XMLValidator.validate(response.text, { allowBooleanAttributes: false })).toBe(true);
    for (const character of FORBIDDEN) expect(response.text).not.toContain(character);
    const parsed = parser.parse(response.text) as { feed: Xml & { entry?: Entry | Entry[] } };
    const names = elementNames(parsed);
    for (const element of ['script', 'img', 'svg'])
      expect({ path, query, element: names.has(element) }).toEqual({ path, query, element: false });
    return { text: response.text, feed: parsed.feed, entries: list(parsed.feed.entry) };
  };

  const expectText = (node: Xml) => expect(node['@_type']).toBe('text');

  it('the changes feed, with each filter, carries hostile text as text that round-trips', async () => {
    for (const query of [{}, { commitment }, { team }, { session }]) {
      const { entries } = await feed('/feeds/changes.atom', query);
      for (const entry of entries) {
        expectText(entry.title);
        expectText(entry.summary);
      }
      if (Object.keys(query).length === 0) continue; // the unfiltered feed is everyone's latest 50
      const ours = entries.filter((entry) => entry.link['@_href'] === `${BASE}/commitments/${commitment}`);
      expect({ query, entries: ours.length }).toEqual({ query, entries: 3 });
      const summaries = ours.map((entry) => textOf(entry.summary));
      expect(summaries).toContain(`Progress: ${shown('progress')}`);
      expect(ours.map((entry) => textOf(entry.title)).some((title) => title.startsWith(`${shown('summary')}: `))).toBe(true);
      expect(ours[0]!.author.name).toBe(shown('actor'));
    }
  });

  it('the corrections feed carries hostile text as text that round-trips', async () => {
    const { entries } = await feed('/corrections.atom');
    for (const entry of entries) {
      expectText(entry.title);
      expectText(entry.summary);
    }
    const ours = entries.find((entry) => entry.link['@_href'] === `${BASE}/commitments/${commitment}`);
    expect(textOf(ours?.title)).toBe(`Corrected quote of ${shown('summary')}`);
    expect(textOf(ours?.summary)).toBe(`quote: “${shown('quote')}” → “${shown('new quote')}”. Why: ${shown('reason')}`);
    const sessionEntry = entries.find((entry) => entry.link['@_href'] === `${BASE}/sessions/${session}`);
    expect(textOf(sessionEntry?.title)).toBe(`Corrected title of ${shown('new title')}`);
  });

  it('/corrections.atom honours ?commitment= and ?session= as /corrections does', async () => {
    const one = await feed('/corrections.atom', { commitment });
    expect(one.entries.map((entry) => entry.link['@_href'])).toEqual([`${BASE}/commitments/${commitment}`]);
    const sessionOnly = await feed('/corrections.atom', { session });
    expect(sessionOnly.entries.map((entry) => entry.link['@_href'])).toEqual([`${BASE}/sessions/${session}`]);
    const selfOf = (document: Xml) => list(document.link as Xml | Xml[]).find((link) => link['@_rel'] === 'self')?.['@_href'];
    expect(selfOf(one.feed)).toBe(`${BASE}/corrections.atom?commitment=${commitment}`);
    expect(selfOf(sessionOnly.feed)).toBe(`${BASE}/corrections.atom?session=${session}`);
    const bad = await api.http.get('/corrections.atom').query({ commitment: 'Not An Id!' }).expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/commitment/);
  });

  it('a filtered corrections page links to its filtered feed', async () => {
    const page = await api.http.get('/corrections').query({ commitment }).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain(`href="/corrections.atom?commitment=${commitment}"`);
  });

  it('links come from PUBLIC_BASE_URL, never from the Host header', async () => {
    const feeds: [string, object][] = [
      ['/feeds/changes.atom', {}],
      ['/feeds/changes.atom', { commitment }],
      ['/corrections.atom', {}],
      ['/corrections.atom', { session }],
    ];
    for (const [path, query] of feeds) {
      const { text, feed: document, entries } = await feed(path, query, 'evil.example');
      expect(text).not.toContain('evil.example');
      expect(text).not.toContain('gopher');
      const hrefs = [...list(document.link as Xml | Xml[]), ...entries.map((entry) => entry.link)].map((link) => link['@_href']);
      for (const href of [document.id, ...entries.map((entry) => entry.id), ...hrefs])
        expect(String(href).startsWith(`${BASE}/`)).toBe(true);
    }
    const calendar = await api.http
      .get('/feeds/targets.ics')
      .query({ commitment })
      .set('Host', 'evil.example')
      .set('X-Forwarded-Host', 'evil.example')
      .expect(200);
    expect(calendar.text).not.toContain('evil.example');
    const events = new ICAL.Component(ICAL.parse(calendar.text)).getAllSubcomponents('vevent');
    expect(events.map((vevent) => vevent.getFirstPropertyValue('url'))).toEqual([`${BASE}/commitments/${commitment}`]);
  });

  it('the iCalendar feed keeps newlines, semicolons and commas inside their property', async () => {
    const response = await api.http
      .get('/feeds/targets.ics')
      .query({ team: `Team ${run}` })
      .expect(200)
      .expect('Content-Type', /text\/calendar/);
    const calendar = new ICAL.Component(ICAL.parse(response.text));
    const vevents = calendar.getAllSubcomponents('vevent');
    expect(vevents).toHaveLength(1);
    const vevent = vevents[0]!;
    const names = vevent.getAllProperties().map((property) => property.name);
    expect(names.filter((name) => name === 'dtstart')).toHaveLength(1);
    expect(names).not.toContain('attendee');
    const one = new ICAL.Event(vevent);
    // A line break stays a line break (iCalendar has one kind: CRLF becomes LF).
    const asText = calendarHostile.replace('\r\n', '\n');
    expect(one.summary).toBe(`Due: ${asText}`);
    expect(one.startDate.toString()).toBe('2031-02-28');
    expect(one.description).toContain(asText);
    expect(one.uid).toBe(`${sibling}@commitment-tracker`);

    const hostileCalendar = await api.http.get('/feeds/targets.ics').query({ commitment }).expect(200);
    for (const character of FORBIDDEN) expect(hostileCalendar.text).not.toContain(character);
    const parsed = new ICAL.Event(new ICAL.Component(ICAL.parse(hostileCalendar.text)).getFirstSubcomponent('vevent')!);
    expect(parsed.summary).toBe(`Due: ${shown('summary')}`);
  });
});
