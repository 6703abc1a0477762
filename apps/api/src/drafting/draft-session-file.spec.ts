import { readFileSync } from 'node:fs';
import { parseSessionFile } from '../session-files/session-file.js';
import { acceptedSessionFile, drafted, draftedSession, draftedStatements, sessionFileYaml } from './draft-session-file.js';
import { draftSession } from './drafter.js';

describe('the session file written from a draft', () => {
  const notes = readFileSync('data/notes/2020-12-10-office-hours.txt', 'utf8');
  const draft = draftSession(notes);
  const accepted = draft.candidates.map((candidate) =>
    drafted(
      candidate,
      candidate.quote.text.includes('January or February')
        ? [{ commitmentId: 'earlier-promise', summary: 'x', score: 0.9, confidence: 0.8 }]
        : [],
    ),
  );
  const yaml = sessionFileYaml(
    acceptedSessionFile(draftedSession(draft), accepted),
    accepted.map((commitment) => commitment.remarks ?? []),
    ['drafted'],
  );

  it('validates with the session-file import, every quote verbatim from the notes', () => {
    const file = parseSessionFile('drafted.yaml', yaml);
    expect(file.commitments).toHaveLength(draft.candidates.length);
    for (const commitment of file.commitments!) expect(notes).toContain(commitment.quote);
    expect(
      file.commitments!.find((commitment) => commitment.quote === 'We are planning to start in January or February.'),
    ).toMatchObject({
      target: { asSaid: 'January or February', earliestDate: '2021-01-01', latestDate: '2021-02-28' },
      strength: 'plan',
      speaker: { name: 'Patrick', role: 'Manager of T&S Ops' },
    });
  });

  it('writes the window’s first day, and says the window in a comment too', () => {
    expect(yaml).toContain('earliestDate: 2021-01-01');
    expect(yaml).toContain('# target “January or February”: 2021-01-01 … 2021-02-28');
    expect(yaml).toMatch(/# strength plan \([\d.]+\), decided by “are planning”/);
  });

  it('writes a revisit only for a confident suggestion, the others as comments', () => {
    const file = parseSessionFile('drafted.yaml', yaml);
    expect(file.revisits).toEqual([
      expect.objectContaining({ commitment: 'earlier-promise', quote: 'We are planning to start in January or February.' }),
    ]);
    expect(yaml).toContain('# may revisit earlier-promise (score 0.9, confidence 0.8): written under revisits');
  });

  it('writes a statement that commits nothing new under revisits when its suggestion is confident, a likely one as a comment', () => {
    const [sure, likely, weak] = draft.statements;
    const suggestion = (commitmentId: string, confidence: number) => [{ commitmentId, summary: 'x', score: 0.7, confidence }];
    const statements = draftedStatements(
      draft.statements,
      new Map([
        [sure!.id, suggestion('sure-promise', 0.7)],
        [likely!.id, suggestion('likely-promise', 0.45)],
        [weak!.id, suggestion('weak-promise', 0.2)],
      ]),
    );
    const file = parseSessionFile(
      'drafted.yaml',
      sessionFileYaml(acceptedSessionFile(draftedSession(draft), accepted, statements.revisits), [], statements.remarks),
    );
    expect(file.revisits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          commitment: 'sure-promise',
          quote: sure!.quote.text,
          speaker: expect.objectContaining({ name: sure!.speaker.value.name }),
        }),
      ]),
    );
    expect(file.revisits!.map((revisit) => revisit.commitment)).not.toContain('likely-promise');
    expect(statements.remarks).toEqual([
      expect.stringContaining('revisits sure-promise (confidence 0.7): written under revisits'),
      expect.stringContaining('may revisit likely-promise (confidence 0.45)'),
    ]);
  });
});
