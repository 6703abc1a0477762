import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { commitmentStreamId, sessionStreamId } from '#governance';
import { sessionFileSchema } from '../apps/api/src/session-files/session-file.schema.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;

const first = id('oh-2020');
const second = id('ch-2022');
const phaseTwo = id('phase-2');
const hire = id('hire');
const vote = id('vote');
const notes2020 = 'https://meta.wikimedia.org/wiki/IRC_office_hours/Office_hours_2020-12-10';
const notes2022 = 'https://meta.wikimedia.org/wiki/IRC_office_hours/Office_hours_2022-08-18';

const file2020 = () => ({
  session: {
    id: first,
    date: '2020-12-10',
    title: 'Office hours 2020-12-10',
    kind: 'office_hour',
    hosts: [{ name: 'Maggie Dennis' }],
    sourceUrl: notes2020,
  },
  commitments: [
    {
      id: phaseTwo,
      speaker: { name: 'Patrick', role: 'Manager of T&S Ops' },
      ownerTeam: 'Trust & Safety',
      topics: ['Universal Code of Conduct'],
      summary: 'Start phase 2 of the UCoC',
      quote: 'We are planning to start in January or February.',
      target: { asSaid: 'January or February', latestDate: '2021-02-28' },
      strength: 'plan',
    },
    {
      id: hire,
      speaker: { name: 'Maggie Dennis' },
      ownerTeam: 'Human Rights',
      topics: ['Human rights'],
      summary: 'Hire a human rights lead',
      quote: 'So close.',
      strength: 'hope',
      note: 'No date was given.',
    },
  ],
});

const file2022 = () => ({
  session: {
    id: second,
    date: '2022-08-18',
    title: 'Conversation hour',
    kind: 'conversation_hour',
    hosts: [{ name: 'Maggie Dennis' }],
    sourceUrl: notes2022,
  },
  commitments: [
    {
      id: vote,
      speaker: { name: 'Patrick Early', role: 'Lead Trust and Safety Policy Manager' },
      ownerTeam: 'Trust & Safety',
      topics: ['Universal Code of Conduct'],
      summary: 'Hold another vote on the enforcement guidelines',
      quote: 'We are planning on holding another vote in January.',
      target: { asSaid: 'January', latestDate: '2023-01-31' },
      strength: 'plan',
      links: [{ to: phaseTwo, relation: 'follows_up' }],
    },
  ],
  revisits: [
    {
      commitment: phaseTwo,
      statement: 'The enforcement guidelines go to translation.',
      quote: 'We are now putting the EG into the translation process.',
    },
    {
      commitment: hire,
      statement: 'The hire is expected this autumn.',
      newTarget: { asSaid: 'this autumn', latestDate: '2022-11-30' },
    },
  ],
  updates: [
    {
      commitment: phaseTwo,
      type: 'progress',
      on: '2022-08-18',
      note: 'Enforcement guidelines in translation',
      source: notes2022,
    },
  ],
});

describe('session files', () => {
  let api: TestApp;
  let editor: string;
  const types = async (streamId: string) => (await api.store.readStream(streamId)).map((event) => event.type);
  const importFile = (name: string, content: object | string) =>
    api.http
      .post('/imports')
      .query({ file: name })
      .set('Authorization', `Bearer ${editor}`)
      .set('Content-Type', 'application/yaml')
      .send(typeof content === 'string' ? content : stringify(content));

  beforeAll(async () => {
    api = await startTestApp();
    editor = await api.token('ana', 'editor');
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  it('documents the format: docs/session-file.schema.json is the schema the importer uses', () => {
    expect(JSON.parse(readFileSync('docs/session-file.schema.json', 'utf8'))).toEqual(sessionFileSchema);
  });

  it('imports files as events, with ids stable across sessions, and writes nothing the second time', async () => {
    const imported2020 = await importFile('2020.yaml', file2020()).expect(200);
    expect(imported2020.body).toMatchObject({
      sessionId: first,
      commands: 3,
      events: 3,
      byEvent: { SessionRecorded: 1, CommitmentMade: 2 },
    });
    const imported2022 = await importFile('2022.yaml', file2022()).expect(200);
    expect(imported2022.body.byEvent).toEqual({
      SessionRecorded: 1,
      CommitmentMade: 1,
      CommitmentLinked: 1,
      CommitmentRevisited: 2,
      ProgressReported: 1,
    });

    expect(await types(commitmentStreamId(phaseTwo))).toEqual(['CommitmentMade', 'CommitmentRevisited', 'ProgressReported']);
    const [made] = await api.store.readStream(commitmentStreamId(hire));
    expect(made!.data).toMatchObject({
      target: null,
      note: 'No date was given.',
      speaker: { name: 'Maggie Dennis', role: null },
    });
    expect(made!.metadata).toMatchObject({ actor: 'ana', occurredAt: '2020-12-10T00:00:00.000Z' });
    const progress = (await api.store.readStream(commitmentStreamId(phaseTwo)))[2]!;
    expect(progress.data).toEqual({ note: 'Enforcement guidelines in translation', evidence: [notes2022] });

    for (const [name, file] of [
      ['2020.yaml', file2020()],
      ['2022.yaml', file2022()],
    ] as const) {
      const again = await importFile(name, file).expect(200);
      expect(again.body).toMatchObject({ commands: 0, events: 0, byEvent: {} });
    }
    expect(await types(commitmentStreamId(phaseTwo))).toEqual(['CommitmentMade', 'CommitmentRevisited', 'ProgressReported']);
    // The 2020 file says nothing of the target the 2022 session gave; importing it again keeps that target.
    expect(await types(commitmentStreamId(hire))).toEqual(['CommitmentMade', 'CommitmentRevisited']);
  });

  it('an edited file writes only its differences, as the right events', async () => {
    const edited = file2020();
    edited.commitments[0]!.target = { asSaid: 'by March', latestDate: '2021-03-31' };
    edited.commitments[1]!.summary = 'Hire a lead for human rights';
    const response = await importFile('2020.yaml', edited).expect(200);
    expect(response.body.byEvent).toEqual({ CommitmentRetargeted: 1, CommitmentCorrected: 1 });
    const [retargeted] = (await api.store.readStream(commitmentStreamId(phaseTwo))).slice(-1);
    expect(retargeted!.data).toEqual({
      previousTarget: { asSaid: 'January or February', latestDate: '2021-02-28' },
      newTarget: { asSaid: 'by March', latestDate: '2021-03-31' },
      reason: 'Imported from 2020.yaml',
    });
    const [corrected] = (await api.store.readStream(commitmentStreamId(hire))).slice(-1);
    expect(corrected!.data).toEqual({ changes: { summary: 'Hire a lead for human rights' }, reason: 'Imported from 2020.yaml' });
    await importFile('2020.yaml', edited).expect(200, /"events":0/);

    // A correction made through the api is not undone by importing the file again.
    await api.http
      .post(`/commitments/${hire}/corrections`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ changes: { ownerTeam: 'Legal' }, reason: 'Owned by Legal' })
      .expect(200);
    await importFile('2020.yaml', edited).expect(200, /"events":0/);
    expect((await types(commitmentStreamId(hire))).at(-1)).toBe('CommitmentCorrected');
  });

  it('a malformed file is refused whole, naming the file, the entry and the field', async () => {
    const session = id('bad');
    const broken = {
      session: { id: session, date: '2021-03-10', title: 'x', kind: 'office_hour', hosts: [{ name: 'M' }], sourceUrl: notes2020 },
      commitments: [
        { id: id('fine'), speaker: { name: 'M' }, ownerTeam: 'T', topics: ['t'], summary: 's', quote: 'q', strength: 'plan' },
        {
          id: id('broken'),
          speaker: { name: 'M' },
          ownerTeam: 'T',
          topics: ['t'],
          summary: 's',
          strength: 'sure',
          colour: 'red',
          target: { asSaid: 'soon', latestDate: '10/03/2021' },
        },
      ],
    };
    const response = await importFile('broken.yaml', broken).expect(422);
    expect(response.body.message).toMatch(/^broken\.yaml: /);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { entry: `commitments[1] (${id('broken')})`, field: 'quote', reason: "must have required property 'quote'" },
        { entry: `commitments[1] (${id('broken')})`, field: 'colour', reason: 'is not a known field' },
        expect.objectContaining({ entry: `commitments[1] (${id('broken')})`, field: 'strength' }),
        expect.objectContaining({ entry: `commitments[1] (${id('broken')})`, field: 'target.latestDate' }),
      ]),
    );
    expect(await types(sessionStreamId(session))).toEqual([]);
    expect(await types(commitmentStreamId(id('fine')))).toEqual([]);
    await importFile('broken.yaml', 'session: [unclosed').expect(422, /not valid YAML/);
  });

  it('refuses a tag YAML cannot resolve, naming its line, instead of importing its text', async () => {
    const original = file2020();
    const document = {
      session: { ...original.session, id: id('tagged') },
      commitments: original.commitments.map((commitment) => ({ ...commitment, id: `tagged-${commitment.id}` })),
    };
    const tagged = stringify(document).replace(/^(\s+summary: )(.*)$/m, '$1!python/object:os.system $2');
    const response = await importFile('tagged.yaml', tagged).expect(422);
    expect(response.body.errors).toEqual([
      {
        entry: expect.stringMatching(/^line \d+$/),
        field: '',
        reason: expect.stringMatching(/^is not valid YAML: Unresolved tag/),
      },
    ]);
    expect(await types(sessionStreamId(id('tagged')))).toEqual([]);
  });

  it('a file that breaks a domain rule late on writes nothing, not even its valid first entries', async () => {
    const session = id('rules');
    const file = {
      session: { id: session, date: '2021-03-10', title: 'x', kind: 'office_hour', hosts: [{ name: 'M' }], sourceUrl: notes2020 },
      commitments: [
        { id: id('early'), speaker: { name: 'M' }, ownerTeam: 'T', topics: ['t'], summary: 's', quote: 'q', strength: 'plan' },
      ],
      updates: [
        { commitment: id('early'), type: 'deliver', on: '2021-04-01', note: 'Done', source: notes2020 },
        { commitment: id('early'), type: 'progress', on: '2021-05-01', note: 'After delivery', source: notes2020 },
        { commitment: id('nowhere'), type: 'progress', on: '2021-05-01', note: 'x', source: notes2020 },
      ],
    };
    const response = await importFile('rules.yaml', file).expect(422);
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        entry: `updates[1] (${id('early')})`,
        reason: expect.stringMatching(/^Cannot report progress on this commitment: it is delivered/),
      }),
      expect.objectContaining({ entry: `updates[2] (${id('nowhere')})`, reason: 'This commitment has not been made.' }),
    ]);
    expect(await types(sessionStreamId(session))).toEqual([]);
    expect(await types(commitmentStreamId(id('early')))).toEqual([]);
  });

  it('a domain refusal names the field it is about', async () => {
    const session = id('future');
    const file = {
      session: { id: session, date: '2021-03-10', title: 'x', kind: 'office_hour', hosts: [{ name: 'M' }], sourceUrl: notes2020 },
      commitments: [
        { id: id('soon'), speaker: { name: 'M' }, ownerTeam: 'T', topics: ['t'], summary: 's', quote: 'q', strength: 'plan' },
      ],
      updates: [{ commitment: id('soon'), type: 'progress', on: '2999-01-01', note: 'Not yet', source: notes2020 }],
    };
    const response = await importFile('future.yaml', file).expect(422);
    expect(response.body.errors).toEqual([expect.objectContaining({ entry: `updates[0] (${id('soon')})`, field: 'occurredAt' })]);
    expect(await types(sessionStreamId(session))).toEqual([]);
  });

  it('a session file over 256 kB is refused with 413 before it is parsed', async () => {
    const huge = `session:\n  id: ${id('huge')}\n  title: "${'x'.repeat(300_000)}"\n`;
    await importFile('huge.yaml', huge).expect(413);
    expect(await types(sessionStreamId(id('huge')))).toEqual([]);
  });

  it('needs an editor token', async () => {
    await api.http
      .post('/imports')
      .query({ file: 'x.yaml' })
      .set('Content-Type', 'application/yaml')
      .send('session: {}')
      .expect(401);
  });
});
