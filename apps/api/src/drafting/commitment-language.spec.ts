import { commitmentIn, purposeFragment, selfAnswered, statusReport } from './commitment-language.js';
import { draftSession } from './drafter.js';

/** Notes of a session the drafter has never seen, in the shape such notes share. */
const NOTES = [
  'Office hours/Office hours 2031-05-14',
  '',
  'The Platform Safety team is hosting a new conversation meeting led by Ana Lopes. You can also send us your questions in advance.',
  '',
  'As in previous calls: I can’t and won’t discuss individual reports. This call will be streamed.',
  '',
  'The session was led by Ana Lopes, Director of Platform Safety.',
  '',
  'Safety',
  '',
  '  • Some say the Foundation never protects reporters. Will you publish the reports?',
  'Ana: We don’t publish the names of people who report. The highest priority for us is to keep reporters safe.',
  '  • How do you plan to avoid abuse of the reporting tool?',
  'Ana: Rate limits? First thing that comes to my mind. Rate limits to slow down anyone sending many reports.',
  '  • Would the team act on a threat?',
  'Ana: If I saw a threat against a reporter, would I step in? Yes. We respect the decisions of local admins.',
  '  • What is the status of the new form?',
  'Ana: This is more of a Design team thing.',
  '',
].join('\n');

describe('negative and standing commitments are firm', () => {
  it.each([
    ['We don’t restrict access to knowledge just to appease critics.', 'don’t restrict'],
    ['We don’t discriminate at who causes an issue.', 'don’t discriminate'],
    ['I will not respond to comments that are disrespectful.', 'will not respond'],
    ['I can’t and won’t discuss specific cases.', 'can’t and won’t'],
    ['This is not a place where we can tolerate abuse of other people.', 'not a place where we can tolerate'],
    ['There is zero tolerance for harassment at our events.', 'zero tolerance'],
    ['Overall, the Foundation still sees too many gaps in the code to sign it.', 'too many gaps in the code to sign'],
    ['We are not planning to sign it at this stage.', 'not planning to'],
    ['Pre-approval of local policies is certainly not our intention.', 'is certainly not our intention'],
    ['Where takedowns are valid, the Foundation has no choice but to comply.', 'has no choice but to'],
    ['For legal reasons, the Foundation is not able to advise on such matters.', 'is not able to'],
  ])('%s', (sentence, decidingWords) => {
    expect(commitmentIn(sentence)).toMatchObject({ strength: 'firm', decidingWords });
  });

  it.each([
    ['We respect community self-governance.', 'We respect'],
    ['If folks are not comfortable with this, our team also takes feedback over email.', 'our team also takes'],
    ['It is standard practice; we consider compliance with the code as one of the factors.', 'we consider'],
    ['We comply with valid takedown requests.', 'We comply'],
    ['When it happens, we are getting together to get a quick response.', 'When it happens, we are getting'],
    ['The highest priority for us is to make sure that editors are not put in danger.', 'The highest priority for us is to'],
    ['To submit questions, feel free to write to the team address.', 'feel free to write'],
    ['You can also send us your questions in advance.', 'You can also send'],
    ['What the handbook says prevails.', 'prevails'],
    ['We continue to review every appeal.', 'continue to'],
    ['We are committed to publishing the figures.', 'committed to'],
    ['We have to start sooner.', 'have to'],
    ['The policy must be a living document.', 'must'],
  ])('standing: %s', (sentence, decidingWords) => {
    expect(commitmentIn(sentence)).toMatchObject({ strength: 'firm', decidingWords });
  });

  it.each([
    'We don’t have mechanisms at this point.',
    'I don’t regret it, but I didn’t know where it would lead.',
    'I believe, no I don’t support that.',
    'We don’t always move immediately towards termination.',
    'I want to make sure that we don’t leave this by the wayside.',
    'We do not want to give people ideas on how to hurt our system.',
    'We receive a lot of government takedown requests.',
    'We talked about improvements to survey practices.',
    'The demands the Foundation receives are publicly listed.',
    'Some of the conditions under which we currently do this are listed.',
    'The CD team focus is training in development.',
    'Maggie Dennis, a division of the Legal Department at the Foundation, hosted the call.',
    'While we work all this out, it takes time.',
    'When I started, I went where my interests were.',
    'When anyone tries to change something, we have seen resistance.',
    'Elections are costly, and that has to be considered as well.',
    'All have the same mindset because of the hurdles one has to cross even to post there.',
    'Sometimes they have to be limited.',
    'I encourage a follow-up.',
    'The report was ready to be published last week.',
    'This Christmas is going to be very different for me.',
    'That we protect people in places where you will be targeted for that.',
    'If somebody tells me they want to be called something, I call them that.',
    'It is easy to criticize whoever is trying to change anything.',
    'Please let us know if you notice any difference.',
  ])('no standing commitment: %s', (sentence) => {
    const found = commitmentIn(sentence);
    expect(found === null || found.strength !== 'firm').toBe(true);
  });

  it('a question’s own claims are never a commitment, hedges withdraw one', () => {
    const quotes = draftSession(NOTES).candidates.map((candidate) => candidate.quote.text);
    expect(quotes.some((quote) => quote.includes('never protects'))).toBe(false);
    expect(commitmentIn('I can’t promise that we won’t publish them.')).toBeNull();
    expect(commitmentIn('It hasn’t been decided whether we don’t publish them.')).toBeNull();
  });
});

describe('who is committed decides how firmly', () => {
  it('what a committee or a new hire will do is their plan, not the speaker’s promise', () => {
    expect(commitmentIn('After the vote closes, the Elections Committee will scrutinize it.')).toMatchObject({
      strength: 'plan',
      decidingWords: 'will',
    });
    expect(commitmentIn('This person will work with local organizations.')).toMatchObject({ strength: 'plan' });
    expect(commitmentIn('We will attend the retrospective.')).toMatchObject({ strength: 'firm', bySpeaker: true });
    expect(commitmentIn('Everyone that is a part of the movement will be held accountable.')).toMatchObject({ strength: 'firm' });
    expect(
      commitmentIn('Yet we are interested in working with policymakers to improve it and will re-evaluate it in the future.'),
    ).toMatchObject({ strength: 'plan', decidingWords: 'are interested in working' });
  });

  it('a guess at a promise, or the movement’s task, is vague', () => {
    expect(commitmentIn('I imagine that’s part of what we will talk about in phase 2.')).toMatchObject({
      strength: 'vague',
      decidingWords: 'I imagine',
    });
    expect(commitmentIn('I have a feeling this is going to be part of the next phase.')).toMatchObject({ strength: 'vague' });
    expect(commitmentIn('As a movement, we do have to define it.')).toMatchObject({ strength: 'vague' });
  });

  it('plans: efforts under way, expectations, wishes to go on', () => {
    expect(commitmentIn('We are trying to create a governance mechanism that crosses cultures.')).toMatchObject({
      strength: 'plan',
    });
    expect(commitmentIn('We want to continue to work with communities on these requests.')).toMatchObject({ strength: 'plan' });
    expect(commitmentIn('We should be hosting the next session around March.')).toMatchObject({ strength: 'plan' });
    expect(commitmentIn('However, I expect that the Foundation will continue to be required to act.')).toMatchObject({
      strength: 'plan',
      decidingWords: 'I expect',
    });
    expect(commitmentIn('You can also give a chance to this new tool we are trying to provide.')).toBeNull();
  });

  it('a wish needs its wisher close by', () => {
    expect(commitmentIn('It won’t be perfect, but we want to make it better.')).toMatchObject({ strength: 'vague' });
    expect(commitmentIn('Pandemic has helped us to focus on the work we really need to do.')).toBeNull();
    expect(commitmentIn('Just as with staff, sometimes volunteers need to be taught.')).toBeNull();
    expect(commitmentIn('We should have made better steps to decide what should happen and when.')).toBeNull();
  });
});

describe('answers that promise without a verb of their own', () => {
  it('a question the speaker puts to themselves and answers at once', () => {
    expect(selfAnswered('If I saw a threat, would I step in?', 'Yes.')).toMatchObject({ strength: 'firm', decidingWords: 'Yes' });
    expect(selfAnswered('Does intention matter?', 'Yes.')).toBeNull();
    expect(selfAnswered('How do we handle these situations?', 'How do we handle differences?')).toBeNull();
  });

  it('a verbless phrase naming something done for a purpose', () => {
    expect(purposeFragment('Training to help the people doing mediation to recognize these tactics.')).toMatchObject({
      decidingWords: 'to help',
    });
    expect(purposeFragment('Longer process than phase 1 to give a chance for the communities to talk.')).not.toBeNull();
    expect(purposeFragment('First thing that comes to my mind.')).toBeNull();
    expect(purposeFragment('How to report, where to go, who to talk to.')).toBeNull();
    expect(purposeFragment('Second: in regards to copyright removals, the Foundation receives few.')).toBeNull();
    expect(purposeFragment('Multiple conversations, surveys (which are private), talk to communities.')).toBeNull();
  });

  it('a status answer that points elsewhere reports nothing', () => {
    expect(statusReport('What is the status of the hire?', 'So close.')).toMatchObject({ strength: 'plan' });
    expect(statusReport('Any updates about the form?', 'This is more of a Design team thing.')).toBeNull();
  });
});

describe('a draft from such notes', () => {
  const draft = draftSession(NOTES);
  const byQuote = (start: string) => draft.candidates.find((candidate) => candidate.quote.text.startsWith(start));

  it('takes the standing rules of the announcement, not its predictions', () => {
    expect(byQuote('You can also send us your questions')).toMatchObject({ strength: { value: 'firm' } });
    expect(byQuote('As in previous calls: I can’t and won’t discuss')).toMatchObject({ strength: { value: 'firm' } });
    expect(byQuote('This call will be streamed')).toBeUndefined();
  });

  it('takes negative, standing and self-answered commitments from the answers', () => {
    expect(byQuote('We don’t publish the names')).toMatchObject({ strength: { value: 'firm' } });
    expect(byQuote('The highest priority for us')).toMatchObject({ strength: { value: 'firm' } });
    expect(byQuote('We respect the decisions')).toMatchObject({ strength: { value: 'firm' } });
    const stepIn = byQuote('If I saw a threat');
    expect(stepIn).toMatchObject({ strength: { value: 'firm', decidingWords: 'Yes' } });
    expect(stepIn!.quote.text).toBe('If I saw a threat against a reporter, would I step in? Yes.');
    expect(NOTES.slice(stepIn!.quote.start, stepIn!.quote.end)).toBe(stepIn!.quote.text);
  });

  it('a date alone makes a candidate only for something still to be done', () => {
    const dated = draftSession(
      [
        'Office hours/Office hours 2031-05-14',
        '',
        'The session was led by Ana Lopes, Director of Platform Safety.',
        '',
        '  • Any news on the working group?',
        'Ana: We have formed a working group in September. The group meets the admins again in October.',
        '',
      ].join('\n'),
    );
    expect(dated.candidates.map((candidate) => candidate.quote.text)).toEqual(['The group meets the admins again in October.']);
  });

  it('takes the way a “how do you plan” question is answered, not the musing before it', () => {
    expect(byQuote('Rate limits to slow down')).toMatchObject({ strength: { value: 'vague', decidingWords: 'to slow' } });
    expect(byQuote('First thing')).toBeUndefined();
    expect(byQuote('This is more of a Design team thing')).toBeUndefined();
  });
});
