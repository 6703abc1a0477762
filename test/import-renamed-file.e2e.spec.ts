import { randomUUID } from 'node:crypto';
import { stringify } from 'yaml';
import { commitmentStreamId, sessionStreamId } from '#governance';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The same session file imported under another name (the CLI's path, the API's `?file=`) is
 * compared with what that name said before: a value already recorded by the other name's
 * import became a correction that changes nothing, and the whole file was refused with 422.
 */
const run = randomUUID().slice(0, 8);

describe('a session file imported again under another name writes nothing', () => {
  let api: TestApp;
  let editor: string;
  const sessionId = `rn-session-${run}`;
  const commitmentId = `rn-commitment-${run}`;
  const file = (title: string, summary: string) =>
    stringify({
      session: {
        id: sessionId,
        date: '2022-08-18',
        title,
        kind: 'conversation_hour',
        hosts: [{ name: 'Ana' }],
        sourceUrl: 'https://example.org/ch',
      },
      commitments: [
        {
          id: commitmentId,
          speaker: { name: 'Ana' },
          ownerTeam: 'Legal',
          topics: ['elections'],
          summary,
          quote: 'We will publish them.',
          strength: 'plan',
          target: { asSaid: 'by the end of 2022', latestDate: '2022-12-31' },
        },
      ],
    });
  const send = (name: string, text: string) =>
    api.http
      .post('/imports')
      .query({ file: name })
      .set('Authorization', `Bearer ${editor}`)
      .set('Content-Type', 'application/yaml')
      .send(text);

  beforeAll(async () => {
    api = await startTestApp();
    editor = await api.token(`rn-editor-${run}`, 'editor');
  });
  afterAll(() => api.close());

  it('first as recorded, then edited under one name, then the edited file under another name', async () => {
    await send('2022-08-18-conversation-hour.yaml', file('Conversation hour', 'Publish the results')).expect(200);
    const edited = file('Conversation hour 2022-08-18', 'Publish the election results');
    const corrected = await send('2022.yaml', edited).expect(200);
    expect(corrected.body.byEvent).toEqual({ SessionCorrected: 1, CommitmentCorrected: 1 });

    const again = await send('2022-08-18-conversation-hour.yaml', edited);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ commands: 0, events: 0 });
    expect(await api.store.readStream(sessionStreamId(sessionId))).toHaveLength(2);
    expect(await api.store.readStream(commitmentStreamId(commitmentId))).toHaveLength(2);
  });
});
