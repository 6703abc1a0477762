import { randomUUID } from 'node:crypto';
import { PublicAnswers } from '../apps/api/src/read-cache/public-answers.js';
import { commitmentBody, postOrFail, recordOfficeHours } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const run = randomUUID().slice(0, 8);
const WRITES = 40;

/**
 * Writes and reads interleaved, with the projector and the read cache both running as in
 * production: readers never stop asking (so answers are kept, dropped and drawn again all the
 * time), and every answer that was promised a position (`minPosition`) must hold that change.
 */
describe('the read cache keeps every promise while writes and reads interleave', () => {
  let api: TestApp;
  let editor: string;
  const session = `promises-${run}`;
  const commitment = `promised-${run}`;

  beforeAll(async () => {
    // A database of its own: the cache's hits and misses below are this spec's alone.
    api = await startTestApp({ database: { kind: 'embedded', dataDir: 'memory://' } });
    editor = await api.token('ana', 'editor');
    await recordOfficeHours(api, editor, session);
    const made = await postOrFail(api, editor, '/commitments', commitmentBody(commitment, session));
    await api.http.get(`/commitments/${commitment}`).query({ minPosition: made }).expect(200);
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  const revisionOf = async (query: Record<string, string> = {}) => {
    const response = await api.http.get(`/commitments/${commitment}`).query(query).expect(200);
    return { revision: response.body.revision as number, warning: response.headers.warning as string | undefined };
  };

  it('a read given a position never shows less; public reads go on meanwhile and are served from memory', async () => {
    const answers = api.app.get(PublicAnswers);
    const before = answers.stats();
    let writing = true;
    // Anyone's reads, as fast as they come back, all through the cache: what each reader saw, in order.
    const seenByReader: number[][] = Array.from({ length: 4 }, () => []);
    const readers = seenByReader.map(async (seen) => {
      while (writing) seen.push((await revisionOf()).revision);
    });
    const broken: string[] = [];
    let last = { position: '', revision: 0 };
    try {
      for (let index = 0; index < WRITES; index++) {
        const response = await api.http
          .post(`/commitments/${commitment}/progress`)
          .set('Authorization', `Bearer ${editor}`)
          .send({ note: `Step ${index}` })
          .expect(200);
        last = { position: response.body.position as string, revision: response.body.revision as number };
        // Two promised reads per write, racing the projector and the public readers.
        const promised = await Promise.all([
          revisionOf({ minPosition: last.position }),
          revisionOf({ minPosition: last.position }),
        ]);
        for (const seen of promised) {
          if (seen.warning) broken.push(`write ${index}: ${seen.warning}`);
          else if (seen.revision < last.revision)
            broken.push(`write ${index}: showed revision ${seen.revision} < ${last.revision}`);
        }
      }
    } finally {
      writing = false;
      await Promise.all(readers);
    }
    expect(broken).toEqual([]);
    // Once the last change is promised, public reads show it: its answer was dropped when it was applied.
    await revisionOf({ minPosition: last.position });
    expect((await revisionOf()).revision).toBe(last.revision);
    // No reader ever saw a commitment go back to an earlier revision; many answers came from memory.
    for (const seen of seenByReader) {
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.filter((revision, index) => index > 0 && revision < seen[index - 1]!)).toEqual([]);
    }
    expect(answers.stats().hits - before.hits).toBeGreaterThan(WRITES);
  }, 120_000);
});
