import { randomUUID } from 'node:crypto';
import { commitmentStreamId, sessionStreamId } from '#governance';
import { startTestApp, type TestApp } from './support/test-app.js';
import { FORM, HTML, csrfOf, signedInBrowser } from './support/staff-forms.js';

const run = randomUUID().slice(0, 8);
let now = '2022-06-01T12:00:00.000Z';
const clock = { now: () => new Date(now) };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Every named control of the review form with its value, as a browser would post it unchanged. */
function formValues(html: string): Record<string, string> {
  const values: Record<string, string> = {};
  const decode = (text: string) =>
    text
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  for (const match of html.matchAll(/<input [^>]*name="([^"]+)"[^>]*>/g)) {
    const tag = match[0];
    if (/type="radio"/.test(tag) && !/ checked/.test(tag)) continue;
    values[match[1]!] = decode(/value="([^"]*)"/.exec(tag)?.[1] ?? '');
  }
  for (const match of html.matchAll(/<textarea [^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g))
    values[match[1]!] = decode(match[2]!);
  for (const match of html.matchAll(/<select [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g))
    values[match[1]!] = decode(
      /<option value="([^"]*)" selected>/.exec(match[2]!)?.[1] ?? /<option value="([^"]*)"/.exec(match[2]!)?.[1] ?? '',
    );
  return values;
}

describe('drafting what an announced session said: its brief’s commitments are offered first as revisit targets', () => {
  let api: TestApp;
  let editor: string;
  let position = '';
  const tool = `quill${run}`;
  const briefed = `figures-${run}`;
  const unbriefed = `ship-${run}`;
  const sessionId = `ch-${run}`;
  const said = `The ${tool} reporting tool is now in the hands of the first three wikis.`;
  const notes = (date: string) =>
    [
      `Office hours/Office hours ${date} ${run}`,
      '',
      'The session was led by Ana Lopes, Director of Platform Safety.',
      '',
      'Tooling',
      '',
      '  • What happened with the reporting tool?',
      `Ana: ${said} We will share a training plan in the coming weeks.`,
      '',
    ].join('\n');

  const post = async (path: string, body: object) => {
    const response = await api.http.post(path).set(bearer(editor)).send(body);
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    position = response.body.position;
  };
  const make = (id: string, team: string, summary: string) =>
    post('/commitments', {
      id,
      sessionId: `oh-${run}`,
      speaker: { name: 'Someone Else', role: null },
      ownerTeam: team,
      topics: ['Tooling'],
      summary,
      quote: `${summary}.`,
      target: null,
      strength: 'plan',
    });

  beforeAll(async () => {
    // A database of its own: the ranking reads every open commitment, and other specs share a server's.
    api = await startTestApp({ database: { kind: 'embedded', dataDir: 'memory://' } }, { clock });
    editor = await api.token(`editor-${run}`, 'editor');
    await post('/sessions', {
      id: `oh-${run}`,
      date: '2022-05-05',
      title: 'Office hours',
      kind: 'office_hour',
      hosts: [{ name: 'Ana Lopes' }],
      sourceUrl: 'https://meta.wikimedia.org/wiki/Office_hours',
    });
    // The better word match is another team's; the brief is for the Safety team only.
    await make(unbriefed, `Other ${run}`, `Ship the ${tool} reporting tool to the first three wikis`);
    await make(briefed, `Safety ${run}`, `Publish the ${tool} usage figures`);
    await post('/sessions/upcoming', {
      id: sessionId,
      date: '2022-06-10',
      title: 'Conversation hour',
      hosts: [{ name: 'Ana Lopes', role: 'Director of Platform Safety' }],
      teams: [`Safety ${run}`],
    });
    // The suggestions read the read models: wait until they hold everything written.
    await api.http.get('/brief').query({ session: sessionId, minPosition: position }).expect(200);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  const review = async (browser: Awaited<ReturnType<typeof signedInBrowser>>, date: string) => {
    const page = await browser.get('/staff/drafts').set(HTML).expect(200);
    const reviewed = await browser
      .post('/staff/drafts')
      .type(FORM)
      .send({ _csrf: csrfOf(page.text), notes: notes(date) })
      .expect(200);
    const section = reviewed.text.split('<section class="action" id="statement-').find((chunk) => chunk.includes(said))!;
    expect(section).toBeDefined();
    const offered = [...section.matchAll(/<option value="([a-z0-9-]+)"/g)].map((match) => match[1]);
    return { html: reviewed.text, section, offered };
  };

  it('ranks by words alone for notes of a day no session was announced for', async () => {
    now = '2022-06-11T18:00:00.000Z';
    const browser = await signedInBrowser(api, editor);
    const { offered, html } = await review(browser, '2022-06-11');
    expect(offered[0]).toBe(unbriefed);
    expect(offered).toContain(briefed);
    expect(html).not.toContain('in the brief:');
  });

  it('puts the brief’s commitments first for notes of the announced session, and records it as held under its id', async () => {
    now = '2022-06-10T18:00:00.000Z';
    const browser = await signedInBrowser(api, editor);
    const { offered, section, html } = await review(browser, '2022-06-10');
    expect(offered.slice(0, 2)).toEqual([briefed, unbriefed]);
    expect(section).toContain(`<strong>in the brief:</strong> <a href="/commitments/${briefed}">`);
    expect(section).toContain(`<option value="${briefed}">In the brief: ${briefed} (score`);

    const values = formValues(html);
    // The notes are of the announced session: the import records that one as held.
    expect(values['session-id']).toBe(sessionId);
    const control = /<select id="(s-[a-z0-9-]+-revisit)" name="\1"/.exec(section)![1]!;
    const imported = await browser
      .post('/staff/drafts/import')
      .type(FORM)
      .send({ ...values, [control]: briefed });
    expect(/class="form-error" role="alert">(.*)<\/p>/.exec(imported.text)?.[1] ?? null).toBeNull();
    expect(imported.status).toBe(200);
    expect((await api.store.readStream(sessionStreamId(sessionId))).map((event) => event.type)).toEqual([
      'SessionScheduled',
      'SessionRecorded',
    ]);
    const history = await api.store.readStream(commitmentStreamId(briefed));
    expect(history.at(-1)).toMatchObject({ type: 'CommitmentRevisited', data: { sessionId, quote: said } });
  }, 60_000);
});
