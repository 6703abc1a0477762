import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import ICAL from 'ical.js';
import { commitmentStreamId, sessionStreamId } from '#governance';
import { READ_SQL, type ReadSql } from '#storage';
import { startTestApp, type TestApp } from './support/test-app.js';
import { FORM, HTML, csrfOf, fieldError, signedInBrowser } from './support/staff-forms.js';
import { ownDatabase } from './support/own-database.js';

const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
// The tracker's clock moves: sessions are announced before their day, and recorded once it has come.
let now = '2022-08-10T12:00:00.000Z';
const clock = { now: () => new Date(now) };

interface Entry {
  id: string;
  title: { '#text': string };
  link: { '@_href': string };
  summary: { '#text': string };
  category: { '@_term': string };
}

describe('announcing a session before its day, its brief, feed and calendar entries, then recording it as held', () => {
  let api: TestApp;
  let editor: string;
  let staff: string;
  let position = '';
  const team = `Trust ${run}`;
  const host = `Maggie ${run}`;
  const before = id('oh-before');
  const overdue = id('overdue');
  const upcoming = id('ch-upcoming');
  const cancelled = id('ch-cancelled');
  const hostile = `Conversation <b>hour</b> & "friends" ${run}`;

  const post = async (path: string, body: object, token = editor, headers: Record<string, string> = {}) => {
    const response = await api.http.post(path).set(bearer(token)).set(headers).send(body);
    if (response.body?.position) position = response.body.position;
    return response;
  };
  const get = (path: string, query: Record<string, string | string[]> = {}) =>
    api.http.get(path).query({ minPosition: position, ...query });
  const types = async (sessionId: string) => (await api.store.readStream(sessionStreamId(sessionId))).map((event) => event.type);
  const plan = {
    id: upcoming,
    date: '2022-08-18',
    title: hostile,
    hosts: [{ name: host, role: 'Vice President' }],
    teams: [team],
  };

  beforeAll(async () => {
    api = await startTestApp({}, { clock });
    editor = await api.token(id('editor'), 'editor');
    staff = await api.token(id('staff'), 'staff');
    await post('/sessions', {
      id: before,
      date: '2022-05-05',
      title: 'Office hours',
      kind: 'office_hour',
      hosts: [{ name: host }],
      sourceUrl: 'https://meta.wikimedia.org/wiki/Office_hours',
    }).then((response) => expect(response.status).toBe(201));
    await post('/commitments', {
      id: overdue,
      sessionId: before,
      speaker: { name: host, role: null },
      ownerTeam: team,
      topics: ['UCoC'],
      summary: 'Publish the enforcement guidelines',
      quote: 'We will publish them by July.',
      target: { asSaid: 'by July 2022', latestDate: '2022-07-31' },
      strength: 'plan',
    }).then((response) => expect(response.status).toBe(201));
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  describe('POST /sessions/upcoming', () => {
    it('refuses what is not a plan, naming the field, and writes nothing', async () => {
      const refused = async (body: object, status: number, field: RegExp) => {
        const response = await post('/sessions/upcoming', { ...plan, ...body });
        expect(response.status).toBe(status);
        expect(JSON.stringify(response.body)).toMatch(field);
      };
      await refused({ title: '' }, 400, /title/);
      await refused({ date: '2022-02-30' }, 400, /"field":"date"/);
      await refused({ hosts: [] }, 400, /hosts/);
      await refused({ teams: [''] }, 400, /teams/);
      await refused({ teams: 'Legal' }, 400, /teams/);
      await refused({ kind: 'office_hour' }, 400, /kind/);
      // A day passed is a session to record, not to announce.
      await refused({ date: '2022-08-09' }, 422, /scheduled before its day: 2022-08-09 has passed/);
      expect(await types(upcoming)).toEqual([]);
    });

    it('needs a token with the editor role', async () => {
      await api.http.post('/sessions/upcoming').send(plan).expect(401);
      const asStaff = await post('/sessions/upcoming', plan, staff);
      expect(asStaff.status).toBe(403);
      expect(await types(upcoming)).toEqual([]);
    });

    it('appends SessionScheduled once, whatever the retries with one Idempotency-Key, and points at its brief', async () => {
      const key = { 'Idempotency-Key': id('schedule') };
      const first = await post('/sessions/upcoming', plan, editor, key);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ id: upcoming, revision: 0, events: ['SessionScheduled'] });
      expect(first.headers.location).toBe(`/brief?session=${upcoming}`);
      const again = await post('/sessions/upcoming', plan, editor, key);
      expect(again.body).toEqual(first.body);
      const events = await api.store.readStream(sessionStreamId(upcoming));
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'SessionScheduled',
        data: { sessionId: upcoming, date: '2022-08-18', title: hostile, hosts: plan.hosts, teams: [team] },
        metadata: { occurredAt: now, schemaVersion: 1 },
      });
      // Announced again under the same id: refused.
      const twice = await post('/sessions/upcoming', plan);
      expect(twice.status).toBe(409);
      expect(twice.body.message).toMatch(/already scheduled/);
    });

    it('reschedules with If-Match, refusing a stale one, and cancels', async () => {
      const moved = await post(
        `/sessions/${upcoming}/rescheduling`,
        { changes: { date: '2022-08-25' }, reason: 'The host moved it by a week' },
        editor,
        { 'If-Match': '"0"' },
      );
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ revision: 1, events: ['SessionRescheduled'] });
      const stale = await post(`/sessions/${upcoming}/rescheduling`, { changes: { date: '2022-08-26' }, reason: 'x' }, editor, {
        'If-Match': '"0"',
      });
      expect(stale.status).toBe(412);
      const nothing = await post(`/sessions/${upcoming}/rescheduling`, { changes: {}, reason: 'x' });
      expect(nothing.status).toBe(400);
      expect(JSON.stringify(nothing.body)).toContain('changes');
      const missing = await post(`/sessions/${id('nowhere')}/cancellation`, { reason: 'x' });
      expect(missing.status).toBe(404);

      expect((await post('/sessions/upcoming', { ...plan, id: cancelled, title: 'Board Q&A' })).status).toBe(201);
      const off = await post(`/sessions/${cancelled}/cancellation`, { reason: 'Host unavailable' });
      expect(off.status).toBe(200);
      expect(await types(cancelled)).toEqual(['SessionScheduled', 'SessionCancelled']);
      expect((await post(`/sessions/${cancelled}/cancellation`, { reason: 'again' })).status).toBe(409);
    });

    it('projects each announced session into the sessions read model, and none into the recorded sessions', async () => {
      await get('/sessions').expect(200);
      const sql = api.app.get<ReadSql>(READ_SQL);
      const rows = await sql<{ session_id: string; date: string; status: string; teams: string[]; revision: number }>(
        `select session_id, to_char(date, 'YYYY-MM-DD') as date, status, teams, revision from upcoming_sessions
          where session_id = any($1) order by session_id`,
        [[upcoming, cancelled]],
      );
      expect(rows).toEqual([
        { session_id: cancelled, date: '2022-08-18', status: 'cancelled', teams: [team], revision: 1 },
        { session_id: upcoming, date: '2022-08-25', status: 'scheduled', teams: [team], revision: 1 },
      ]);
      expect((await sql('select 1 from sessions where session_id = $1', [upcoming])).length).toBe(0);
      await get(`/sessions/${upcoming}`).expect(404);
    });

    it('lists announced sessions at /upcoming-sessions (JSON and page), filtered by status, each with its brief', async () => {
      const all = await get('/upcoming-sessions').expect(200);
      expect(all.headers['cache-control']).toBe('no-store');
      expect(all.headers['x-read-position']).toBeDefined();
      const mine = (body: { id: string }[]) => body.filter((one) => [upcoming, cancelled].includes(one.id));
      expect(mine(all.body)).toEqual([
        {
          id: upcoming,
          date: '2022-08-25',
          title: hostile,
          hosts: plan.hosts,
          teams: [team],
          status: 'scheduled',
          cancelReason: null,
          revision: 1,
          lastChangedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          brief: `/brief?session=${upcoming}`,
          record: null,
        },
        expect.objectContaining({ id: cancelled, date: '2022-08-18', status: 'cancelled', cancelReason: 'Host unavailable' }),
      ]);
      const toCome = await get('/upcoming-sessions', { status: 'scheduled' }).expect(200);
      expect(mine(toCome.body).map((one) => one.id)).toEqual([upcoming]);
      const called = await get('/upcoming-sessions', { status: 'cancelled' }).expect(200);
      expect(mine(called.body).map((one) => one.id)).toEqual([cancelled]);
      const wrong = await get('/upcoming-sessions', { status: 'upcoming' }).expect(400);
      expect(JSON.stringify(wrong.body)).toContain('status');

      // Without minPosition, a public answer like every list read: short Cache-Control, an ETag, 304 on a match.
      const open = await api.http.get('/upcoming-sessions').expect(200);
      expect(open.headers['cache-control']).toBe('public, max-age=5, stale-while-revalidate=30');
      expect(open.headers.etag).toMatch(/^W\/"/);
      await api.http.get('/upcoming-sessions').set('If-None-Match', open.headers.etag!).expect(304);

      const page = (await get('/upcoming-sessions').set(HTML).expect(200)).text;
      expect(page).toContain('<h1>Announced sessions</h1>');
      expect(page).toContain(
        `<a href="/brief?session=${upcoming}">Conversation &lt;b&gt;hour&lt;/b&gt; &amp; &quot;friends&quot; ${run}</a>`,
      );
      expect(page).not.toContain('<b>hour</b>');
      expect(page).toContain(`<a href="/follow?kind=session&amp;value=${upcoming}">Follow by email</a>`);
      expect(page).toContain('cancelled (Host unavailable)');
      // Documented with its DTOs: the status filter, minPosition and the answer's shape.
      const { body: document } = await api.http.get('/api/openapi.json').expect(200);
      const listing = document.paths['/upcoming-sessions'].get;
      expect(listing.parameters).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            name: 'status',
            in: 'query',
            schema: expect.objectContaining({ enum: ['scheduled', 'held', 'cancelled'] }),
          }),
          expect.objectContaining({ name: 'minPosition', in: 'query' }),
        ]),
      );
      expect(listing.responses['200'].content['application/json'].schema).toEqual({
        type: 'array',
        items: { $ref: '#/components/schemas/UpcomingSessionDto' },
      });
      expect(Object.keys(document.components.schemas.UpcomingSessionDto.properties)).toEqual(Object.keys(all.body[0]));
      // Found from where people look: the sessions list and the page that chooses a brief.
      expect((await get('/sessions').set(HTML).expect(200)).text).toContain('<a href="/upcoming-sessions">');
      expect((await get('/brief').set(HTML).expect(200)).text).toContain('<a href="/upcoming-sessions">');
    });
  });

  describe('its brief, feed entry and calendar entry', () => {
    it('briefs the announced session by its id: its day, hosts and named teams (JSON, page, print, wikitext)', async () => {
      const { body } = await get('/brief', { session: upcoming }).expect(200);
      expect(body).toMatchObject({
        date: '2022-08-25',
        hosts: [host],
        sessionId: null,
        announced: { id: upcoming, title: hostile, status: 'scheduled', revision: 1 },
      });
      expect(body.teams.map((one: { name: string }) => one.name)).toEqual([team]);
      expect(body.teams[0].sections.find((one: { key: string }) => one.key === 'overdue').items[0].id).toBe(overdue);

      const page = (await get('/brief', { session: upcoming }).set(HTML).expect(200)).text;
      expect(page).toContain(`<strong>Announced:</strong> Conversation &lt;b&gt;hour&lt;/b&gt; &amp; &quot;friends&quot; ${run}`);
      expect(page).not.toContain('<b>hour</b>');
      expect(page).toContain(`id="item-${overdue}"`);
      const print = (await get('/brief/print', { session: upcoming }).expect(200)).text;
      expect(print).toContain('<div class="brief brief-print">');
      expect(print).toContain('<strong>Announced:</strong>');
      const wikitext = (await get('/brief/wikitext', { session: upcoming }).expect(200)).text;
      expect(wikitext).toContain(`Session: <nowiki>Conversation &lt;b&gt;hour&lt;/b&gt; &amp; "friends" ${run}</nowiki>.`);

      // The page that chooses a brief lists the sessions still to come.
      const choose = (await get('/brief').set(HTML).expect(200)).text;
      expect(choose).toContain(`<a href="/brief?session=${upcoming}">`);
      expect(choose).not.toContain(`<a href="/brief?session=${cancelled}">`);
      const { body: wrongDay } = await get('/brief', { session: upcoming, date: '2022-08-18' }).expect(400);
      expect(JSON.stringify(wrongDay)).toContain('date');
    });

    it('announces every announced session in an Atom feed, each linking to its brief, cancelled ones so marked', async () => {
      const atom = await get('/feeds/upcoming-sessions.atom')
        .expect(200)
        .expect('Content-Type', /atom\+xml/);
      const feed = new XMLParser({ ignoreAttributes: false }).parse(atom.text).feed;
      // The feed's page is the list of announced sessions.
      const alternate = ([] as { '@_rel': string; '@_href': string }[])
        .concat(feed.link)
        .find((one) => one['@_rel'] === 'alternate');
      expect(alternate!['@_href']).toMatch(/\/upcoming-sessions$/);
      const entries = ([] as Entry[]).concat(feed.entry ?? []);
      const of = (sessionId: string) => entries.find((entry) => entry.link['@_href'].endsWith(`/brief?session=${sessionId}`))!;
      expect(of(upcoming).title['#text']).toBe(`Upcoming: ${hostile}, 25 Aug 2022`);
      expect(of(upcoming).summary['#text']).toContain(`Hosts: ${host} (Vice President). Teams to brief: ${team}.`);
      expect(of(upcoming).category['@_term']).toBe('scheduled');
      expect(of(cancelled).title['#text']).toBe('Cancelled: Board Q&A, 18 Aug 2022');
      expect(of(cancelled).summary['#text']).toContain('Cancelled: Host unavailable');
      // Raw markup in a title is escaped text in the XML, never markup.
      expect(atom.text).not.toContain('<b>hour</b>');

      // The brief's own feed names the session too.
      const brief = new XMLParser({ ignoreAttributes: false }).parse(
        (await get('/feeds/brief.atom', { session: upcoming }).expect(200)).text,
      ).feed;
      const entry = ([] as Entry[]).concat(brief.entry)[0]!;
      expect(entry.title['#text']).toBe(`Brief for ${hostile} on 25 Aug 2022: 1 commitments to ask about`);
    });

    it('puts each announced session in a calendar: one VEVENT per session, SEQUENCE its plan’s revision, cancelled ones CANCELLED', async () => {
      const ics = await get('/feeds/upcoming-sessions.ics')
        .expect(200)
        .expect('Content-Type', /text\/calendar/);
      const events = new ICAL.Component(ICAL.parse(ics.text)).getAllSubcomponents('vevent');
      const of = (sessionId: string) =>
        events.find((one) => one.getFirstPropertyValue('uid') === `session-${sessionId}@commitment-tracker`)!;
      const scheduled = new ICAL.Event(of(upcoming));
      expect(scheduled.startDate.toString()).toBe('2022-08-25');
      expect(scheduled.endDate.toString()).toBe('2022-08-26');
      expect(scheduled.sequence).toBe(1);
      expect(scheduled.summary).toBe(`Upcoming: ${hostile}, 25 Aug 2022`);
      expect(of(upcoming).getFirstPropertyValue('status')).toBe('CONFIRMED');
      expect(of(upcoming).getFirstPropertyValue('url')).toMatch(new RegExp(`/brief\\?session=${upcoming}$`));
      expect(of(cancelled).getFirstPropertyValue('status')).toBe('CANCELLED');

      // The brief's calendar entry is the same event (same UID and SEQUENCE), with the brief's counts.
      const briefIcs = await get('/feeds/brief.ics', { session: upcoming }).expect(200);
      const [event] = new ICAL.Component(ICAL.parse(briefIcs.text))
        .getAllSubcomponents('vevent')
        .map((one) => new ICAL.Event(one));
      expect(event!.uid).toBe(`session-${upcoming}@commitment-tracker`);
      expect(event!.sequence).toBe(1);
      expect(event!.summary).toBe(`${hostile} (brief: 1 commitments to ask about)`);
      expect(event!.description).toContain(`${team}: 1 open, 1 overdue`);
    });
  });

  describe('once its day has come', () => {
    it('is not recorded as held before its day, and nothing is made in it meanwhile', async () => {
      const early = await post('/sessions', {
        id: upcoming,
        date: '2022-08-25',
        title: 'Conversation hour',
        kind: 'conversation_hour',
        hosts: [{ name: host }],
        sourceUrl: 'https://meta.wikimedia.org/wiki/Conversation_hour',
      });
      expect(early.status).toBe(422);
      expect(early.body.message).toMatch(/before it happens: 2022-08-25 is in the future/);
      const made = await post('/commitments', {
        sessionId: upcoming,
        speaker: { name: host, role: null },
        ownerTeam: team,
        topics: ['UCoC'],
        summary: 'Too early',
        quote: 'We will.',
        target: null,
        strength: 'plan',
      });
      expect(made.status).toBe(422);
      expect(await types(upcoming)).toEqual(['SessionScheduled', 'SessionRescheduled']);
    });

    it('staff record it from its brief, under its id; then what is said there is recorded against it', async () => {
      now = '2022-08-25T18:00:00.000Z';
      const browser = await signedInBrowser(api, editor);
      const staffPage = (
        await browser.get('/staff/brief').query({ session: upcoming, minPosition: position }).set(HTML).expect(200)
      ).text;
      expect(staffPage).toContain('action="/staff/new/session"');
      expect(staffPage).toContain(`name="id" type="text" value="${upcoming}"`);
      expect(staffPage).toContain('<input id="session-date" name="date" type="date" value="2022-08-25" required>');
      expect(staffPage).not.toContain('action="/staff/new/upcoming-session"');

      const recorded = await browser
        .post('/staff/new/session')
        .type(FORM)
        .send({
          _csrf: csrfOf(staffPage),
          title: 'Conversation hour',
          date: '2022-08-25',
          kind: 'conversation_hour',
          hosts: host,
          sourceUrl: 'https://meta.wikimedia.org/wiki/Conversation_hour',
          id: upcoming,
        });
      expect(recorded.status).toBe(303);
      position = decodeURIComponent(/minPosition=([^&#]+)/.exec(recorded.headers.location as string)![1]!);
      expect(await types(upcoming)).toEqual(['SessionScheduled', 'SessionRescheduled', 'SessionRecorded']);

      const { body } = await get('/brief', { session: upcoming }).expect(200);
      expect(body).toMatchObject({ sessionId: upcoming, announced: { status: 'held' } });
      // Held, it keeps the teams it was announced with.
      expect(body.teams.map((one: { name: string }) => one.name)).toEqual([team]);

      const revisit = await post(`/commitments/${overdue}/revisits`, { sessionId: upcoming, statement: 'Coming in September' });
      expect(revisit.status).toBe(200);
      const history = await api.store.readStream(commitmentStreamId(overdue));
      expect(history.at(-1)).toMatchObject({ type: 'CommitmentRevisited', data: { sessionId: upcoming } });
      const held = await get(`/sessions/${upcoming}`).expect(200);
      expect(held.body.revisited.map((entry: { commitment: { id: string } }) => entry.commitment.id)).toEqual([overdue]);

      const atom = (await get('/feeds/upcoming-sessions.atom').expect(200)).text;
      expect(atom).toContain(`Held: Conversation &lt;b&gt;hour&lt;/b&gt;`);
    });

    it('lists it as held, linking to its record', async () => {
      const { body } = await get('/upcoming-sessions', { status: 'held' }).expect(200);
      expect(body.find((one: { id: string }) => one.id === upcoming)).toMatchObject({
        status: 'held',
        record: `/sessions/${upcoming}`,
      });
      expect(body.some((one: { id: string }) => one.id === cancelled)).toBe(false);
    });
  });

  describe('announcing from the brief page (a staff form, without JavaScript)', () => {
    const day = '2022-09-20';
    const query = { date: day, host, team };

    it('offers the form with the brief’s day, hosts and teams, refuses a forged post, and announces the session', async () => {
      const browser = await signedInBrowser(api, editor);
      const staffPage = (
        await browser
          .get('/staff/brief')
          .query({ ...query, minPosition: position })
          .set(HTML)
          .expect(200)
      ).text;
      expect(staffPage).toContain('<form method="post" action="/staff/new/upcoming-session"');
      expect(staffPage).toContain(`<input id="upcoming-session-date" name="date" type="date" value="${day}" required>`);
      expect(staffPage).toMatch(new RegExp(`<textarea id="upcoming-session-teams" name="teams"[^>]*>${team}</textarea>`));
      // Not yet its day: the record form says when it can be used.
      expect(staffPage).toContain('can be recorded from this brief on or after');

      const sessionId = id('announced-from-brief');
      const values = { title: 'Conversation hour', date: day, hosts: `${host}, Vice President`, teams: team, id: sessionId };
      const forged = await browser
        .post('/staff/new/upcoming-session')
        .type(FORM)
        .send({ ...values, _csrf: 'forged' });
      expect(forged.status).toBe(403);
      const refused = await browser
        .post('/staff/new/upcoming-session')
        .type(FORM)
        .send({ ...values, _csrf: csrfOf(staffPage), date: '2022-08-01' });
      expect(refused.status).toBe(422);
      expect(fieldError(refused.text, 'upcoming-session-date')).toMatch(/2022-08-01 has passed/);
      expect(await types(sessionId)).toEqual([]);

      const announced = await browser
        .post('/staff/new/upcoming-session')
        .type(FORM)
        .send({ ...values, _csrf: csrfOf(staffPage) });
      expect(announced.status).toBe(303);
      expect(announced.headers.location).toMatch(new RegExp(`^/staff/brief\\?session=${sessionId}&minPosition=`));
      const events = await api.store.readStream(sessionStreamId(sessionId));
      expect(events.map((event) => event.data)).toEqual([
        { sessionId, date: day, title: 'Conversation hour', hosts: [{ name: host, role: 'Vice President' }], teams: [team] },
      ]);
      const after = (
        await browser
          .get(announced.headers.location as string)
          .set(HTML)
          .expect(200)
      ).text;
      expect(after).toContain('<strong>Announced:</strong> Conversation hour');
      expect(after).toContain('<p class="notice" role="status">Session announced');
      // Announced once: the page no longer offers to announce it, but to reschedule or cancel it.
      expect(after).not.toContain('action="/staff/new/upcoming-session"');
      expect(after).toContain(`action="/staff/brief/sessions/${sessionId}/reschedule"`);
      expect(after).toContain(`action="/staff/brief/sessions/${sessionId}/cancel"`);
      expect(after).toContain('<input type="hidden" name="_revision" value="0">');

      const reschedule = (body: object) =>
        browser
          .post(`/staff/brief/sessions/${sessionId}/reschedule`)
          .type(FORM)
          .send({ _csrf: csrfOf(after), _revision: '0', ...body });
      const nothing = await reschedule({ reason: 'Moved' });
      expect(nothing.status).toBe(400);
      expect(fieldError(nothing.text, 'reschedule-date')).toBe('give a new day or a new title');
      const passed = await reschedule({ date: '2022-08-01', reason: 'Moved' });
      expect(passed.status).toBe(422);
      expect(fieldError(passed.text, 'reschedule-date')).toMatch(/2022-08-01 has passed/);
      const noReason = await reschedule({ date: '2022-09-27', reason: '' });
      expect(noReason.status).toBe(400);
      expect(fieldError(noReason.text, 'reschedule-reason')).toMatch(/empty/);
      const moved = await reschedule({ date: '2022-09-27', reason: 'The host moved it by a week' });
      expect(moved.status).toBe(303);
      const stale = await reschedule({ title: 'Another title', reason: 'Renamed' });
      expect(stale.status).toBe(409);
      expect(stale.text).toContain('Someone changed this session after you opened the page.');

      const cancel = await browser
        .post(`/staff/brief/sessions/${sessionId}/cancel`)
        .type(FORM)
        .send({ _csrf: csrfOf(after), _revision: '1', reason: 'Host unavailable' });
      expect(cancel.status).toBe(303);
      expect((await api.store.readStream(sessionStreamId(sessionId))).map((event) => [event.type, event.data])).toEqual([
        ['SessionScheduled', events[0]!.data],
        ['SessionRescheduled', { changes: { date: '2022-09-27' }, reason: 'The host moved it by a week' }],
        ['SessionCancelled', { reason: 'Host unavailable' }],
      ]);
      const offPage = (
        await browser
          .get(cancel.headers.location as string)
          .set(HTML)
          .expect(200)
      ).text;
      expect(offPage).toContain('<strong>Cancelled:</strong> Conversation hour (Host unavailable)');
      expect(offPage).toContain('This session was cancelled: nothing is recorded from its brief.');
      expect(offPage).not.toContain(`action="/staff/brief/sessions/${sessionId}/cancel"`);
    });

    it('is a staff page: signed out, it asks to sign in; a staff role sees no announcing form', async () => {
      const signedOut = await api.http.get('/staff/brief').query(query).set(HTML);
      expect(signedOut.status).toBe(303);
      const browser = await signedInBrowser(api, staff);
      const page = (
        await browser
          .get('/staff/brief')
          .query({ ...query, date: '2022-09-27' })
          .set(HTML)
          .expect(200)
      ).text;
      expect(page).not.toContain('action="/staff/new/upcoming-session"');
    });
  });
});

describe('a session whose id is `upcoming`', () => {
  let api: TestApp;
  let database: Awaited<ReturnType<typeof ownDatabase>>;
  let editor: string;
  let at = '2022-08-10T12:00:00.000Z';
  let position = '';
  const post = async (path: string, body: object, headers: Record<string, string> = {}) => {
    const response = await api.http.post(path).set(bearer(editor)).set(headers).send(body);
    if (response.body?.position) position = response.body.position;
    return response;
  };
  const get = (path: string, query: Record<string, string> = {}) => api.http.get(path).query({ minPosition: position, ...query });

  beforeAll(async () => {
    // Its own log: the id `upcoming` is taken once per database.
    database = await ownDatabase();
    api = await startTestApp(database.config, { clock: { now: () => new Date(at) } });
    editor = await api.token('editor-upcoming', 'editor');
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('is announced, rescheduled and recorded under its id; the list of announced sessions is another path', async () => {
    const host = [{ name: 'Maggie Dennis' }];
    const announced = await post('/sessions/upcoming', {
      id: 'upcoming',
      date: '2022-08-18',
      title: 'Named upcoming',
      hosts: host,
    });
    expect(announced.status).toBe(201);
    expect(announced.body).toMatchObject({ id: 'upcoming', events: ['SessionScheduled'] });
    const moved = await post(
      '/sessions/upcoming/rescheduling',
      { changes: { date: '2022-08-19' }, reason: 'A day later' },
      {
        'If-Match': '"0"',
      },
    );
    expect(moved.status).toBe(200);
    expect((await api.store.readStream(sessionStreamId('upcoming'))).map((event) => event.type)).toEqual([
      'SessionScheduled',
      'SessionRescheduled',
    ]);
    // GET /sessions/upcoming is this session's record: not held yet, so there is none.
    await get('/sessions/upcoming').expect(404);
    const { body: listed } = await get('/upcoming-sessions').expect(200);
    expect(listed).toEqual([expect.objectContaining({ id: 'upcoming', date: '2022-08-19', status: 'scheduled' })]);

    at = '2022-08-19T18:00:00.000Z';
    const held = await post('/sessions', {
      id: 'upcoming',
      date: '2022-08-19',
      title: 'Named upcoming',
      kind: 'office_hour',
      hosts: host,
      sourceUrl: 'https://meta.wikimedia.org/wiki/Office_hours',
    });
    expect(held.status).toBe(201);
    const { body: record } = await get('/sessions/upcoming').expect(200);
    expect(record).toMatchObject({ id: 'upcoming', date: '2022-08-19', made: [], revisited: [] });
    const { body: after } = await get('/upcoming-sessions', { status: 'held' }).expect(200);
    expect(after).toEqual([expect.objectContaining({ id: 'upcoming', status: 'held', record: '/sessions/upcoming' })]);
  });
});
