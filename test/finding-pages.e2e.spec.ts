import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './support/test-app.js';

const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;
const hostile = (field: string) => `<script>alert("${field}")</script> & '${run}'`;
const HTML = { Accept: 'text/html,application/xhtml+xml' };
const escaped = (field: string) => `&lt;script&gt;alert(&quot;${field}&quot;)&lt;/script&gt; &amp; &#39;${run}&#39;`;

// The list, session and dashboard pages: filters as lists with counts, unknown values in words, looking back.
describe('finding and looking back on the pages', () => {
  let api: TestApp;
  let position: string;
  const session = id('oh');
  const later = id('ch');
  const first = id('first');
  const second = id('second');

  beforeAll(async () => {
    api = await startTestApp();
    const editor = await api.token('ana', 'editor');
    const post = async (path: string, body: object) => {
      const response = await api.http.post(path).set('Authorization', `Bearer ${editor}`).send(body);
      if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      position = response.body.position;
    };
    const sessionOf = (sid: string, date: string) => ({
      id: sid,
      date,
      title: `Office hours ${sid}`,
      kind: 'office_hour',
      hosts: [{ name: 'Maggie Dennis', role: null }],
      sourceUrl: 'https://meta.wikimedia.org/wiki/Office_hours',
    });
    await post('/sessions', sessionOf(session, '2020-12-10'));
    await post('/sessions', sessionOf(later, '2022-08-18'));
    const commitment = (cid: string, summary: string) => ({
      id: cid,
      sessionId: session,
      speaker: { name: 'Patrick', role: null },
      ownerTeam: hostile('team'),
      topics: [hostile('topic')],
      summary,
      quote: 'We will.',
      target: null,
      strength: 'plan',
    });
    await post('/commitments', commitment(first, `Publish the elections timeline ${run}`));
    await post('/commitments', commitment(second, `Start the enforcement work ${run}`));
    await post(`/commitments/${second}/progress`, { note: 'Under way', occurredAt: '2021-01-19T00:00:00Z' });
    await post(`/commitments/${second}/revisits`, { sessionId: later, statement: 'Nearly done' });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  const page = async (path: string, query: Record<string, unknown> = {}, status = 200) =>
    (
      await api.http
        .get(path)
        .query({ minPosition: position, ...query })
        .set(HTML)
        .expect(status)
        .expect('Content-Type', /text\/html/)
    ).text;

  it('shows each filter as a list of its values with counts, the chosen ones marked, all escaped', async () => {
    const html = await page('/commitments', { q: run, status: ['announced', 'in_progress'], pageSize: 1 });
    expect(html).not.toMatch(/<script>alert/);
    expect(html).toMatch(
      /<input type="checkbox" id="status-announced" name="status" value="announced" checked> <label for="status-announced">Announced \(1\)<\/label>/,
    );
    expect(html).toMatch(
      /<input type="checkbox" id="status-in_progress" name="status" value="in_progress" checked> <label for="status-in_progress">In progress \(1\)<\/label>/,
    );
    expect(html).toMatch(
      /<input type="checkbox" id="status-delivered" name="status" value="delivered"> <label for="status-delivered">Delivered \(0\)<\/label>/,
    );
    expect(html).toContain(`<option value="${escaped('team')}">${escaped('team')} (2)</option>`);
    expect(html).toContain(`<option value="${escaped('topic')}">${escaped('topic')} (2)</option>`);
    // A session shows by its date and title; the later one counts the commitment revisited there.
    expect(html).toContain(`<option value="${later}">2022-08-18: Office hours ${later} (1)</option>`);
    expect(html).toContain('2 found.');
    // The next page keeps both statuses.
    expect(html).toMatch(/<a href="\/commitments\?[^"]*status=announced&amp;status=in_progress[^"]*page=2" rel="next">/);

    const chosen = await page('/commitments', { owner: hostile('team').toUpperCase().replace(run.toUpperCase(), run) });
    expect(chosen).toContain(`<option value="${escaped('team')}" selected>${escaped('team')} (2)</option>`);
  });

  it('says a value is unknown, with the values there are, instead of "0 found"', async () => {
    const html = await page('/commitments', { owner: 'Foo' });
    expect(html).toContain('<div class="form-error" role="status"><p>No team called &#39;Foo&#39;; teams are: ');
    expect(html).toContain(escaped('team'));
    expect(html).not.toContain('0 found.');
  });

  it('lists commitments as of a past day, by what was true then unless asked otherwise, keeping the search', async () => {
    const html = await page('/commitments', { asOf: '2020-12-31', q: run });
    expect(html).toContain('<strong>As it stood at the end of 2020-12-31</strong>: what was true then');
    expect(html).toContain(
      '<input type="hidden" name="asOf" value="2020-12-31"><input type="hidden" name="clock" value="occurred">',
    );
    expect(html).toContain(`<a href="/commitments?q=${run}">See today</a>`);
    expect(html).toMatch(/<label for="status-announced">Announced \(2\)<\/label>/);
    const recorded = await page('/commitments', { asOf: '2020-12-31', clock: 'recorded', q: run });
    expect(recorded).toContain('what the tracker showed then, from what it had learned by that day');
    expect(recorded).toContain('0 found.');
    // The look-back form offers what was true then first, and explains the other clock.
    expect(html).toMatch(
      /<select id="clock" name="clock" aria-describedby="clock-hint"><option value="occurred">what was true then<\/option><option value="recorded">/,
    );
    expect(html).toContain('“What the tracker showed then” counts only what the tracker had learned of by that day.');
  });

  it('shows a session’s record and the dashboard as of a past day, each with its form', async () => {
    const record = await page(`/sessions/${later}`, { asOf: '2022-08-31' });
    expect(record).toContain('<strong>As it stood at the end of 2022-08-31</strong>');
    expect(record).toContain(`<form method="get" action="/sessions/${later}">`);
    expect(record).toContain('<th scope="col">Then</th>');
    const notYet = await page(`/sessions/${later}`, { asOf: '2021-01-01' }, 404);
    expect(notYet).toContain('This session had not happened by 2021-01-01: it took place on 2022-08-18.');
    const commitment = await page(`/commitments/${first}`, { asOf: '2020-01-01' }, 404);
    expect(commitment).toContain('This commitment had not been made by 2020-01-01: it was made on 2020-12-10.');

    const today = await page('/dashboard');
    expect(today).toContain('<form method="get" action="/dashboard">');
    expect(today).toContain('<legend>Look back: the dashboard on a past day</legend>');
    const past = await page('/dashboard', { asOf: '2021-06-30' });
    expect(past).toContain('<strong>As it stood at the end of 2021-06-30</strong>: what was true then');
    expect(past).toContain('<input id="asOf" name="asOf" type="date" required value="2021-06-30">');
  });
});
