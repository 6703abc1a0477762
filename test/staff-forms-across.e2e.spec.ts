import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { commitmentStreamId, sessionStreamId } from '#governance';
import { startTestApp, type TestApp } from './support/test-app.js';
import { HTML, FORM, csrfOf, revisionOf, fieldError, signedInBrowser, type SignedInBrowser } from './support/staff-forms.js';

const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;

const formError = (html: string) =>
  /<p class="form-error" role="alert"><strong>Not saved:<\/strong> ([^<]*)<\/p>/.exec(html)?.[1] ?? null;
/** The "Linked commitments" list of a page, as text per item. */
const linksOn = (html: string) =>
  [...(/<ul class="links">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '').matchAll(/<li>([\s\S]*?)<\/li>/g)].map((item) =>
    item[1]!
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  );

describe('staff pages: record, link, split, merge, supersede and correct through the forms', () => {
  let api: TestApp;
  let editorToken: string;
  let staffToken: string;
  const session = id('oh');

  const types = async (commitmentId: string) =>
    (await api.store.readStream(commitmentStreamId(commitmentId))).map((event) => event.type);

  const signedIn = (token: string) => signedInBrowser(api, token);
  type Browser = SignedInBrowser;
  const page = async (browser: Browser, path: string) => (await browser.get(path).set(HTML).expect(200)).text;
  /** Posts a commitment page's form with the page's CSRF token and revision. */
  const submit = async (browser: Browser, commitmentId: string, action: string, values: Record<string, string>) => {
    const html = await page(browser, `/commitments/${commitmentId}`);
    return browser
      .post(`/staff/commitments/${commitmentId}/${action}`)
      .type(FORM)
      .send({ _csrf: csrfOf(html), _revision: revisionOf(html), ...values });
  };
  /** Follows the redirect after a saved form, as a browser would. */
  const after = async (browser: Browser, saved: request.Response) => {
    expect(saved.status).toBe(303);
    return page(browser, saved.headers.location!.replace(/#.*$/, ''));
  };
  const commitment = async (browser: Browser, summary: string, chosen: string) => {
    const html = await page(browser, '/staff/new');
    const saved = await browser
      .post('/staff/new/commitment')
      .type(FORM)
      .send({
        _csrf: csrfOf(html),
        sessionId: session,
        summary,
        quote: 'We will start phase 2 in January and share a timeline on Meta.',
        speakerName: 'Maggie Dennis',
        speakerRole: 'VP',
        ownerTeam: 'Trust & Safety',
        topics: 'UCoC, enforcement',
        strength: 'plan',
        targetAsSaid: 'January or February 2021',
        targetDate: '2021-02-28',
        editorNote: '',
        id: chosen,
      });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toMatch(new RegExp(`^/commitments/${chosen}\\?minPosition=`));
    return after(browser, saved);
  };

  beforeAll(async () => {
    api = await startTestApp();
    editorToken = await api.token('ed', 'editor');
    staffToken = await api.token('sam', 'staff');
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  it('records a session and a commitment from the staff pages, refusing bad input by the field', async () => {
    const browser = await signedIn(editorToken);
    expect(await page(browser, '/staff')).toContain('href="/staff/new"');
    const form = await page(browser, '/staff/new');
    expect(form).toContain('action="/staff/new/session"');
    expect(form).toContain('action="/staff/new/commitment"');

    const bad = await browser
      .post('/staff/new/session')
      .type(FORM)
      .send({ _csrf: csrfOf(form), title: '', date: '2020-02-30', kind: 'party', hosts: '', sourceUrl: 'javascript:alert(1)' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.text, 'session-title')).toBe('should not be empty');
    expect(fieldError(bad.text, 'session-date')).toBe('must be a date written YYYY-MM-DD');
    expect(fieldError(bad.text, 'session-kind')).toMatch(/must be one of/);
    expect(fieldError(bad.text, 'session-hosts')).toMatch(/at least 1/);
    expect(fieldError(bad.text, 'session-sourceUrl')).toBe('must be an http(s) URL');
    expect(await api.store.readStream(sessionStreamId(session))).toEqual([]);

    const saved = await browser
      .post('/staff/new/session')
      .type(FORM)
      .send({
        _csrf: csrfOf(form),
        title: 'Office hours 2020-12-10',
        date: '2020-12-10',
        kind: 'office_hour',
        hosts: 'Maggie Dennis, Vice President\r\nPatrick',
        sourceUrl: 'https://meta.wikimedia.org/wiki/Office_hours',
        id: session,
      });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toMatch(new RegExp(`^/sessions/${session}\\?minPosition=`));
    const [recorded] = await api.store.readStream(sessionStreamId(session));
    expect(recorded).toMatchObject({
      type: 'SessionRecorded',
      data: {
        hosts: [
          { name: 'Maggie Dennis', role: 'Vice President' },
          { name: 'Patrick', role: null },
        ],
      },
      metadata: { actor: 'ed' },
    });

    const refused = await browser
      .post('/staff/new/commitment')
      .type(FORM)
      .send({
        _csrf: csrfOf(form),
        sessionId: session,
        summary: 'x',
        quote: '',
        speakerName: 'M',
        ownerTeam: 'T',
        topics: '',
        strength: 'plan',
        targetAsSaid: 'by last year',
        targetDate: '2019-12-31',
      });
    expect(refused.status).toBe(400);
    expect(fieldError(refused.text, 'commitment-quote')).toBe('should not be empty');
    expect(fieldError(refused.text, 'commitment-topics')).toMatch(/at least 1/);
    const before = await browser
      .post('/staff/new/commitment')
      .type(FORM)
      .send({
        _csrf: csrfOf(form),
        sessionId: session,
        summary: 'x',
        quote: 'q',
        speakerName: 'M',
        ownerTeam: 'T',
        topics: 'a',
        strength: 'plan',
        targetAsSaid: 'by last year',
        targetDate: '2019-12-31',
      });
    expect(before.status).toBe(422);
    expect(fieldError(before.text, 'commitment-targetAsSaid')).toMatch(/before the session/);

    const made = await commitment(browser, 'Start phase 2', id('made-on-page'));
    expect(made).toContain('<h1>Start phase 2</h1>');
  });

  it('links two commitments: the form renders, refuses a bad link by its field, and the link shows on both pages', async () => {
    const browser = await signedIn(editorToken);
    const [later, earlier] = [id('later'), id('earlier')];
    await commitment(browser, 'Share a timeline on Meta', earlier);
    const html = await commitment(browser, 'Share the timeline, asked again', later);
    expect(html).toContain(`action="/staff/commitments/${later}/links"`);

    const missing = await submit(browser, later, 'links', { relation: 'follows_up', linkedTo: id('nowhere') });
    expect(missing.status).toBe(422);
    expect(fieldError(missing.text, 'links-linkedTo')).toMatch(/does not exist/);
    const noRelation = await submit(browser, later, 'links', { relation: '', linkedTo: earlier });
    expect(noRelation.status).toBe(400);
    expect(fieldError(noRelation.text, 'links-relation')).toMatch(/must be one of/);
    expect(await types(later)).toEqual(['CommitmentMade']);

    const shown = await after(
      browser,
      await submit(browser, later, 'links', { relation: 'follows_up', linkedTo: earlier, note: '' }),
    );
    expect(linksOn(shown)).toEqual(['Follows up Share a timeline on Meta Announced']);
    expect(shown).toContain(`<a href="/commitments/${earlier}">Share a timeline on Meta</a>`);
    expect(linksOn(await page(browser, `/commitments/${earlier}`))).toEqual([
      'Followed up by Share the timeline, asked again Announced',
    ]);
  });

  it('splits a commitment into parts from its page; a quote not from the original is refused next to that part', async () => {
    const browser = await signedIn(editorToken);
    const original = id('two-in-one');
    const html = await commitment(browser, 'Start phase 2 and share a timeline', original);
    expect(html).toContain(`action="/staff/commitments/${original}/split"`);

    const refused = await submit(browser, original, 'split', {
      part1Summary: 'Start phase 2',
      part1Quote: 'start phase 2 in January',
      part2Summary: 'Share a timeline',
      part2Quote: 'words nobody said',
      note: 'Two promises',
    });
    expect(refused.status).toBe(422);
    expect(fieldError(refused.text, 'split-part2Quote')).toMatch(/original quote/);
    const empty = await submit(browser, original, 'split', { part1Summary: 'Only one', note: 'n' });
    expect(empty.status).toBe(400);
    expect(fieldError(empty.text, 'split-part2Summary')).toBe('should not be empty');
    expect(await types(original)).toEqual(['CommitmentMade']);

    const shown = await after(
      browser,
      await submit(browser, original, 'split', {
        part1Summary: 'Start phase 2',
        part1Quote: 'start phase 2 in January',
        part2Summary: 'Share a timeline on Meta',
        part2OwnerTeam: 'Communications',
        note: 'Two promises in one answer',
      }),
    );
    expect(shown).toContain('status-split');
    expect(linksOn(shown)).toEqual([
      'Split into Start phase 2 Announced Two promises in one answer',
      'Split into Share a timeline on Meta Announced Two promises in one answer',
    ]);
    const part = await page(browser, `/commitments/${original}-2`);
    expect(part).toContain('<h1>Share a timeline on Meta</h1>');
    expect(part).toContain('Communications');
    expect(part).toContain('We will start phase 2 in January and share a timeline on Meta.');
    expect(linksOn(part)).toEqual(['Split from Start phase 2 and share a timeline Split Two promises in one answer']);
    // A split commitment offers no split, merge or supersede any more: the decider says so.
    expect(shown).not.toContain(`action="/staff/commitments/${original}/split"`);
    expect(shown).not.toContain(`action="/staff/commitments/${original}/merge"`);
  });

  it('merges several into one from a page: by field refusals, then both sources show as merged on the survivor', async () => {
    const browser = await signedIn(editorToken);
    const [survivor, first, second] = [id('survivor'), id('source-a'), id('source-b')];
    await commitment(browser, 'Hold a vote in January', survivor);
    await commitment(browser, 'Vote again', first);
    await commitment(browser, 'Another vote', second);

    const missing = await submit(browser, first, 'merge', { into: survivor, alsoMerging: id('nowhere'), note: 'Same' });
    expect(missing.status).toBe(422);
    expect(fieldError(missing.text, 'merge-alsoMerging')).toMatch(/was not found/);
    const itself = await submit(browser, first, 'merge', { into: first, note: 'Same' });
    expect(itself.status).toBe(422);
    expect(fieldError(itself.text, 'merge-into')).toMatch(/merged into itself/);
    expect(await types(first)).toEqual(['CommitmentMade']);

    const shown = await after(
      browser,
      await submit(browser, first, 'merge', { into: survivor, alsoMerging: second, note: 'Same vote' }),
    );
    expect(linksOn(shown)).toEqual(['Merged into Hold a vote in January Announced Same vote']);
    expect(linksOn(await page(browser, `/commitments/${survivor}`))).toEqual([
      'Merged from Vote again Superseded Same vote',
      'Merged from Another vote Superseded Same vote',
    ]);
    expect(await types(second)).toEqual(['CommitmentMade', 'CommitmentMerged']);
  });

  it('supersedes by several from a page (staff may), refusing a cycle by the field', async () => {
    const editor = await signedIn(editorToken);
    const [old, a, b] = [id('old'), id('new-a'), id('new-b')];
    await commitment(editor, 'The old promise', old);
    await commitment(editor, 'The first new one', a);
    await commitment(editor, 'The second new one', b);
    const browser = await signedIn(staffToken);
    const html = await page(browser, `/commitments/${old}`);
    expect(html).toContain(`action="/staff/commitments/${old}/supersede"`);
    // Staff cannot link, split or merge: those need an editor.
    expect(html).not.toContain(`action="/staff/commitments/${old}/links"`);

    const shown = await after(
      browser,
      await submit(browser, old, 'supersede', { supersededBy: `${a}\r\n${b}`, note: 'Replaced by two' }),
    );
    expect(linksOn(shown)).toEqual([
      'Superseded by The first new one Announced Replaced by two',
      'Superseded by The second new one Announced Replaced by two',
    ]);
    expect(linksOn(await page(browser, `/commitments/${b}`))).toEqual(['Supersedes The old promise Superseded Replaced by two']);

    const cycle = await submit(browser, a, 'supersede', { supersededBy: old, note: 'Backwards' });
    expect(cycle.status).toBe(409);
    expect(fieldError(cycle.text, 'supersede-supersededBy')).toMatch(/cycle/);
    const none = await submit(browser, a, 'supersede', { supersededBy: '', note: 'x' });
    expect(none.status).toBe(400);
    expect(fieldError(none.text, 'supersede-supersededBy')).toBeTruthy();
    expect(await types(a)).toEqual(['CommitmentMade']);
  });

  it('corrects a commitment from a form that starts from the record; a wrong field is refused by its name', async () => {
    const browser = await signedIn(editorToken);
    const target = id('to-correct');
    const html = await commitment(browser, 'Typo in teh summary', target);
    expect(html).toContain('id="corrections-summary" name="summary" type="text" value="Typo in teh summary"');
    const values = {
      summary: 'Typo in teh summary',
      quote: 'We will start phase 2 in January and share a timeline on Meta.',
      speakerName: 'Maggie Dennis',
      speakerRole: 'VP',
      ownerTeam: 'Trust & Safety',
      topics: 'UCoC, enforcement',
      strength: 'plan',
      targetAsSaid: 'January or February 2021',
      targetDate: '2021-02-28',
      editorNote: '',
      reason: 'Typo',
    };
    const nothing = await submit(browser, target, 'corrections', values);
    expect(nothing.status).toBe(422);
    expect(formError(nothing.text)).toMatch(/changes nothing/);
    const badDay = await submit(browser, target, 'corrections', { ...values, summary: 'Fixed', targetDate: '2021-02-30' });
    expect(badDay.status).toBe(400);
    expect(fieldError(badDay.text, 'corrections-targetDate')).toBe('must be a date written YYYY-MM-DD');

    const shown = await after(
      browser,
      await submit(browser, target, 'corrections', { ...values, summary: 'Typo in the summary' }),
    );
    expect(shown).toContain('<h1>Typo in the summary</h1>');
    const [, corrected] = await api.store.readStream(commitmentStreamId(target));
    expect(corrected).toMatchObject({
      type: 'CommitmentCorrected',
      data: { changes: { summary: 'Typo in the summary' }, reason: 'Typo' },
    });
  });
});
