import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { stringify as toCsv } from 'csv-stringify/sync';
import type { Response } from 'supertest';
import { stringify as toYaml } from 'yaml';
import { LOG_START, type LogCursor } from '#event-store';
import { commitmentStreamId } from '#governance';
import { startTestApp, type TestApp } from './support/test-app.js';
import { phaseTwoBody } from './support/fixtures.js';

/**
 * Hostile input at every entry (issue #10): each is refused with a 4xx naming the field and
 * why, and nothing is appended to the log.
 */
const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const NUL = 'before\u0000after';
const LONE = 'half a pair \ud800 here';

const sessionBody = (sessionId: string, date = '2020-12-10') => ({
  id: sessionId,
  date,
  title: `Office hours ${date}`,
  kind: 'office_hour',
  hosts: [{ name: 'Maggie Dennis', role: 'Vice President' }],
  sourceUrl: 'https://meta.wikimedia.org/wiki/IRC_office_hours/Office_hours_2020-12-10',
});

const commitmentBody = phaseTwoBody;

interface FileDocument {
  session: Record<string, unknown> & { id: string; date: string };
  commitments: (Record<string, unknown> & { target: { asSaid: string; latestDate: string } })[];
  updates: (Record<string, unknown> & { on: string })[];
}

interface OpenApiDocument {
  components: {
    schemas: Record<string, { properties: Record<string, Record<string, unknown>>; required?: string[] }>;
    securitySchemes: Record<string, Record<string, unknown>>;
  };
  paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: unknown }> } }>>;
}

const deeplyNested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('input validation: hostile input is refused with the field named, and writes nothing', () => {
  let api: TestApp;
  let editor: string;
  let admin: string;
  const editorSubject = `iv-editor-${run}`;
  const sessionId = id('oh-2020');
  const laterSessionId = id('ch-2022');
  const commitmentId = id('phase-2');

  /**
   * Events this suite's editor recorded after `cursor`, from `since` on: other suites write to the same
   * log meanwhile, and an earlier test's event can become visible only after a concurrent commit.
   */
  const appendedSince = async (cursor: LogCursor, since: string) => {
    const { events } = await api.store.readAll({ after: cursor, maxCount: 100_000 });
    return events.filter((event) => event.metadata.actor === editorSubject && event.metadata.recordedAt >= since);
  };
  const logEnd = async (): Promise<LogCursor> => {
    let cursor: LogCursor = LOG_START;
    for (;;) {
      const page = await api.store.readAll({ after: cursor, maxCount: 10_000 });
      if (page.events.length === 0) return cursor;
      cursor = page.next;
    }
  };

  /** Sends the request, expects `status` and an error naming `field` (and `reason`), and no event appended. */
  const refused = async (
    send: () => Promise<Response>,
    status: number,
    field: string | ((name: string) => boolean),
    reason: RegExp = /./,
  ): Promise<Response> => {
    const before = await logEnd();
    const since = new Date().toISOString();
    const response = await send();
    expect({ status: response.status, body: response.body }).toMatchObject({ status, body: { statusCode: status } });
    const errors = (response.body.errors ?? []) as { field: string; reason: string }[];
    const named = errors.filter((error) => (typeof field === 'string' ? error.field === field : field(error.field)));
    expect(named.length > 0 ? field : errors).toEqual(field);
    expect(named.some((error) => reason.test(error.reason))).toBe(true);
    expect(response.body.message).toEqual(expect.any(String));
    expect(await appendedSince(before, since)).toEqual([]);
    return response;
  };

  const post = (path: string, body: unknown) => () =>
    api.http
      .post(path)
      .set(bearer(editor))
      .send(body as object);
  const postRaw = (path: string, json: string) => () =>
    api.http.post(path).set(bearer(editor)).set('Content-Type', 'application/json').send(json);

  beforeAll(async () => {
    api = await startTestApp();
    [editor, admin] = await Promise.all([api.token(editorSubject, 'editor'), api.token(`iv-admin-${run}`, 'admin')]);
    await api.http.post('/sessions').set(bearer(editor)).send(sessionBody(sessionId)).expect(201);
    await api.http.post('/sessions').set(bearer(editor)).send(sessionBody(laterSessionId, '2022-08-18')).expect(201);
    await api.http.post('/commitments').set(bearer(editor)).send(commitmentBody(commitmentId, sessionId)).expect(201);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  describe('ids', () => {
    it('refuses "id": null on POST /commitments and POST /sessions (no commitment-null stream)', async () => {
      const poisoned = async () =>
        (await api.store.readStream('commitment-null')).length + (await api.store.readStream('session-null')).length;
      const before = await poisoned();
      await refused(post('/commitments', { ...commitmentBody('x', sessionId), id: null }), 400, 'id', /cannot be null/);
      await refused(post('/sessions', { ...sessionBody('x'), id: null }), 400, 'id', /cannot be null/);
      expect(await poisoned()).toBe(before);
    });

    it('refuses a NUL in a path id: DELETE /admin/tokens/%00 and a commitment route', async () => {
      await refused(() => api.http.delete('/admin/tokens/%00').set(bearer(admin)), 400, 'id');
      await refused(post('/commitments/a%00b/progress', { note: 'x' }), 400, 'commitmentId');
    });

    it('refuses a NUL in a query id', async () => {
      await refused(() => api.http.get('/corrections').query({ commitment: 'a\u0000b' }), 400, 'commitment', /NUL character/);
    });
  });

  describe('text', () => {
    const progress = `/commitments/${commitmentId}/progress`;
    it.each([
      ['POST /sessions title', () => post('/sessions', { ...sessionBody(id('s-nul')), title: NUL }), 'title'],
      [
        'POST /sessions host name',
        () => post('/sessions', { ...sessionBody(id('s-nul')), hosts: [{ name: LONE }] }),
        'hosts[0].name',
      ],
      [
        'POST /commitments summary',
        () => post('/commitments', { ...commitmentBody(id('c-nul'), sessionId), summary: NUL }),
        'summary',
      ],
      [
        'POST /commitments quote',
        () => post('/commitments', { ...commitmentBody(id('c-nul'), sessionId), quote: LONE }),
        'quote',
      ],
      [
        'POST /commitments speaker.name',
        () => post('/commitments', { ...commitmentBody(id('c-nul'), sessionId), speaker: { name: NUL } }),
        'speaker.name',
      ],
      [
        'POST /commitments topics[0]',
        () => post('/commitments', { ...commitmentBody(id('c-nul'), sessionId), topics: [LONE] }),
        'topics[0]',
      ],
      ['progress note', () => post(progress, { note: NUL }), 'note'],
      ['progress evidence', () => post(progress, { note: 'ok', evidence: [`https://example.org/${LONE}`] }), 'evidence[0]'],
      [
        'revisit statement',
        () => post(`/commitments/${commitmentId}/revisits`, { sessionId: laterSessionId, statement: LONE }),
        'statement',
      ],
      [
        'retarget reason',
        () => post(`/commitments/${commitmentId}/retarget`, { newTarget: { asSaid: 'March' }, reason: NUL }),
        'reason',
      ],
      [
        'retarget newTarget.asSaid',
        () => post(`/commitments/${commitmentId}/retarget`, { newTarget: { asSaid: LONE }, reason: 'r' }),
        'newTarget.asSaid',
      ],
      ['drop explanation', () => post(`/commitments/${commitmentId}/drop`, { reason: 'other', explanation: NUL }), 'explanation'],
      [
        'commitment correction',
        () => post(`/commitments/${commitmentId}/corrections`, { changes: { quote: NUL }, reason: 'r' }),
        'changes.quote',
      ],
      [
        'session correction',
        () => post(`/sessions/${sessionId}/corrections`, { changes: { title: LONE }, reason: 'r' }),
        'changes.title',
      ],
      [
        'link note',
        () => post(`/commitments/${commitmentId}/links`, { linkedTo: commitmentId, relation: 'related', note: NUL }),
        'note',
      ],
      ['a field name', () => post(progress, { note: 'ok', ['no\u0000te']: 'x' }), 'no\u0000te'],
    ])('refuses a NUL or a lone surrogate in the %s', async (_, send, field) => {
      await refused(send(), 400, field, /NUL character or a lone UTF-16 surrogate/);
    });

    it('refuses a NUL in a staff form field before anything else', async () => {
      const response = await api.http
        .post(`/staff/commitments/${commitmentId}/progress`)
        .set('Accept', 'text/html')
        .type('form')
        .send({ note: NUL });
      expect(response.status).toBe(400);
      expect(response.text).toMatch(/note: must not contain a NUL character/);
    });
  });

  describe('nesting', () => {
    it.each([
      ['POST /commitments', '/commitments', (deep: string) => `{"sessionId":"${sessionId}","summary":${deep}}`, 'summary'],
      ['POST /sessions', '/sessions', (deep: string) => `{"title":{"a":${deep}}}`, 'title.a'],
      [
        'a correction',
        `/commitments/${commitmentId}/corrections`,
        (deep: string) => `{"changes":${deep},"reason":"r"}`,
        'changes',
      ],
    ])('refuses JSON nested 5,000 deep on %s with a 400, not a 500', async (_, path, body, field) => {
      await refused(postRaw(path, body(deeplyNested(5000))), 400, (name) => name.startsWith(field), /nested more than 32 deep/);
    });

    // The idempotency fingerprint reads the body before any pipe: the depth is refused before it.
    it('refuses JSON nested 5,000 deep with an Idempotency-Key with a 400, not a 500', async () => {
      await refused(
        () =>
          api.http
            .post(`/commitments/${commitmentId}/progress`)
            .set(bearer(editor))
            .set('Idempotency-Key', `deep-${run}`)
            .set('Content-Type', 'application/json')
            .send(`{"note":"n","evidence":${deeplyNested(5000)}}`),
        400,
        (name) => name.startsWith('evidence'),
        /nested more than 32 deep/,
      );
    });

    it('accepts ordinary nesting', async () => {
      await api.http
        .post('/commitments')
        .set(bearer(editor))
        .send(commitmentBody(id('ok-nesting'), sessionId))
        .expect(201);
    });
  });

  it.each([
    ['X-Correlation-Id', 'x'.repeat(201)],
    ['Idempotency-Key', 'has spaces'],
    ['If-Match', 'W/"x"'],
    // Revisions are sent as their ETag, written one way: "00" is not revision 0's tag.
    ['If-Match', '"00"'],
    ['If-Match', '"01"'],
  ])('refuses a malformed %s header (%s), naming it', async (header, value) => {
    await refused(
      () => api.http.post(`/commitments/${commitmentId}/progress`).set(bearer(editor)).set(header, value).send({ note: 'n' }),
      400,
      header,
    );
  });

  it.each(['__proto__', 'constructor'])('refuses a field called %s instead of ignoring it', async (name) => {
    await refused(
      postRaw(`/commitments/${commitmentId}/progress`, `{"${name}":{"x":1},"note":"n"}`),
      400,
      name,
      /not a known field/,
    );
  });

  describe('objects where objects belong', () => {
    it.each([
      ['the new target of a re-target', `/commitments/${commitmentId}/retarget`, { reason: 'r' }, 'newTarget'],
      ['the changes of a commitment correction', `/commitments/${commitmentId}/corrections`, { reason: 'r' }, 'changes'],
      ['the changes of a session correction', `/sessions/${sessionId}/corrections`, { reason: 'r' }, 'changes'],
    ])('refuses a missing object: %s', async (_, path, body, field) => {
      await refused(post(path, body), 400, field, /must be an object/);
    });

    it('refuses a list for a host of a session, each host being one object', async () => {
      const body = { ...sessionBody(id('s-list')), hosts: [[{ name: 'M' }]] };
      await refused(post('/sessions', body), 400, 'hosts', /each must be an object/);
    });

    it('refuses POST /commitments without a speaker', async () => {
      const { speaker: _, ...noSpeaker } = commitmentBody(id('c-nospeaker'), sessionId);
      await refused(post('/commitments', noSpeaker), 400, 'speaker', /must be an object/);
    });

    const target = { asSaid: 'by March 2021', latestDate: '2021-03-31' };
    it.each([
      ['newTarget on a re-target', `/commitments/${commitmentId}/retarget`, { newTarget: [target], reason: 'r' }, 'newTarget'],
      [
        'speaker on a revisit',
        `/commitments/${commitmentId}/revisits`,
        { sessionId: laterSessionId, statement: 's', speaker: [{ name: 'P' }] },
        'speaker',
      ],
      [
        'newTarget on a revisit',
        `/commitments/${commitmentId}/revisits`,
        { sessionId: laterSessionId, statement: 's', newTarget: [target] },
        'newTarget',
      ],
      [
        'changes on a commitment correction',
        `/commitments/${commitmentId}/corrections`,
        { changes: [{ ownerTeam: 'x' }], reason: 'r' },
        'changes',
      ],
      [
        'changes.speaker on a correction',
        `/commitments/${commitmentId}/corrections`,
        { changes: { speaker: [{ name: 'P' }] }, reason: 'r' },
        'changes.speaker',
      ],
      [
        'changes on a session correction',
        `/sessions/${sessionId}/corrections`,
        { changes: [{ title: 'x' }], reason: 'r' },
        'changes',
      ],
      [
        'speaker of POST /commitments',
        '/commitments',
        { ...commitmentBody(id('c-list'), sessionId), speaker: [{ name: 'P' }] },
        'speaker',
      ],
      ['target of POST /commitments', '/commitments', { ...commitmentBody(id('c-list'), sessionId), target: [target] }, 'target'],
    ])('refuses a list for the object %s', async (_, path, body, field) => {
      await refused(post(path, body), 400, field, /must be an object, not a list/);
    });
  });

  describe('days and instants', () => {
    const path = (action: string) => `/commitments/${commitmentId}/${action}`;
    const commands: [string, Record<string, unknown>][] = [
      ['progress', { note: 'n' }],
      ['start', {}],
      ['retarget', { newTarget: { asSaid: 'by March', latestDate: '2021-03-31' }, reason: 'r' }],
      ['delivery', { completeness: 'full', note: 'n' }],
      ['drop', { reason: 'other', explanation: 'e' }],
      ['supersede', { supersededBy: commitmentId, note: 'n' }],
      ['reopen', { reason: 'r' }],
    ];
    it.each(
      [
        '2023-02-30T00:00:00Z',
        '2023-13-45T00:00:00Z',
        '2023-01-01T24:00:00Z',
        '2023-01-01T10:00:00+25:00',
        '2023-01-01T10:60:00Z',
      ].flatMap((occurredAt) => commands.map(([action, body]) => [action, occurredAt, body] as const)),
    )('refuses %s occurredAt %s', async (action, occurredAt, body) => {
      await refused(post(path(action), { ...body, occurredAt }), 400, 'occurredAt', /ISO 8601 timestamp/);
    });

    it('refuses "occurredAt": null', async () => {
      await refused(post(path('progress'), { note: 'n', occurredAt: null }), 400, 'occurredAt', /cannot be null/);
    });

    it.each([
      ['a session date', '/sessions', () => ({ ...sessionBody(id('s-date')), date: '2023-02-30' }), 'date'],
      [
        'a target day',
        '/commitments',
        () => ({ ...commitmentBody(id('c-date'), sessionId), target: { asSaid: 'x', latestDate: '2023-13-45' } }),
        'target.latestDate',
      ],
      [
        'a corrected session date',
        `/sessions/${sessionId}/corrections`,
        () => ({ changes: { date: '2021-02-29' }, reason: 'r' }),
        'changes.date',
      ],
    ])('refuses %s that is not in the calendar', async (_, url, body, field) => {
      await refused(post(url, body()), 400, field, /YYYY-MM-DD/);
    });
  });

  describe('session files', () => {
    const file = (change: (document: FileDocument) => void) => {
      const { sessionId: _, ...commitment } = commitmentBody(id('file-c'), 'unused');
      const document: FileDocument = {
        session: { ...sessionBody(id('file')), hosts: [{ name: 'Maggie Dennis' }] },
        commitments: [commitment],
        updates: [{ commitment: id('file-c'), type: 'progress', on: '2021-01-05', note: 'n', source: 'https://example.org' }],
      };
      change(document);
      return toYaml(document);
    };
    const importFile = (text: string) => () =>
      api.http
        .post('/imports')
        .query({ file: 'hostile.yaml' })
        .set(bearer(editor))
        .set('Content-Type', 'application/yaml')
        .send(text);

    it('accepts the well-formed file these are variations of', async () => {
      const text = file(() => {});
      const [before, since] = [await logEnd(), new Date().toISOString()];
      await importFile(text)().expect(200);
      expect((await appendedSince(before, since)).length).toBeGreaterThan(0);
    });

    it.each([
      ['a session date of 2023-02-30', (d: FileDocument) => (d.session.date = '2023-02-30'), 'date'],
      ['an update on 2023-02-30', (d: FileDocument) => (d.updates[0].on = '2023-02-30'), 'on'],
      [
        'a target day of 2023-13-45',
        (d: FileDocument) => (d.commitments[0].target.latestDate = '2023-13-45'),
        'target.latestDate',
      ],
    ])('refuses %s', async (_, change, field) => {
      const text = file((d) => {
        d.session.id = id(`file-${field.length}`);
        change(d);
      });
      await refused(importFile(text), 422, field, /date/);
    });

    it('takes a commitment note as long as the API takes, and refuses one character more naming it', async () => {
      const noted = (length: number, suffix: string) =>
        file((d) => {
          d.session.id = id(`file-note-${suffix}`);
          d.commitments[0].id = id(`file-note-c-${suffix}`);
          d.updates = [];
          d.commitments[0].note = 'n'.repeat(length);
        });
      await importFile(noted(4000, 'fits'))().expect(200);
      const stored = await api.store.readStream(commitmentStreamId(id('file-note-c-fits')));
      expect((stored[0]!.data as { note: string }).note).toHaveLength(4000);
      await refused(importFile(noted(4001, 'long')), 422, 'note', /4000/);
    });

    it.each([
      ['a NUL in a summary', `"sum\\0mary"`, 'summary'],
      ['a lone surrogate in a summary', `"sum\\ud800mary"`, 'summary'],
    ])('refuses %s', async (_, escaped, field) => {
      const text = file((d) => (d.session.id = id('file-text'))).replace(/summary: .*/, `summary: ${escaped}`);
      await refused(importFile(text), 422, field, /NUL character or a lone UTF-16 surrogate/);
    });
  });

  describe('CSV imports', () => {
    const send = (text: string) => () =>
      api.http
        .post('/imports/commitments-csv')
        .query({ file: 'edited.csv' })
        .set(bearer(editor))
        .set('Content-Type', 'text/csv')
        .send(text);
    const exported = async () => {
      const csv = (await api.http.get('/exports/commitments.csv').expect(200)).text;
      return (parse(csv, { columns: true }) as Record<string, string>[]).filter((row) => row.id === commitmentId);
    };

    it.each([
      ['summary', NUL],
      ['speaker_role', NUL],
      ['topics', `one; ${NUL}`],
    ])('refuses a row with a NUL in %s', async (column, value) => {
      const rows = (await exported()).map((row) => ({ ...row, [column]: value }));
      expect(rows).toHaveLength(1);
      await refused(send(toCsv(rows, { header: true })), 422, column, /NUL character/);
    });

    it('refuses a row whose id has a NUL (it is not looked up)', async () => {
      const rows = (await exported()).map((row) => ({ ...row, id: `${commitmentId}\u0000` }));
      await refused(send(toCsv(rows, { header: true })), 422, 'id');
    });
  });

  describe('the OpenAPI document describes each body as the API checks it', () => {
    let document: OpenApiDocument;
    const schema = (name: string) => document.components.schemas[name];
    beforeAll(async () => {
      document = (await api.http.get('/api/openapi.json').expect(200)).body;
    });

    it('types nullable text as string', () => {
      expect(schema('MakeCommitmentDto').properties.note).toMatchObject({ type: 'string', nullable: true });
      expect(schema('MakeCommitmentDto').properties.quote).toMatchObject({ type: 'string', minLength: 1, maxLength: 500 });
      expect(schema('RevisitCommitmentDto').properties.quote).toMatchObject({ type: 'string', nullable: true });
      expect(schema('StartWorkDto').properties.note).toMatchObject({ type: 'string', nullable: true });
      expect(schema('LinkCommitmentDto').properties.note).toMatchObject({ type: 'string', nullable: true });
      expect(schema('PersonDto').properties.role).toMatchObject({ type: 'string', nullable: true });
      expect(schema('TargetDto').properties.latestDate).toMatchObject({ type: 'string', format: 'date', nullable: true });
    });

    it('marks latestDate optional, and the fields the API requires required', () => {
      expect(schema('TargetDto').required).toEqual(['asSaid']);
      expect(schema('MakeCommitmentDto').required).toEqual(
        expect.arrayContaining(['sessionId', 'speaker', 'ownerTeam', 'topics', 'summary', 'quote', 'strength']),
      );
      expect(schema('MakeCommitmentDto').required).not.toContain('id');
      expect(schema('RetargetCommitmentDto').required).toEqual(expect.arrayContaining(['newTarget', 'reason']));
    });

    it('gives ids their pattern, days and instants their format', () => {
      expect(schema('MakeCommitmentDto').properties.id).toMatchObject({ type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,99}$' });
      expect(schema('RecordSessionDto').properties.date).toMatchObject({ type: 'string', format: 'date' });
      expect(schema('ReportProgressDto').properties.occurredAt).toMatchObject({ type: 'string', format: 'date-time' });
      expect(schema('MakeCommitmentDto').properties.topics).toMatchObject({
        type: 'array',
        minItems: 1,
        maxItems: 10,
        items: { type: 'string', minLength: 1, maxLength: 100 },
      });
      expect(schema('ReportProgressDto').properties.evidence).toMatchObject({
        type: 'array',
        maxItems: 20,
        items: { type: 'string', pattern: '^https?://', maxLength: 2000 },
      });
    });

    it('documents the imports as YAML and CSV text, not JSON', () => {
      const yaml = document.paths['/imports'].post.requestBody.content;
      expect(Object.keys(yaml)).toEqual(expect.arrayContaining(['application/yaml', 'text/yaml']));
      expect(yaml['application/json']).toBeUndefined();
      expect(yaml['application/yaml'].schema).toEqual({ type: 'string' });
      const csv = document.paths['/imports/commitments-csv'].post.requestBody.content;
      expect(Object.keys(csv)).toEqual(['text/csv']);
      expect(csv['text/csv'].schema).toEqual({ type: 'string' });
    });

    it('describes the opaque ctk_ tokens, not JWTs', () => {
      const bearerScheme = document.components.securitySchemes.bearer;
      expect(bearerScheme).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(bearerScheme.bearerFormat).not.toBe('JWT');
      expect(JSON.stringify(bearerScheme)).toMatch(/ctk_/);
    });
  });
});
