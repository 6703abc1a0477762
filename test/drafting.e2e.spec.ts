import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { commitmentStreamId, sessionStreamId } from '#governance';
import { parseSessionFile } from '../apps/api/src/session-files/session-file.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { HTML, FORM, csrfOf, fieldError, signedInBrowser } from './support/staff-forms.js';

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
    const value = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
    if (/type="radio"/.test(tag) && !/ checked/.test(tag)) continue;
    values[match[1]!] = decode(value);
  }
  for (const match of html.matchAll(/<textarea [^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g))
    values[match[1]!] = decode(match[2]!);
  for (const match of html.matchAll(/<select [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    values[match[1]!] = decode(
      /<option value="([^"]*)" selected>/.exec(match[2]!)?.[1] ?? /<option value="([^"]*)"/.exec(match[2]!)?.[1] ?? '',
    );
  }
  return values;
}

const run = randomUUID().slice(0, 8);
const NOTES = [
  `Office hours/Office hours 2021-03-05 ${run}`,
  '',
  'The session was led by Ana Lopes, Director of Platform Safety.',
  '',
  'Tooling',
  '',
  '  • When will the reporting tool ship?',
  'Ana: We are planning to ship the reporting tool in January or February.',
  '  • Will there be training?',
  'Ana: We will share a training plan in the coming weeks.',
  '  • And the old tool?',
  'Ana: We want to retire the old tool carefully.',
  '',
].join('\n');

describe('drafting a session from its notes on the staff pages', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  const browserWith = async (role: 'staff' | 'editor') => signedInBrowser(api, await api.token(`${role}-${run}`, role));

  it('paste → review → accept one, edit one, reject one → the session and only the accepted commitments are recorded', async () => {
    const browser = await browserWith('editor');
    const home = await browser.get('/staff').set(HTML).expect(200);
    expect(home.text).toContain('href="/staff/drafts"');
    const page = await browser.get('/staff/drafts').set(HTML).expect(200);
    expect(page.text).toContain('<label for="notes">');

    const review = await browser
      .post('/staff/drafts')
      .type(FORM)
      .send({ _csrf: csrfOf(page.text), notes: NOTES })
      .expect(200);
    expect(review.text).toContain('We are planning to ship the reporting tool in January or February.');
    expect(review.text).toContain('decided by “are planning”');
    const values = formValues(review.text);
    const ids = [...review.text.matchAll(/name="c-([a-z0-9-]+)-decision" value="accept"/g)].map((match) => match[1]!);
    expect(ids).toHaveLength(3);
    for (const field of Object.keys(values))
      expect(review.text).toMatch(new RegExp(`<label for="${field}"|<label><input type="radio" name="${field}"|name="_csrf"`));
    const [ship, share, retire] = ids as [string, string, string];
    expect(values[`c-${ship}-targetDate`]).toBe('2022-02-28');
    expect(values['session-date']).toBe('2021-03-05');

    const sessionId = `drafted-${run}`;
    const imported = await browser
      .post('/staff/drafts/import')
      .type(FORM)
      .send({
        ...values,
        'session-id': sessionId,
        [`c-${ship}-decision`]: 'accept',
        [`c-${ship}-id`]: `ship-${run}`,
        [`c-${share}-decision`]: 'accept',
        [`c-${share}-id`]: `share-${run}`,
        [`c-${share}-summary`]: 'A training plan is shared within weeks.',
        [`c-${share}-owner`]: 'Community Programs',
        [`c-${retire}-decision`]: 'reject',
      });
    expect(/class="form-error" role="alert">(.*)<\/p>/.exec(imported.text)?.[1] ?? null).toBeNull();
    expect(imported.status).toBe(200);
    expect(imported.text).toContain(`href="/sessions/${sessionId}`);

    expect((await api.store.readStream(sessionStreamId(sessionId))).map((event) => event.type)).toEqual(['SessionRecorded']);
    const [shipped] = await api.store.readStream(commitmentStreamId(`ship-${run}`));
    expect(shipped).toMatchObject({
      type: 'CommitmentMade',
      data: { quote: 'We are planning to ship the reporting tool in January or February.', target: { latestDate: '2022-02-28' } },
    });
    const [shared] = await api.store.readStream(commitmentStreamId(`share-${run}`));
    expect(shared).toMatchObject({
      data: { summary: 'A training plan is shared within weeks.', ownerTeam: 'Community Programs', strength: 'follow_up' },
    });
    expect(await api.store.readStream(commitmentStreamId(retire))).toEqual([]);
  }, 60_000);

  it('offers the sentences that commit nothing new as revisits of earlier commitments, and records the one staff accept', async () => {
    const browser = await browserWith('editor');
    const tool = `quill${run}`;
    const earlier = [
      `Office hours/Office hours 2021-03-06 ${run}`,
      '',
      'The session was led by Ana Lopes, Director of Platform Safety.',
      '',
      'Tooling',
      '',
      '  • When will the reporting tool ship?',
      `Ana: We are planning to ship the ${tool} reporting tool in January or February.`,
      '',
    ].join('\n');
    const first = await browser.get('/staff/drafts').set(HTML).expect(200);
    const firstReview = await browser
      .post('/staff/drafts')
      .type(FORM)
      .send({ _csrf: csrfOf(first.text), notes: earlier })
      .expect(200);
    const [made] = [...firstReview.text.matchAll(/name="c-([a-z0-9-]+)-decision" value="accept"/g)].map((match) => match[1]!);
    const firstImport = await browser
      .post('/staff/drafts/import')
      .type(FORM)
      .send({
        ...formValues(firstReview.text),
        'session-id': `drafted-tool-${run}`,
        [`c-${made}-decision`]: 'accept',
        [`c-${made}-id`]: `ship-${tool}`,
      })
      .expect(200);
    // The suggestions read the commitments read model: wait until it holds the new commitment.
    const position = /minPosition=([^"&]+)/.exec(firstImport.text)?.[1];
    await api.http
      .get('/exports/commitments.csv')
      .query({ minPosition: decodeURIComponent(position ?? '0') })
      .expect(200);

    const said = `The ${tool} reporting tool is now in the hands of the first three wikis.`;
    const later = [
      `Office hours/Office hours 2021-06-10 ${run}`,
      '',
      'The session was led by Ana Lopes, Director of Platform Safety.',
      '',
      'Tooling',
      '',
      '  • What happened with the reporting tool?',
      `Ana: ${said} We will publish the usage figures in the coming weeks.`,
      '',
    ].join('\n');
    const page = await browser.get('/staff/drafts').set(HTML).expect(200);
    const review = await browser
      .post('/staff/drafts')
      .type(FORM)
      .send({ _csrf: csrfOf(page.text), notes: later })
      .expect(200);
    const section = review.text.split('<section class="action" id="statement-').find((chunk) => chunk.includes(said));
    expect(section).toBeDefined();
    const control = /<select id="(s-said-\d+-revisit)" name="\1"/.exec(section!)?.[1];
    expect(control).toBeDefined();
    expect(section).toContain(`<label for="${control}">Accept as a revisit of`);
    expect(section).toContain(`<option value="ship-${tool}">`);
    expect(section).toContain(`href="/commitments/ship-${tool}"`);
    const values = formValues(review.text);
    // Drafted, a statement is no revisit until staff choose one.
    expect(values[control!]).toBe('');
    const [publish] = [...review.text.matchAll(/name="c-([a-z0-9-]+)-decision" value="accept"/g)].map((match) => match[1]!);
    const sessionId = `drafted-tool-later-${run}`;
    const accepted = {
      ...values,
      'session-id': sessionId,
      [`c-${publish}-decision`]: 'accept',
      [`c-${publish}-id`]: `figures-${tool}`,
    };

    const refused = await browser
      .post('/staff/drafts/import')
      .type(FORM)
      .send({ ...accepted, [control!]: `not-suggested-${run}` })
      .expect(400);
    expect(fieldError(refused.text, control!)).toBe('choose one of the suggested commitments, or None');
    expect(refused.text).toMatch(
      new RegExp(`<select id="${control}" name="${control}" aria-invalid="true" aria-describedby="${control}-error">`),
    );
    expect(await api.store.readStream(sessionStreamId(sessionId))).toEqual([]);

    const imported = await browser
      .post('/staff/drafts/import')
      .type(FORM)
      .send({ ...accepted, [control!]: `ship-${tool}` });
    expect(/class="form-error" role="alert">(.*)<\/p>/.exec(imported.text)?.[1] ?? null).toBeNull();
    expect(imported.status).toBe(200);
    const history = await api.store.readStream(commitmentStreamId(`ship-${tool}`));
    expect(history.map((event) => event.type)).toEqual(['CommitmentMade', 'CommitmentRevisited']);
    expect(history[1]).toMatchObject({ data: { sessionId, quote: said } });
  }, 90_000);

  it('refuses bad input by field and records nothing', async () => {
    const browser = await browserWith('editor');
    const page = await browser.get('/staff/drafts').set(HTML).expect(200);
    const empty = await browser
      .post('/staff/drafts')
      .type(FORM)
      .send({ _csrf: csrfOf(page.text), notes: '  ' })
      .expect(400);
    expect(fieldError(empty.text, 'notes')).toBe('Paste the published notes of the session, or upload them as a text file.');

    const notes = NOTES.replace(run, `${run}-bad`);
    const review = await browser
      .post('/staff/drafts')
      .type(FORM)
      .send({ _csrf: csrfOf(page.text), notes })
      .expect(200);
    const values = formValues(review.text);
    const [first] = [...review.text.matchAll(/name="c-([a-z0-9-]+)-decision" value="accept"/g)].map((match) => match[1]!);
    const sessionId = `drafted-bad-${run}`;
    const refused = await browser
      .post('/staff/drafts/import')
      .type(FORM)
      .send({
        ...values,
        'session-id': sessionId,
        'session-date': '2031-02-30',
        [`c-${first}-decision`]: 'accept',
        [`c-${first}-quote`]: 'Words nobody said.',
        [`c-${first}-id`]: 'Not An Id',
        [`c-${first}-targetDate`]: 'soon',
      })
      .expect(400);
    expect(fieldError(refused.text, 'session-date')).toMatch(/YYYY-MM-DD/);
    expect(fieldError(refused.text, `c-${first}-quote`)).toBe('must be words copied exactly from the notes');
    expect(fieldError(refused.text, `c-${first}-id`)).toBe('must be 2 to 100 lower-case letters, digits or hyphens');
    expect(fieldError(refused.text, `c-${first}-targetDate`)).toMatch(/YYYY-MM-DD/);
    expect(await api.store.readStream(sessionStreamId(sessionId))).toEqual([]);
  }, 60_000);

  it('takes the notes as an uploaded file too, and refuses a file that is not text', async () => {
    const browser = await browserWith('editor');
    const page = await browser.get('/staff/drafts').set(HTML).expect(200);
    expect(page.text).toContain('enctype="multipart/form-data"');
    expect(page.text).toContain('<label for="notesFile">');
    const review = await browser
      .post('/staff/drafts')
      .field('_csrf', csrfOf(page.text))
      .field('notes', '')
      .attach('notesFile', Buffer.from(NOTES.replace(run, `${run}-upload`)), 'notes.txt')
      .expect(200);
    expect(review.text).toContain('We are planning to ship the reporting tool in January or February.');
    const binary = await browser
      .post('/staff/drafts')
      .field('_csrf', csrfOf(page.text))
      .attach('notesFile', Buffer.from([0xff, 0xfe, 0x00, 0x41]), 'notes.txt')
      .expect(400);
    expect(fieldError(binary.text, 'notes')).toMatch(/not UTF-8 text/);
  }, 60_000);

  it('needs the editor role and the form token', async () => {
    const staff = await browserWith('staff');
    await staff.get('/staff/drafts').set(HTML).expect(403);
    const home = await staff.get('/staff').set(HTML).expect(200);
    await staff
      .post('/staff/drafts')
      .type(FORM)
      .send({ _csrf: csrfOf(home.text), notes: NOTES })
      .expect(403);
    const editor = await browserWith('editor');
    await editor.post('/staff/drafts').type(FORM).send({ notes: NOTES }).expect(403);
    await editor.post('/staff/drafts/import').type(FORM).send({ 'session-id': 'x' }).expect(403);
  }, 60_000);

  it('the CLI writes a session file that the session-file import validates', async () => {
    const { stdout } = await promisify(execFile)('node', [
      'dist/apps/api/src/drafting/draft.cli.js',
      'data/notes/2022-08-18-conversation-hour.txt',
    ]);
    const file = parseSessionFile('drafted.yaml', stdout);
    expect(file.session).toMatchObject({ id: 'conversation-hour-2022-08-18', date: '2022-08-18', kind: 'conversation_hour' });
    expect(file.commitments!.length).toBeGreaterThan(10);
    expect(stdout).toMatch(/# strength \w+ \([\d.]+\), decided by “/);
  }, 60_000);

  it('the CLI with --revisits offers the tracker’s open commitments as revisits', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'draft-cli-'));
    // Only the embedded default here: the CLI reads the data directory the import wrote.
    const { DATABASE_URL: _server, EVENTSTORE_CONNECTION_STRING: _esdb, ...rest } = process.env;
    const env = { ...rest, DATA_DIR: dataDir };
    try {
      await promisify(execFile)(
        'node',
        ['dist/apps/api/src/session-files/import.cli.js', 'data/sessions/2020-12-10-office-hours.yaml'],
        {
          env,
        },
      );
      const { stdout } = await promisify(execFile)(
        'node',
        ['dist/apps/api/src/drafting/draft.cli.js', 'data/notes/2022-08-18-conversation-hour.txt', '--revisits'],
        { env },
      );
      // Still a session file the import validates, its candidates annotated with what they may revisit.
      expect(parseSessionFile('drafted.yaml', stdout).session.id).toBe('conversation-hour-2022-08-18');
      const offered = [...stdout.matchAll(/may revisit ([a-z0-9-]+) \((?:score [\d.]+, )?confidence [\d.]+\)/g)].map(
        (match) => match[1]!,
      );
      const recorded = new Set(
        (
          parseSessionFile('2020.yaml', await readFile('data/sessions/2020-12-10-office-hours.yaml', 'utf8')).commitments ?? []
        ).map((made) => made.id),
      );
      expect(offered.length).toBeGreaterThan(10);
      expect(offered.filter((id) => !recorded.has(id))).toEqual([]);
      // The notes' own mention of questions by email finds the 2020 promise to take them so.
      expect(stdout).toMatch(/may revisit office-hours-questions-by-email/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
