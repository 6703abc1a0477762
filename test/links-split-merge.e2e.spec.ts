import { randomUUID } from 'node:crypto';
import { commitmentStreamId, sessionStreamId } from '#governance';
import { startTestApp, type TestApp } from './support/test-app.js';

const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('one promise across several: links, split, merge, supersede by several (API)', () => {
  let api: TestApp;
  let editor: string;
  const sessionId = id('oh-2020');

  const make = (commitmentId: string, summary = `Summary of ${commitmentId}`) =>
    api.http
      .post('/commitments')
      .set(bearer(editor))
      .send({
        id: commitmentId,
        sessionId,
        speaker: { name: 'Maggie Dennis', role: 'VP' },
        ownerTeam: 'Trust & Safety',
        topics: ['UCoC'],
        summary,
        quote: 'We will start phase 2 in January and share a timeline on Meta.',
        target: { asSaid: 'January or February 2021', latestDate: '2021-02-28' },
        strength: 'plan',
      })
      .expect(201);
  const post = (commitmentId: string, action: string, body: object) =>
    api.http.post(`/commitments/${commitmentId}/${action}`).set(bearer(editor)).send(body);
  const types = async (commitmentId: string) =>
    (await api.store.readStream(commitmentStreamId(commitmentId))).map((event) => event.type);
  const detail = async (commitmentId: string, position: string) =>
    (await api.http.get(`/commitments/${commitmentId}?minPosition=${encodeURIComponent(position)}`).expect(200)).body as {
      status: string;
      links: { relation: string; id: string; summary: string | null; status: string | null }[];
    };

  beforeAll(async () => {
    api = await startTestApp();
    editor = await api.token('ana', 'editor');
    await api.http
      .post('/sessions')
      .set(bearer(editor))
      .send({
        id: sessionId,
        date: '2020-12-10',
        title: 'Office hours 2020-12-10',
        kind: 'office_hour',
        hosts: [{ name: 'Maggie Dennis', role: null }],
        sourceUrl: 'https://meta.wikimedia.org/wiki/IRC_office_hours/Office_hours_2020-12-10',
      })
      .expect(201);
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  it('a typed link shows on both commitments, each in its own words, with the other one’s summary and status', async () => {
    const [later, earlier] = [id('asked-again'), id('asked-first')];
    await make(earlier);
    await make(later);
    const linked = await post(later, 'links', { linkedTo: earlier, relation: 'follows_up' }).expect(200);
    expect((await detail(later, linked.body.position)).links).toEqual([
      { relation: 'follows_up', id: earlier, summary: `Summary of ${earlier}`, status: 'announced', note: null },
    ]);
    expect((await detail(earlier, linked.body.position)).links).toEqual([
      { relation: 'followed_up_by', id: later, summary: `Summary of ${later}`, status: 'announced', note: null },
    ]);
    // The far end's status follows, with no event about the link on its stream.
    const delivered = await post(earlier, 'delivery', { completeness: 'full', note: 'Done' }).expect(200);
    expect((await detail(later, delivered.body.position)).links[0]).toMatchObject({ id: earlier, status: 'delivered' });
    expect(await types(earlier)).toEqual(['CommitmentMade', 'CommitmentDelivered']);
  });

  it('the changes feed marks a link as bookkeeping of the record, and the promise itself as news', async () => {
    const [later, earlier] = [id('feed-later'), id('feed-earlier')];
    await make(earlier);
    await make(later);
    const linked = await post(later, 'links', { linkedTo: earlier, relation: 'restates' }).expect(200);
    await detail(later, linked.body.position);
    const feed = await api.http.get('/feeds/changes.atom').query({ commitment: later }).expect(200);
    const entries = feed.text.split('<entry>').slice(1);
    expect(entries).toHaveLength(2);
    const [linkEntry, madeEntry] = entries as [string, string];
    expect(linkEntry).toContain('<category term="bookkeeping"');
    expect(linkEntry).toMatch(/<title type="text">Bookkeeping: /);
    expect(madeEntry).toContain('<category term="news"');
    expect(madeEntry).not.toContain('Bookkeeping');
  });

  it('splits one into parts: 201, the original closes as split and every part is made, in one append', async () => {
    const original = id('phase-2-and-timeline');
    await make(original);
    const response = await post(original, 'split', {
      parts: [
        { id: id('phase-2-start'), summary: 'Start phase 2', quote: 'start phase 2 in January' },
        { summary: 'Share a timeline on Meta', quote: 'share a timeline on Meta', ownerTeam: 'Legal' },
      ],
      note: 'Two promises in one answer',
    });
    expect(response.status).toBe(201);
    const second = `${original}-2`;
    expect(response.body).toMatchObject({ id: original, events: ['CommitmentSplit', 'CommitmentMade', 'CommitmentMade'] });
    expect(await types(original)).toEqual(['CommitmentMade', 'CommitmentSplit']);
    const [part] = await api.store.readStream(commitmentStreamId(second));
    expect(part).toMatchObject({
      type: 'CommitmentMade',
      data: {
        commitmentId: second,
        sessionId,
        speaker: { name: 'Maggie Dennis', role: 'VP' },
        quote: 'share a timeline on Meta',
        ownerTeam: 'Legal',
        summary: 'Share a timeline on Meta',
      },
    });
    // One correlation id, one transaction: the parts and the original together.
    const correlations = new Set(
      [
        ...(await api.store.readStream(commitmentStreamId(original))).slice(1),
        ...(await api.store.readStream(commitmentStreamId(id('phase-2-start')))),
        part!,
      ].map((event) => event.metadata.correlationId),
    );
    expect(correlations.size).toBe(1);
    const shown = await detail(original, response.body.position);
    expect(shown.status).toBe('split');
    expect(shown.links.map(({ relation, id: other }) => [relation, other])).toEqual([
      ['split_into', id('phase-2-start')],
      ['split_into', second],
    ]);
    expect((await detail(second, response.body.position)).links).toEqual([
      expect.objectContaining({ relation: 'split_from', id: original, status: 'split' }),
    ]);
  });

  it('refuses a bad split by the field, and writes nothing anywhere', async () => {
    const original = id('split-refused');
    await make(original);
    const taken = id('already-there');
    await make(taken);
    const before = await types(original);
    const quote = await post(original, 'split', {
      parts: [{ summary: 'A', quote: 'words nobody said' }, { summary: 'B' }],
      note: 'n',
    }).expect(422);
    expect(quote.body.errors).toEqual([{ field: 'parts[0].quote', reason: expect.stringMatching(/original quote/) }]);
    const one = await post(original, 'split', { parts: [{ summary: 'A' }], note: 'n' }).expect(400);
    expect(one.body.errors).toEqual([expect.objectContaining({ field: 'parts' })]);
    const clash = await post(original, 'split', { parts: [{ summary: 'A' }, { id: taken, summary: 'B' }], note: 'n' }).expect(
      409,
    );
    expect(clash.body.errors).toEqual([
      { field: 'parts[1]', reason: expect.stringMatching(new RegExp(`${taken}.*already been made`)) },
    ]);
    expect(await types(original)).toEqual(before);
    expect(await api.store.readStream(commitmentStreamId(`${original}-1`))).toEqual([]);
  });

  it('merges several into one (200, events on every source): each source closes as merged into the survivor, which shows them all', async () => {
    const [survivor, first, second] = [id('survivor'), id('source-a'), id('source-b')];
    for (const commitmentId of [survivor, first, second]) await make(commitmentId);
    const merged = await post(first, 'merge', { into: survivor, alsoMerging: [second], note: 'The same promise' });
    expect(merged.status).toBe(200);
    expect(merged.body.events).toEqual(['CommitmentMerged', 'CommitmentMerged']);
    expect(await types(first)).toEqual(['CommitmentMade', 'CommitmentMerged']);
    expect(await types(second)).toEqual(['CommitmentMade', 'CommitmentMerged']);
    expect(await types(survivor)).toEqual(['CommitmentMade']);
    expect((await detail(survivor, merged.body.position)).links.map(({ relation, id: other }) => [relation, other])).toEqual([
      ['merged_from', first],
      ['merged_from', second],
    ]);
    expect(await detail(second, merged.body.position)).toMatchObject({
      status: 'superseded',
      links: [{ relation: 'merged_into', id: survivor, status: 'announced' }],
    });
    // Into a closed one, or a source that is not there: refused by the field, nothing written.
    const closed = id('closed');
    await make(closed);
    await post(closed, 'drop', { reason: 'deprioritised', explanation: 'x' }).expect(200);
    const third = id('source-c');
    await make(third);
    const refused = await post(third, 'merge', { into: closed, note: 'n' }).expect(409);
    expect(refused.body.errors).toEqual([{ field: 'into', reason: expect.stringMatching(/open one/) }]);
    const missing = await post(third, 'merge', { into: survivor, alsoMerging: [id('nowhere')], note: 'n' }).expect(404);
    expect(missing.body.errors).toEqual([{ field: 'alsoMerging[0]', reason: expect.stringMatching(/was not found/) }]);
    expect(await types(third)).toEqual(['CommitmentMade']);
  });

  it('supersedes by several, shown from every end', async () => {
    const [old, a, b] = [id('old'), id('new-a'), id('new-b')];
    for (const commitmentId of [old, a, b]) await make(commitmentId);
    const superseded = await post(old, 'supersede', { supersededBy: a, alsoSupersededBy: [b], note: 'Two now' }).expect(200);
    const [, event] = await api.store.readStream(commitmentStreamId(old));
    expect(event).toMatchObject({
      type: 'CommitmentSuperseded',
      data: { supersededBy: a, alsoSupersededBy: [b], note: 'Two now' },
    });
    expect((await detail(b, superseded.body.position)).links).toEqual([
      expect.objectContaining({ relation: 'supersedes', id: old, status: 'superseded' }),
    ]);
    const listedTwice = await post(a, 'supersede', { supersededBy: old, alsoSupersededBy: [b, b], note: 'x' }).expect(400);
    expect(listedTwice.body.errors).toEqual([expect.objectContaining({ field: 'alsoSupersededBy' })]);
    const namedTwice = await post(a, 'supersede', { supersededBy: b, alsoSupersededBy: [b], note: 'x' }).expect(422);
    expect(namedTwice.body.errors).toEqual([{ field: 'supersededBy', reason: expect.stringMatching(/named twice/) }]);
    const self = await post(a, 'supersede', { supersededBy: b, alsoSupersededBy: [a], note: 'x' }).expect(422);
    expect(self.body.errors).toEqual([{ field: 'supersededBy', reason: expect.stringMatching(/itself/) }]);
  });

  it('of two opposite supersessions sent at once, one succeeds and the other is refused with a 409', async () => {
    for (let round = 0; round < 3; round++) {
      const [x, y] = [id(`x${round}`), id(`y${round}`)];
      await make(x);
      await make(y);
      const responses = await Promise.all([
        post(x, 'supersede', { supersededBy: y, note: 'x by y' }),
        post(y, 'supersede', { supersededBy: x, note: 'y by x' }),
      ]);
      expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
      const streams = [await types(x), await types(y)];
      expect(streams.filter((stream) => stream.includes('CommitmentSuperseded'))).toHaveLength(1);
      expect(responses.find((response) => response.status === 409)!.body.message).toMatch(/cycle/);
    }
    // The sessions stream was never touched by any of it.
    expect((await api.store.readStream(sessionStreamId(sessionId))).map((event) => event.type)).toEqual(['SessionRecorded']);
  });
});
