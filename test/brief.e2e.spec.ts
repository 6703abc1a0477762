import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { XMLParser } from 'fast-xml-parser';
import ICAL from 'ical.js';
import { commitmentStreamId } from '#governance';
import { startTestApp, type TestApp } from './support/test-app.js';

const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const HTML = { Accept: 'text/html' };
const FORM = 'application/x-www-form-urlencoded';
// The upcoming session is today, 2022-08-18: with six months, news from 2022-02-18 on is recent.
const NOW = '2022-08-18T12:00:00.000Z';
const clock = { now: () => new Date(NOW) };
const day = (date: string) => `${date}T00:00:00Z`;
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

interface Item {
  id: string;
  section: string;
  reasons: string[];
  askAbout: string;
  lastNews: { on: string; text: string } | null;
}
interface Team {
  name: string;
  open: number;
  sections: { key: string; items: Item[] }[];
}

describe('the pre-session brief: per team, what to ask about, from the event history', () => {
  let api: TestApp;
  let editor: string;
  let position = '';
  const trust = `Trust ${run}`;
  const legal = `Legal ${run}`;
  const other = `Other ${run}`;
  const [first, second, last] = [id('oh-2020'), id('oh-2021'), id('oh-2022')];
  const c = {
    overdue: id('overdue'),
    dueSoon: id('due-soon'),
    slipped: id('slipped'),
    stale: id('stale'),
    changed: id('changed'),
    revisited: id('revisited'),
    open: id('open'),
    deliveredSince: id('delivered-since'),
    deliveredBefore: id('delivered-before'),
    legal: id('legal'),
    otherTeam: id('other-team'),
  };
  const hostile = 'Legal <b>review</b> & "checks" </nowiki>[[Spam]]';

  const post = async (path: string, body: object) => {
    const response = await api.http.post(path).set(bearer(editor)).send(body);
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    position = response.body.position;
    return response.body;
  };
  const get = (path: string, query: Record<string, string | string[]> = {}) =>
    api.http.get(path).query({ minPosition: position, ...query });
  const make = (cid: string, sessionId: string, target: object | null, team = trust, speaker = 'Maggie Dennis') =>
    post('/commitments', {
      id: cid,
      sessionId,
      speaker: { name: speaker, role: null },
      ownerTeam: team,
      topics: ['UCoC'],
      summary: cid === c.legal ? hostile : `Summary of ${cid}`,
      quote: 'We will.',
      target,
      strength: 'plan',
    });
  const upcoming = { date: '2022-08-18', host: 'Maggie Dennis', team: legal };

  beforeAll(async () => {
    // A database of its own: the brief reads the whole record (the sessions before and after), so
    // other specs' sessions on a shared server would change what it finds.
    api = await startTestApp({ database: { kind: 'embedded', dataDir: 'memory://' } }, { clock });
    editor = await api.token('ana', 'editor');
    for (const [sid, date] of [
      [first, '2020-12-10'],
      [second, '2021-06-10'],
      [last, '2022-05-05'],
    ] as const) {
      await post('/sessions', {
        id: sid,
        date,
        title: `Office hours ${date}`,
        kind: 'office_hour',
        hosts: [{ name: 'Maggie Dennis' }],
        sourceUrl: 'https://meta.wikimedia.org/wiki/Office_hours',
      });
    }
    await make(c.overdue, first, { asSaid: 'by June 2021', latestDate: '2021-06-30' });
    await post(`/commitments/${c.overdue}/progress`, { note: 'Drafting the policy', occurredAt: day('2022-05-01') });
    await make(c.dueSoon, first, { asSaid: 'September or October 2022', earliestDate: '2022-09-01', latestDate: '2022-10-31' });
    await make(c.slipped, first, { asSaid: 'by March 2021', latestDate: '2021-03-31' });
    await post(`/commitments/${c.slipped}/retarget`, {
      newTarget: { asSaid: 'by mid-2023', latestDate: '2023-06-30' },
      reason: 'Translations',
      occurredAt: day('2021-03-01'),
    });
    await make(c.stale, first, null);
    await make(c.changed, first, { asSaid: 'by 2024', latestDate: '2024-12-31' });
    await post(`/commitments/${c.changed}/progress`, { note: 'Pilot started in two wikis', occurredAt: day('2022-07-01') });
    await make(c.revisited, first, null);
    await post(`/commitments/${c.revisited}/revisits`, { sessionId: last, statement: 'Still being worked on' });
    await make(c.open, first, { asSaid: 'by the end of 2025', latestDate: '2025-12-31' });
    await post(`/commitments/${c.open}/progress`, { note: 'Hiring', occurredAt: day('2022-03-01') });
    await make(c.deliveredSince, first, { asSaid: 'by July 2022', latestDate: '2022-07-31' });
    await post(`/commitments/${c.deliveredSince}/delivery`, {
      completeness: 'full',
      note: 'Published',
      occurredAt: day('2022-06-01'),
    });
    await make(c.deliveredBefore, first, { asSaid: 'by March 2021', latestDate: '2021-03-31' });
    await post(`/commitments/${c.deliveredBefore}/delivery`, {
      completeness: 'full',
      note: 'Done',
      occurredAt: day('2021-01-01'),
    });
    await make(c.legal, second, { asSaid: 'by the end of 2021', latestDate: '2021-12-31' }, legal, 'Someone Else');
    await make(c.otherTeam, first, { asSaid: 'by 2021', latestDate: '2021-12-31' }, other, 'Someone Else');
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  const sectionsOf = (team: Team) =>
    Object.fromEntries(team.sections.filter((s) => s.items.length).map((s) => [s.key, s.items.map((item) => item.id)]));

  it('places each commitment in its section, per team, with its last news and a question (JSON)', async () => {
    const { body } = await get('/brief', upcoming).expect(200);
    expect(body).toMatchObject({
      date: '2022-08-18',
      hosts: ['Maggie Dennis'],
      sessionId: null,
      lastSession: { id: last, date: '2022-05-05' },
      // Gaps of 182 and 329 days: the median, 256 days after the session.
      nextLikelySession: '2023-05-01',
      nextLikelyFrom: 'usual_gap',
      staleSince: '2022-02-18',
    });
    // The host's team (from the commitments she made) and the team asked for; no other.
    expect((body.teams as Team[]).map((team) => team.name).sort()).toEqual([legal, trust].sort());
    const trustTeam = (body.teams as Team[]).find((team) => team.name === trust)!;
    expect(trustTeam.open).toBe(7);
    expect(sectionsOf(trustTeam)).toEqual({
      overdue: [c.overdue],
      due_before_next: [c.dueSoon],
      slipped: [c.slipped],
      stale: [c.stale],
      changed: [c.deliveredSince, c.changed],
      revisited: [c.revisited],
      open: [c.open],
    });
    const items = trustTeam.sections.flatMap((section) => section.items);
    const item = (cid: string) => items.find((one) => one.id === cid)!;
    // Every section it qualifies for, the first of them where it is listed.
    expect(item(c.dueSoon).reasons).toEqual(['due_before_next', 'stale', 'open']);
    expect(item(c.slipped).reasons).toEqual(['slipped', 'stale', 'open']);
    expect(item(c.deliveredSince).reasons).toEqual(['changed']);
    expect(item(c.overdue).lastNews).toMatchObject({ on: '2022-05-01', text: 'Progress: Drafting the policy' });
    expect(item(c.overdue).askAbout).toBe(
      'Its target, by June 2021 (by 30 Jun 2021), passed 414 days before the session: is it still coming, and by when?',
    );
    expect(item(c.stale).askAbout).toBe('No news since 10 Dec 2020: where does it stand?');
    expect(item(c.slipped).askAbout).toBe('Its target moved later once, now by mid-2023 (by 30 Jun 2023): does this date hold?');
    expect(item(c.revisited).askAbout).toBe('Asked about in one session already and still open: what is left, and when?');
    expect(item(c.revisited).lastNews).toMatchObject({ on: '2022-05-05', text: 'Revisited: Still being worked on' });
    expect(items.map((one) => one.id)).not.toContain(c.deliveredBefore);

    const legalTeam = (body.teams as Team[]).find((team) => team.name === legal)!;
    expect(sectionsOf(legalTeam)).toEqual({ overdue: [c.legal] });
    expect(body.links.wikitext).toBe(
      `/brief/wikitext?date=2022-08-18&host=Maggie+Dennis&team=${encodeURIComponent(legal).replace(/%20/g, '+')}`,
    );
  });

  it('says the same on its page, escaped, each item under its section heading; and a printable view', async () => {
    const html = (await get('/brief', upcoming).set(HTML).expect(200)).text;
    expect(html).toContain('<h1>Pre-session brief: <time datetime="2022-08-18">18 Aug 2022</time></h1>');
    const sectionOf = (cid: string) => {
      const at = html.indexOf(`id="item-${cid}"`);
      expect(at).toBeGreaterThan(0);
      const sections = [...html.slice(0, at).matchAll(/data-section="([a-z_]+)"/g)];
      return sections.at(-1)?.[1];
    };
    expect(sectionOf(c.overdue)).toBe('overdue');
    expect(sectionOf(c.dueSoon)).toBe('due_before_next');
    expect(sectionOf(c.changed)).toBe('changed');
    expect(sectionOf(c.revisited)).toBe('revisited');
    expect(html).toContain('<h3 id="team-1-changed">Changed since the last session (2)</h3>');
    expect(html).toContain(
      '<strong>Last news:</strong> <time datetime="2022-07-01">2022-07-01</time>: Progress: Pilot started in two wikis',
    );
    expect(html).toContain('<strong>Ask about:</strong> No news since 10 Dec 2020: where does it stand?');
    expect(html).toContain('Legal &lt;b&gt;review&lt;/b&gt; &amp; &quot;checks&quot; &lt;/nowiki&gt;[[Spam]]');
    expect(html).not.toContain('<b>review</b>');
    expect(html).toContain(
      '<span class="status status-announced">Announced</span> <span class="status status-overdue">Overdue</span>',
    );

    expect(html).toContain(
      `<a href="/feeds/targets.ics?team=${encodeURIComponent(trust)}">This team’s target dates (iCalendar)</a>`,
    );
    expect(html).toContain(`href="/staff/brief?date=2022-08-18&amp;host=Maggie+Dennis&amp;team=`);

    // Without a day: a form to choose the session, its hosts and teams from the record.
    const form = (await api.http.get('/brief').set(HTML).expect(200)).text;
    expect(form).toContain('<form method="get" action="/brief">');
    expect(form).toContain('<input id="brief-date" name="date" type="date" value="2022-08-18" required>');
    expect(form).toContain('<option value="Maggie Dennis"></option>');
    expect(form).toContain(`value="${trust}"`);

    const print = (await get('/brief/print', upcoming).expect(200)).text;
    expect(print).toContain('<div class="brief brief-print">');
    expect(print).toContain('@media print');
    expect(print).toContain(`id="item-${c.overdue}"`);
  });

  it('gives wikitext to paste on Meta, every recorded text inside <nowiki>', async () => {
    const response = await get('/brief/wikitext', upcoming)
      .expect(200)
      .expect('Content-Type', /text\/plain/);
    const text = response.text;
    expect(text).toContain('== <nowiki>Pre-session brief: 18 Aug 2022</nowiki> ==');
    expect(text).toContain(`=== <nowiki>${trust}</nowiki> ===`);
    const block = text.slice(
      text.indexOf('==== Overdue (1) ===='),
      text.indexOf('==== Due before the next likely session (1) ===='),
    );
    expect(block).toContain(`/commitments/${c.overdue} ${c.overdue}] <nowiki>Summary of ${c.overdue}</nowiki>`);
    expect(block).toContain('** Last news: <nowiki>2022-05-01: Progress: Drafting the policy</nowiki>');
    expect(block).toContain('** Ask about: <nowiki>Its target, by June 2021 (by 30 Jun 2021), passed 414 days');
    expect(text).toContain('<nowiki>Legal &lt;b&gt;review&lt;/b&gt; &amp; "checks" &lt;/nowiki&gt;[[Spam]]</nowiki>');
  });

  it('refuses a brief with no day, a bad day, an unknown session and a next session before it, naming the field', async () => {
    const refused = async (query: Record<string, string>, status: number, field: string) => {
      const { body } = await api.http.get('/brief').query(query).expect(status);
      expect(JSON.stringify(body)).toContain(field);
    };
    await refused({}, 400, 'date');
    await refused({ date: '2022-02-30' }, 400, 'date');
    await refused({ date: '2022-08-18', next: '2022-08-01' }, 400, 'next');
    await refused({ session: 'no-such-session' }, 404, 'no-such-session');
    await refused({ date: '2022-08-18', unknown: 'x' }, 400, 'unknown');
  });

  it('announces the brief in an Atom feed and a calendar entry', async () => {
    const atom = await get('/feeds/brief.atom', upcoming)
      .expect(200)
      .expect('Content-Type', /atom\+xml/);
    const feed = new XMLParser({ ignoreAttributes: false }).parse(atom.text).feed;
    const entry = Array.isArray(feed.entry) ? feed.entry[0] : feed.entry;
    expect(entry.title['#text']).toBe('Brief for the session on 18 Aug 2022: 9 commitments to ask about');
    expect(entry.link['@_href']).toContain('/brief?date=2022-08-18&host=Maggie+Dennis');
    // When the tracker last learned something about one of its commitments.
    expect(entry.updated).toBe(NOW);

    const ics = await get('/feeds/brief.ics', upcoming)
      .expect(200)
      .expect('Content-Type', /text\/calendar/);
    const [event] = new ICAL.Component(ICAL.parse(ics.text)).getAllSubcomponents('vevent').map((one) => new ICAL.Event(one));
    expect(event!.startDate.toString()).toBe('2022-08-18');
    expect(event!.endDate.toString()).toBe('2022-08-19');
    expect(event!.summary).toBe('Session brief: 9 commitments to ask about');
    expect(event!.description).toContain(`${trust}: 7 open, 1 overdue`);
    // Another brief of the same day (other teams) is another event.
    const otherIcs = await get('/feeds/brief.ics', { date: '2022-08-18', host: 'Maggie Dennis' }).expect(200);
    const [otherEvent] = new ICAL.Component(ICAL.parse(otherIcs.text))
      .getAllSubcomponents('vevent')
      .map((one) => new ICAL.Event(one));
    expect(otherEvent!.uid).not.toBe(event!.uid);
  });

  it('lets staff record the session from the brief, then offers its items first as revisit targets', async () => {
    const browser = request.agent(api.app.getHttpServer());
    const query = new URLSearchParams({ ...upcoming }).toString();
    const signInPage = await browser.get(`/staff/sign-in?returnTo=${encodeURIComponent(`/staff/brief?${query}`)}`).set(HTML);
    const signedIn = await browser
      .post('/staff/sign-in')
      .type(FORM)
      .send({ _csrf: csrfOf(signInPage.text), token: editor, returnTo: `/staff/brief?${query}` });
    expect(signedIn.status).toBe(303);
    const staffPage = (await browser.get(`/staff/brief?${query}`).set(HTML).expect(200)).text;
    expect(staffPage).toContain('action="/staff/new/session"');
    expect(staffPage).toContain('<input id="session-date" name="date" type="date" value="2022-08-18" required>');
    expect(staffPage).toMatch(/<textarea id="session-hosts" name="hosts" rows="3" required[^>]*>Maggie Dennis<\/textarea>/);

    const sessionId = `session-2022-08-18-${run}`;
    const recorded = await browser
      .post('/staff/new/session')
      .type(FORM)
      .send({
        _csrf: csrfOf(staffPage),
        title: 'Office hours 2022-08-18',
        date: '2022-08-18',
        kind: 'office_hour',
        hosts: 'Maggie Dennis',
        sourceUrl: 'https://meta.wikimedia.org/wiki/Office_hours',
        id: sessionId,
      });
    expect(recorded.status).toBe(303);
    position = decodeURIComponent(/minPosition=([^&#]+)/.exec(recorded.headers.location as string)![1]!);

    // The recorded session's brief is the upcoming one's: same day, same host, so the same teams' items.
    const { body } = await get('/brief', { session: sessionId }).expect(200);
    expect(body).toMatchObject({ sessionId, date: '2022-08-18', lastSession: { id: last } });

    // The team named for the brief goes along; the host's team is found again from the session's hosts.
    expect(staffPage).toContain(
      `href="/staff/brief/revisits?session=session-2022-08-18&amp;team=${encodeURIComponent(legal).replace(/%20/g, '+')}"`,
    );
    const revisits = (
      await browser
        .get('/staff/brief/revisits')
        .query({ session: sessionId, team: legal, minPosition: position })
        .set(HTML)
        .expect(200)
    ).text;
    const offered = [...revisits.matchAll(/<li id="revisit-([a-z0-9-]+)">/g)].map((match) => match[1]);
    // Most pressing first: the overdue ones of every team, then due, slipped, stale, changed, revisited, open.
    expect(offered).toEqual([
      c.legal,
      c.overdue,
      c.dueSoon,
      c.slipped,
      c.stale,
      c.deliveredSince,
      c.changed,
      c.revisited,
      c.open,
    ]);
    expect(revisits).toContain(`action="/staff/commitments/${c.overdue}/revisit"`);
    expect(revisits).toContain(`<option value="${sessionId}" selected>`);
    const ids = [...revisits.matchAll(/ id="([^"]+)"/g)].map((match) => match[1]);
    expect(new Set(ids).size).toBe(ids.length);

    // The offered form records the revisit through the commitment's own form route.
    const saved = await browser
      .post(`/staff/commitments/${c.overdue}/revisit`)
      .type(FORM)
      .send({
        _csrf: csrfOf(revisits),
        sessionId,
        statement: 'Will be published next month',
      });
    expect(saved.status).toBe(303);
    const events = await api.store.readStream(commitmentStreamId(c.overdue));
    expect(events.at(-1)).toMatchObject({
      type: 'CommitmentRevisited',
      data: { sessionId, statement: 'Will be published next month' },
    });
  });
});
