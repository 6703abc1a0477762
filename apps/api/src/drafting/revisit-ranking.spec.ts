import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { openEmbeddedPostgres, type EmbeddedPostgres } from '#event-store';
import { commitmentsProjection, readModelMigrations, type Sql } from '#read-models';
import { parseSessionFile } from '../session-files/session-file.js';
import { draftSession } from './drafter.js';
import { recordEvents } from './record-events.js';
import { aliasesIn, rankRevisits, type OpenCommitmentText, type Stemmer } from './revisit-ranking.js';
import { revisitSuggestionsFor, stemmerFor } from './revisit-suggestions.js';

/** An earlier session's record: what the tracker holds when the later notes are drafted. */
const EARLIER = `
session:
  id: office-hours-2030-06-01
  date: "2030-06-01"
  title: "Office hours 2030-06-01"
  kind: office_hour
  hosts: [{ name: "Ana Lopes", role: "Director of Platform Safety" }]
  sourceUrl: "https://example.org/office-hours-2030-06-01"
commitments:
  - id: reporting-tool-launch
    speaker: { name: "Ana Lopes" }
    ownerTeam: "Platform Safety"
    topics: ["reporting"]
    summary: "The new reporting tool will launch in the autumn."
    quote: "We plan to launch the reporting tool in the autumn."
    strength: plan
  - id: charter-stage-2-glossary
    speaker: { name: "Ana Lopes" }
    ownerTeam: "Platform Safety"
    topics: ["charter", "charter stage 2"]
    summary: "Stage 2 of the charter will publish a glossary of terms."
    quote: "Stage 2 will give us a glossary."
    strength: plan
  - id: charter-stage-3-review-routes
    speaker: { name: "Ana Lopes" }
    ownerTeam: "Platform Safety"
    topics: ["charter", "charter stage 3"]
    summary: "Stage 3 of the charter will set out the review routes for disputes."
    quote: "Stage 3 is where the review routes come in."
    strength: plan
  - id: mentor-hiring
    speaker: { name: "Ana Lopes" }
    ownerTeam: "Community Programs"
    topics: ["mentors", "hiring"]
    summary: "Two mentors are being hired for the newcomer programme."
    quote: "We are hiring two mentors."
    strength: firm
  - id: safety-report-yearly-legal
    speaker: { name: "Ana Lopes" }
    ownerTeam: "Legal"
    topics: ["transparency"]
    summary: "A yearly safety report will be published."
    quote: "A safety report will come out every year."
    strength: firm
  - id: safety-report-outreach
    speaker: { name: "Ana Lopes" }
    ownerTeam: "Outreach"
    topics: ["transparency"]
    summary: "A yearly safety report will be published."
    quote: "A safety report will come out every year."
    strength: firm
`;

/** Later notes, in the usual shape: an opening, sections, questions, answers by name. */
const LATER = [
  'Office hours/Office hours 2031-03-05',
  '',
  'The session was led by Ana Lopes, Director of Platform Safety. Besides Ana, Bo Chen (Senior Counsel, Legal) provided answers.',
  '',
  'Tools',
  '',
  '  • What is happening with the reporting tool?',
  'Ana: A lot of months of hard work are behind us. Volunteers tested it in twelve languages.',
  '  • Was the committee free to rewrite stage 3 (Dispute Handbook) as well?',
  'Ana: Yes, the committee could rewrite all of it.',
  '  • When do we see the DH again?',
  'Ana: We are putting the DH into translation now.',
  '  • Is the yearly safety report still coming?',
  'Bo: The safety report has been drafted.',
  '  • Where are the newcomer mentors?',
  'Ana: Both mentors were hired in January.',
  '',
].join('\n');

describe('suggested revisits: the earlier commitment a later statement speaks about comes first', () => {
  let database: EmbeddedPostgres;
  let dataSource: DataSource;
  let sql: Sql;

  beforeAll(async () => {
    database = await openEmbeddedPostgres('memory://');
    dataSource = new DataSource({
      type: 'postgres',
      url: database.connectionString,
      migrations: [...readModelMigrations],
      migrationsRun: true,
      extra: { max: 1 },
    });
    await dataSource.initialize();
    sql = (text, parameters) => dataSource.query(text, parameters as unknown[]);
    const record = parseSessionFile('earlier.yaml', EARLIER);
    await commitmentsProjection.apply(await recordEvents([record], '2031-01-01T00:00:00.000Z'), sql, (name) => name);
  }, 120_000);
  afterAll(async () => {
    await dataSource?.destroy().catch(() => undefined);
    await database?.stop();
  });

  const draft = draftSession(LATER);
  const statement = (words: string) => {
    const found = [...draft.statements, ...draft.candidates].find((one) => one.quote.text.includes(words));
    if (!found) throw new Error(`no statement says “${words}”`);
    return found;
  };

  it('offers a progress report as a statement, not as a new commitment', () => {
    expect(statement('hard work are behind us').question?.text).toBe('What is happening with the reporting tool?');
    expect(draft.candidates.some((candidate) => candidate.quote.text.includes('behind us'))).toBe(false);
  });

  it('ranks by the question when the sentence names nothing ("a lot of work is behind us")', async () => {
    const suggestions = await revisitSuggestionsFor(sql, draft);
    expect(suggestions.get(statement('hard work are behind us').id)?.[0]).toMatchObject({
      commitmentId: 'reporting-tool-launch',
    });
  });

  it('reads the names the notes give a thing: "DH" is the Dispute Handbook, which is stage 3', async () => {
    const suggestions = await revisitSuggestionsFor(sql, draft);
    const ranked = suggestions.get(statement('into translation').id) ?? [];
    expect(ranked[0]).toMatchObject({ commitmentId: 'charter-stage-3-review-routes' });
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]?.score ?? 0);
  });

  it('matches words by their English stem ("hired" finds "hiring"), and the speaker’s team breaks a tie', async () => {
    const suggestions = await revisitSuggestionsFor(sql, draft);
    expect(suggestions.get(statement('mentors were hired').id)?.[0]).toMatchObject({ commitmentId: 'mentor-hiring' });
    // Two commitments in the same words: Bo speaks for Legal.
    expect(suggestions.get(statement('has been drafted').id)?.[0]).toMatchObject({ commitmentId: 'safety-report-yearly-legal' });
  });

  it('gives every suggestion a score and a confidence in 0..1, never surer of a lower one', async () => {
    const suggestions = await revisitSuggestionsFor(sql, draft);
    for (const ranked of suggestions.values()) {
      for (const [index, one] of ranked.entries()) {
        expect(one.score).toBeGreaterThan(0);
        expect(one.score).toBeLessThanOrEqual(1);
        expect(one.confidence).toBeLessThanOrEqual(ranked[index - 1]?.confidence ?? 1);
      }
    }
  });

  it('suggests nothing of the session being drafted', async () => {
    const same = { ...draft, session: { ...draft.session, id: { value: 'office-hours-2030-06-01', confidence: 1 } } };
    const suggestions = await revisitSuggestionsFor(sql, same);
    expect([...suggestions.values()].flat()).toEqual([]);
  });

  describe('the ranking itself', () => {
    let stem: Stemmer;
    beforeAll(async () => {
      stem = await stemmerFor(sql, [
        'the phase 2 (Review Guide) work and the RG the review guides reviews, second phase two',
        'This question was asked of the Board; I want to ask you as well. Questions by email. Should we act on capture? Act where needed.',
        'The code is enforced since it has been ratified. The board moves towards ratification of the code. Enforce the code.',
      ]);
    });

    it('finds acronyms and numbered names in the texts, both ways', () => {
      const aliases = aliasesIn(['Phase 2 (Review Guide) work', 'the RG'], stem);
      expect(aliases).toEqual(
        expect.arrayContaining([
          { from: ['phase', '2'], to: ['review', 'guid'] },
          { from: ['review', 'guid'], to: ['phase', '2'] },
          { from: ['rg'], to: ['review', 'guid'] },
          { from: ['phase', '2'], to: ['second', 'phase'] },
          { from: ['phase', '2'], to: ['phase', 'two'] },
        ]),
      );
    });

    const commitment = (commitmentId: string, summary: string): OpenCommitmentText => ({
      commitmentId,
      summary,
      quote: '',
      topics: [],
      ownerTeam: '',
      history: '',
    });

    it('reads a question for what it asks about, not for the words that ask', () => {
      const [ranked] = rankRevisits(
        [
          {
            text: 'We have to be prepared.',
            question: 'This question was asked of the Board; I want to ask you as well. Should we act on capture?',
            section: null,
            context: [],
            ownerTeam: null,
          },
        ],
        [commitment('by-email', 'Questions by email: ask us.'), commitment('act', 'Act where needed.')],
        stem,
      );
      expect(ranked!.map((one) => one.commitmentId)).toEqual(['act']);
    });

    it('joins forms the stemmer left apart when one stem begins the other ("ratified", "ratification")', () => {
      expect([stem('ratified'), stem('ratification')]).toEqual(['ratifi', 'ratif']);
      const [ranked] = rankRevisits(
        [
          {
            text: 'The code is enforced since it has been ratified.',
            question: null,
            section: null,
            context: [],
            ownerTeam: null,
          },
        ],
        [
          commitment('publish', 'Publish the code.'),
          commitment('ratification', 'The board moves towards ratification of the code.'),
        ],
        stem,
      );
      expect(ranked![0]!.commitmentId).toBe('ratification');
    });

    it('weighs the sentence over its question, and nearer sentences over farther ones', () => {
      const commitments = [
        commitment('guides', 'Review guides.'),
        commitment('phase', 'Phase work.'),
        commitment('other', 'Other.'),
      ];
      const [byText] = rankRevisits(
        [{ text: 'The review guides', question: 'phase work', section: null, context: [], ownerTeam: null }],
        commitments,
        stem,
      );
      expect(byText![0]!.commitmentId).toBe('guides');
      const [byNearness] = rankRevisits(
        [
          {
            text: 'Nothing here.',
            question: null,
            section: null,
            context: [
              { text: 'review guides', distance: 4 },
              { text: 'phase work', distance: 1 },
            ],
            ownerTeam: null,
          },
        ],
        commitments,
        stem,
      );
      expect(byNearness![0]!.commitmentId).toBe('phase');
    });
  });
});
