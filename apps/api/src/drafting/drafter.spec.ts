import { agreementTo, commitmentIn } from './commitment-language.js';
import { draftSession } from './drafter.js';
import { targetIn } from './targets.js';

const NOTES = [
  'Office hours/Office hours 2031-03-05',
  '',
  'The session was led by Ana Lopes, Director of Platform Safety. Besides Ana, Bo Chen (Lead Community Programs Manager) provided answers.',
  '',
  'Tooling',
  '',
  '  • Will the new reporting tool ship this year? We heard the Foundation already promised it would be free.',
  'Ana: We are planning to ship it in January or February. I can’t promise the exact week.',
  'Bo: We will share the timeline on the wiki in the coming weeks. It is not decided who runs it.',
  '  • Is the old tool going away?',
  'Yes, by mid-September.',
  '',
].join('\n');

describe('targets, resolved against the session’s day', () => {
  it.each([
    ['We plan to start in January or February.', '2020-12-10', 'January or February', '2021-01-01', '2021-02-28'],
    ['We hope to launch on September 7th.', '2022-08-18', 'September 7th', '2022-09-07', '2022-09-07'],
    ['another vote in January', '2022-08-18', 'January', '2023-01-01', '2023-01-31'],
    ['announced by mid-September', '2022-08-18', 'by mid-September', null, '2022-09-15'],
    ['in mid-September', '2022-08-18', 'in mid-September', '2022-09-11', '2022-09-20'],
    ['done by the end of the year', '2022-08-18', 'by the end of the year', null, '2022-12-31'],
    ['we will report in the coming weeks', '2022-08-18', 'in the coming weeks', '2022-08-18', null],
    ['starting in a couple of months', '2022-08-18', 'in a couple of months', '2022-08-18', '2022-10-31'],
    ['probably around March 2021', '2020-12-10', 'March 2021', '2021-03-01', '2021-03-31'],
  ])('%s (said on %s)', (sentence, sessionDate, asSaid, earliestDate, latestDate) => {
    expect(targetIn(sentence, sessionDate)).toMatchObject({ asSaid, earliestDate, latestDate });
  });

  it('names no target for a day before the session, a duration, or no time at all', () => {
    expect(targetIn('We formed it in 2019.', '2022-08-18')).toBeNull();
    expect(targetIn('This could take 1-2 weeks.', '2022-08-18')).toBeNull();
    expect(targetIn('We will do it.', '2022-08-18')).toBeNull();
  });

  it('holds a hedged time less surely', () => {
    expect(targetIn('probably around March 2021', '2020-12-10')!.confidence).toBeLessThan(
      targetIn('in March 2021', '2020-12-10')!.confidence,
    );
  });
});

describe('commitment language', () => {
  it.each([
    ['We will follow up in writing.', 'follow_up', 'follow up'],
    ['We are planning on holding another vote.', 'plan', 'are planning'],
    ['It is my hope that we will complete it.', 'hope', 'It is my hope'],
    ['We will continue to protect the projects.', 'firm', 'will continue'],
    ['We want to be transparent where possible.', 'vague', 'want to'],
  ])('%s is %s, decided by “%s”', (sentence, strength, decidingWords) => {
    expect(commitmentIn(sentence)).toMatchObject({ strength, decidingWords });
  });

  it.each([
    'I can’t promise that we will ship it.',
    'It is possible, but it hasn’t been decided yet.',
    'Well, it’s early for me to talk about what’s going to come out of phase 2.',
    'Honestly, I don’t know what we will do.',
    'I will start by defending the committee.',
  ])('a hedge or a remark about the talk is no commitment: %s', (sentence) => {
    expect(commitmentIn(sentence)).toBeNull();
  });

  it('an answer agreeing to a question’s proposal is a commitment; agreeing to an opinion is not', () => {
    expect(agreementTo('Will T&S help volunteers?', 'Yes, where appropriate.')).toMatchObject({
      strength: 'firm',
      decidingWords: 'Yes',
    });
    expect(agreementTo('Is it going to be sanctionable?', 'I certainly hope so.')).toMatchObject({ strength: 'hope' });
    expect(agreementTo('Would you say it made sense?', 'Yes, it made sense.')).toBeNull();
  });
});

describe('a draft from notes it has never seen', () => {
  const draft = draftSession(NOTES);

  it('reads the session from the opening', () => {
    expect(draft.session.date.value).toBe('2031-03-05');
    expect(draft.session.hosts.value).toEqual([
      { name: 'Ana Lopes', role: 'Director of Platform Safety' },
      { name: 'Bo Chen', role: 'Lead Community Programs Manager' },
    ]);
    expect(draft.session.kind.value).toBe('office_hour');
  });

  it('quotes exactly: each quote is the notes at its offsets', () => {
    expect(draft.candidates.length).toBeGreaterThan(0);
    for (const candidate of draft.candidates) {
      expect(NOTES.slice(candidate.quote.start, candidate.quote.end)).toBe(candidate.quote.text);
      expect(candidate.confidence).toBeGreaterThanOrEqual(0);
      expect(candidate.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('takes the speaker from the name prefix, and the host when there is none', () => {
    const byQuote = (start: string) => draft.candidates.find((candidate) => candidate.quote.text.startsWith(start));
    expect(byQuote('We are planning to ship')).toMatchObject({
      speaker: { value: { name: 'Ana Lopes', role: 'Director of Platform Safety' } },
      ownerTeam: { value: 'Platform Safety' },
      strength: { value: 'plan', decidingWords: 'are planning' },
      target: { asSaid: 'January or February', earliestDate: '2032-01-01', latestDate: '2032-02-29' },
    });
    expect(byQuote('We will share the timeline')).toMatchObject({
      speaker: { value: { name: 'Bo Chen' } },
      strength: { value: 'follow_up' },
      target: { asSaid: 'in the coming weeks', latestDate: null },
    });
    expect(byQuote('Yes, by mid-September')).toMatchObject({
      speaker: { value: { name: 'Ana Lopes' } },
      target: { latestDate: '2031-09-15' },
    });
  });

  it('never takes a question’s claims, nor hedged sentences', () => {
    const quotes = draft.candidates.map((candidate) => candidate.quote.text);
    expect(quotes.some((quote) => quote.includes('already promised'))).toBe(false);
    expect(quotes.some((quote) => quote.includes('can’t promise'))).toBe(false);
    expect(quotes.some((quote) => quote.includes('not decided'))).toBe(false);
  });

  it('reads wikitext the same way, offsets into the wikitext', () => {
    const wikitext = [
      "'''Office hours 2031-03-05'''",
      'The session was led by Ana Lopes, Director of Platform Safety.',
      '== Tooling ==',
      '* Will the tool ship?',
      ": '''Ana:''' We are planning to ship it in January.",
    ].join('\n');
    const wiki = draftSession(wikitext);
    expect(wiki.format).toBe('wikitext');
    const [candidate] = wiki.candidates;
    expect(candidate).toMatchObject({
      section: 'Tooling',
      speaker: { value: { name: 'Ana Lopes' } },
      target: { latestDate: '2032-01-31' },
    });
    expect(wikitext.slice(candidate!.quote.start, candidate!.quote.end)).toBe('We are planning to ship it in January.');
  });
});
