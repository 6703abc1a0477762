import { IllegalStateError, InvalidValueError, RuleViolationError, type SessionFacts } from '../shared/index.js';
import { specification } from '../testing/given-when-then.js';
import {
  acceptedCommands,
  commitmentDecider,
  datePrecisionOf,
  evidenceOf,
  statusAfter,
  type CommitmentCommand,
  type CommitmentEvent,
  type CommitmentMade,
  type CommitmentStatus,
  type MakeCommitment,
  splitPartCommitment,
  replacementsOf,
  linkChangesOf,
  relationFrom,
  type OtherCommitmentFacts,
  type OtherCommitmentRef,
  type SplitPart,
} from './commitment.js';

const { given } = specification(commitmentDecider);

const now = '2026-11-21T09:00:00.000Z';
const session2020: SessionFacts = { sessionId: 's-2020-12-10', date: '2020-12-10' };
const session2022: SessionFacts = { sessionId: 's-2022-08-18', date: '2022-08-18' };
const at = (day: string) => `${day}T12:00:00.000Z`;
type CommandOf<Type> = Extract<CommitmentCommand, { type: Type }>;
const command = <Type extends CommitmentCommand['type']>(
  type: Type,
  data: CommandOf<Type>['data'],
  occurredAt = at('2022-08-18'),
) => ({ type, data, occurredAt, now }) as CommandOf<Type>;

const details = {
  speaker: { name: 'Patrick', role: 'Manager of T&S Ops' },
  ownerTeam: 'Trust & Safety',
  topics: ['UCoC'],
  summary: 'Start phase 2 of the Universal Code of Conduct',
  quote: 'We are planning to start in January or February.',
  target: { asSaid: 'January or February 2021', latestDate: '2021-02-28' },
  strength: 'plan',
} as const;

const make: MakeCommitment = command(
  'MakeCommitment',
  { commitmentId: 'c-ucoc-phase-2', session: session2020, ...details },
  at('2020-12-10'),
);
const made: CommitmentMade = {
  type: 'CommitmentMade',
  data: { commitmentId: 'c-ucoc-phase-2', sessionId: 's-2020-12-10', sessionDate: '2020-12-10', ...details },
};
const started: CommitmentEvent = { type: 'WorkStarted', data: { note: null } };
const delivered: CommitmentEvent = {
  type: 'CommitmentDelivered',
  data: { completeness: 'full', note: 'Launched', evidence: [] },
};
const partlyDelivered: CommitmentEvent = {
  type: 'CommitmentDelivered',
  data: { completeness: 'partial', note: 'Half', evidence: [] },
};
const dropped: CommitmentEvent = { type: 'CommitmentDropped', data: { reason: 'deprioritised', explanation: 'Budget' } };
const superseded: CommitmentEvent = {
  type: 'CommitmentSuperseded',
  data: { supersededBy: 'c-enforcement-vote', note: 'Restated' },
};

const histories: Record<CommitmentStatus | 'not_made', readonly CommitmentEvent[]> = {
  not_made: [],
  announced: [made],
  in_progress: [made, started],
  delivered: [made, started, delivered],
  partially_delivered: [made, partlyDelivered],
  dropped: [made, dropped],
  superseded: [made, superseded],
  split: [made, { type: 'CommitmentSplit', data: { parts: ['c-part-1', 'c-part-2'], note: 'Two promises in one' } }],
};

const facts = (commitmentId: string, more: Partial<OtherCommitmentFacts> = {}): OtherCommitmentFacts => ({
  commitmentId,
  status: 'announced',
  supersededByChain: [],
  ...more,
});
const other = facts('c-other');
const ref = (id: string, more: Partial<OtherCommitmentFacts> | null = {}): OtherCommitmentRef => ({
  id,
  facts: more === null ? null : facts(id, more),
});
const part = (commitmentId: string, more: Partial<SplitPart> = {}): SplitPart => ({
  commitmentId,
  summary: `Part ${commitmentId}`,
  quote: null,
  ownerTeam: null,
  target: null,
  ...more,
});
const newTarget = { asSaid: 'by mid-2021', latestDate: '2021-06-30' };
const commands = {
  MakeCommitment: make,
  RevisitCommitment: command('RevisitCommitment', {
    session: session2022,
    statement: 'Enforcement guidelines go to consultation',
    quote: null,
    speaker: null,
    newTarget: null,
  }),
  ReportProgress: command('ReportProgress', { note: 'Consultation opened', evidence: ['https://meta.wikimedia.org/wiki/UCoC'] }),
  StartWork: command('StartWork', { note: null }),
  RetargetCommitment: command('RetargetCommitment', { newTarget, reason: 'More time for translations' }),
  DeliverCommitment: command('DeliverCommitment', { completeness: 'full', note: 'Done', evidence: [] }),
  DropCommitment: command('DropCommitment', { reason: 'no_longer_possible', explanation: 'Superseded by events' }),
  SupersedeCommitment: command('SupersedeCommitment', {
    replacements: [{ id: 'c-other', facts: other }],
    note: 'Restated in 2022',
  }),
  SplitCommitment: command('SplitCommitment', { parts: [part('c-part-1'), part('c-part-2')], note: 'Two promises in one' }),
  MergeCommitment: command('MergeCommitment', { into: { id: 'c-other', facts: other }, note: 'The same promise' }),
  ReopenCommitment: command('ReopenCommitment', { reason: 'Closed by mistake' }),
  CorrectCommitment: command('CorrectCommitment', { changes: { ownerTeam: 'T&S Policy' }, reason: 'Owner as per notes' }),
  LinkCommitment: command('LinkCommitment', { other, otherId: 'c-other', relation: 'related', note: null }),
} satisfies { [Type in CommitmentCommand['type']]: CommandOf<Type> };

type Outcome = CommitmentEvent['type'] | typeof IllegalStateError;
const I = IllegalStateError;
// prettier-ignore
const outcomes: Record<keyof typeof histories, Record<keyof typeof commands, Outcome>> = {
  not_made:            { MakeCommitment: 'CommitmentMade', RevisitCommitment: I, ReportProgress: I, StartWork: I, RetargetCommitment: I, DeliverCommitment: I, DropCommitment: I, SupersedeCommitment: I, SplitCommitment: I, MergeCommitment: I, ReopenCommitment: I, CorrectCommitment: I, LinkCommitment: I },
  announced:           { MakeCommitment: I, RevisitCommitment: 'CommitmentRevisited', ReportProgress: 'ProgressReported', StartWork: 'WorkStarted', RetargetCommitment: 'CommitmentRetargeted', DeliverCommitment: 'CommitmentDelivered', DropCommitment: 'CommitmentDropped', SupersedeCommitment: 'CommitmentSuperseded', SplitCommitment: 'CommitmentSplit', MergeCommitment: 'CommitmentMerged', ReopenCommitment: I, CorrectCommitment: 'CommitmentCorrected', LinkCommitment: 'CommitmentLinked' },
  in_progress:         { MakeCommitment: I, RevisitCommitment: 'CommitmentRevisited', ReportProgress: 'ProgressReported', StartWork: I, RetargetCommitment: 'CommitmentRetargeted', DeliverCommitment: 'CommitmentDelivered', DropCommitment: 'CommitmentDropped', SupersedeCommitment: 'CommitmentSuperseded', SplitCommitment: 'CommitmentSplit', MergeCommitment: 'CommitmentMerged', ReopenCommitment: I, CorrectCommitment: 'CommitmentCorrected', LinkCommitment: 'CommitmentLinked' },
  delivered:           { MakeCommitment: I, RevisitCommitment: 'CommitmentRevisited', ReportProgress: I, StartWork: I, RetargetCommitment: I, DeliverCommitment: I, DropCommitment: I, SupersedeCommitment: I, SplitCommitment: I, MergeCommitment: I, ReopenCommitment: 'CommitmentReopened', CorrectCommitment: 'CommitmentCorrected', LinkCommitment: 'CommitmentLinked' },
  partially_delivered: { MakeCommitment: I, RevisitCommitment: 'CommitmentRevisited', ReportProgress: I, StartWork: I, RetargetCommitment: I, DeliverCommitment: I, DropCommitment: I, SupersedeCommitment: I, SplitCommitment: I, MergeCommitment: I, ReopenCommitment: 'CommitmentReopened', CorrectCommitment: 'CommitmentCorrected', LinkCommitment: 'CommitmentLinked' },
  dropped:             { MakeCommitment: I, RevisitCommitment: 'CommitmentRevisited', ReportProgress: I, StartWork: I, RetargetCommitment: I, DeliverCommitment: I, DropCommitment: I, SupersedeCommitment: I, SplitCommitment: I, MergeCommitment: I, ReopenCommitment: 'CommitmentReopened', CorrectCommitment: 'CommitmentCorrected', LinkCommitment: 'CommitmentLinked' },
  superseded:          { MakeCommitment: I, RevisitCommitment: 'CommitmentRevisited', ReportProgress: I, StartWork: I, RetargetCommitment: I, DeliverCommitment: I, DropCommitment: I, SupersedeCommitment: I, SplitCommitment: I, MergeCommitment: I, ReopenCommitment: 'CommitmentReopened', CorrectCommitment: 'CommitmentCorrected', LinkCommitment: 'CommitmentLinked' },
  split:               { MakeCommitment: I, RevisitCommitment: 'CommitmentRevisited', ReportProgress: I, StartWork: I, RetargetCommitment: I, DeliverCommitment: I, DropCommitment: I, SupersedeCommitment: I, SplitCommitment: I, MergeCommitment: I, ReopenCommitment: 'CommitmentReopened', CorrectCommitment: 'CommitmentCorrected', LinkCommitment: 'CommitmentLinked' },
};

describe('Commitment: every command in every state', () => {
  const cases = Object.entries(outcomes).flatMap(([status, row]) =>
    Object.entries(row).map(([type, outcome]) => [status, type, outcome] as const),
  );

  it.each(cases)('given %s, when %s: %p', (status, type, outcome) => {
    const when = given(histories[status as keyof typeof histories]).when(commands[type as keyof typeof commands]);
    if (typeof outcome === 'string') {
      const decided = commitmentDecider.decide(
        commands[type as keyof typeof commands],
        histories[status as keyof typeof histories].reduce(commitmentDecider.evolve, commitmentDecider.initialState),
      );
      expect(decided.map((event) => event.type)).toEqual([outcome]);
    } else {
      when.thenThrows(outcome);
    }
  });
});

describe('Commitment: the commands each state accepts, as the pages offer them', () => {
  it.each(Object.keys(outcomes))('given %s: exactly the commands the matrix does not refuse', (status) => {
    const row = outcomes[status as keyof typeof outcomes];
    const notRefused = Object.keys(row).filter((type) => row[type as keyof typeof row] !== I);
    expect([...acceptedCommands(status as keyof typeof outcomes)].sort()).toEqual(notRefused.sort());
  });
});

describe('Commitment', () => {
  describe('make', () => {
    it('records what was promised, by whom, in which session', () => given([]).when(make).then([made]));

    it('is made in a recorded session', () =>
      given([])
        .when({ ...make, data: { ...make.data, session: null } })
        .thenThrows(RuleViolationError, /made in a recorded session/));

    it('refuses a target before its session', () =>
      given([])
        .when({ ...make, data: { ...make.data, target: { asSaid: 'November', latestDate: '2020-11-30' } } })
        .thenThrows(RuleViolationError, /target date 2020-11-30 is before the session of 2020-12-10/));

    it('accepts a commitment without a date, such as a promised follow-up', () =>
      given([])
        .when({ ...make, data: { ...make.data, target: null, strength: 'follow_up' } })
        .then([{ ...made, data: { ...made.data, target: null, strength: 'follow_up' } }]));

    it('refuses something dated after now', () =>
      given([])
        .when({ ...make, occurredAt: '2027-01-01T00:00:00.000Z' })
        .thenThrows(RuleViolationError, /after now/));

    it('starts announced, with its session and details', () =>
      given([])
        .when(make)
        .thenState({
          status: 'announced',
          commitmentId: 'c-ucoc-phase-2',
          madeIn: session2020,
          revisitedIn: [],
          started: false,
          links: [],
          ...details,
        }));
  });

  describe('revisit', () => {
    const revisit = commands.RevisitCommitment;

    it('records the later statement and the target it replaced', () =>
      given([made])
        .when({
          ...revisit,
          data: { ...revisit.data, newTarget: { asSaid: 'another vote in January', latestDate: '2023-01-31' } },
        })
        .then([
          {
            type: 'CommitmentRevisited',
            data: {
              sessionId: 's-2022-08-18',
              sessionDate: '2022-08-18',
              statement: 'Enforcement guidelines go to consultation',
              quote: null,
              speaker: null,
              newTarget: { asSaid: 'another vote in January', latestDate: '2023-01-31' },
              previousTarget: details.target,
            },
          },
        ]));

    it('happens in a session dated after the one where it was made', () =>
      given([made])
        .when({ ...revisit, data: { ...revisit.data, session: session2020 } })
        .thenThrows(
          RuleViolationError,
          /later session: this commitment was made on 2020-12-10, the session is dated 2020-12-10/,
        ));

    it('happens in a recorded session', () =>
      given([made])
        .when({ ...revisit, data: { ...revisit.data, session: null } })
        .thenThrows(RuleViolationError, /recorded session/));

    it('happens once per session', () =>
      given([made, ...commitmentDecider.decide(revisit, commitmentDecider.evolve(commitmentDecider.initialState, made))])
        .when(revisit)
        .thenThrows(RuleViolationError, /already revisited in that session/));

    it('cannot give a closed commitment a new target', () =>
      given([made, delivered])
        .when({ ...revisit, data: { ...revisit.data, newTarget } })
        .thenThrows(IllegalStateError, /delivered; reopen it/));

    it('cannot name a target before the revisiting session', () =>
      given([made])
        .when({ ...revisit, data: { ...revisit.data, newTarget } })
        .thenThrows(RuleViolationError, /before the session of 2022-08-18/));
  });

  describe('progress, start, deliver, drop', () => {
    it('reports progress with evidence', () =>
      given([made])
        .when(commands.ReportProgress)
        .then([{ type: 'ProgressReported', data: commands.ReportProgress.data }]));

    it('refuses progress dated before the commitment was made', () =>
      given([made])
        .when({ ...commands.ReportProgress, occurredAt: at('2020-12-01') })
        .thenThrows(RuleViolationError, /dated 2020-12-01, before the commitment was made on 2020-12-10/));

    it('starting work moves it in progress', () =>
      given([made])
        .when(commands.StartWork)
        .thenState(expect.objectContaining({ status: 'in_progress', started: true })));

    it('delivers partially', () =>
      given([made, started])
        .when({ ...commands.DeliverCommitment, data: { completeness: 'partial', note: 'Phase 1 only', evidence: [] } })
        .thenState(expect.objectContaining({ status: 'partially_delivered' })));

    it('explains why a delivered commitment cannot be dropped', () =>
      given([made, delivered])
        .when(commands.DropCommitment)
        .thenThrows(
          IllegalStateError,
          /Cannot drop this commitment: it is delivered. A closed commitment accepts only reopen, correct, revisit and link./,
        ));

    it('drops with a reason from the list and an explanation', () =>
      given([made])
        .when(commands.DropCommitment)
        .then([{ type: 'CommitmentDropped', data: { reason: 'no_longer_possible', explanation: 'Superseded by events' } }]));
  });

  describe('re-target', () => {
    it('records the previous and the new target', () =>
      given([made])
        .when(commands.RetargetCommitment)
        .then([
          {
            type: 'CommitmentRetargeted',
            data: { previousTarget: details.target, newTarget, reason: 'More time for translations' },
          },
        ]));

    it('refuses the same target', () =>
      given([made])
        .when({ ...commands.RetargetCommitment, data: { newTarget: details.target, reason: 'x' } })
        .thenThrows(RuleViolationError, /same as the current one/));

    it('refuses a target before the session it was made in', () =>
      given([made])
        .when({
          ...commands.RetargetCommitment,
          data: { newTarget: { asSaid: 'last year', latestDate: '2019-12-31' }, reason: 'x' },
        })
        .thenThrows(RuleViolationError, /before the session of 2020-12-10/));
  });

  describe('supersede and reopen', () => {
    it('needs an existing other commitment', () =>
      given([made])
        .when({ ...commands.SupersedeCommitment, data: { replacements: [ref('c-missing', null)], note: '' } })
        .thenThrows(RuleViolationError, /c-missing does not exist/));

    it('cannot be superseded by itself', () =>
      given([made])
        .when({
          ...commands.SupersedeCommitment,
          data: { replacements: [ref('c-ucoc-phase-2')], note: '' },
        })
        .thenThrows(RuleViolationError, /by itself/));

    it('makes no cycle', () =>
      given([made])
        .when({
          ...commands.SupersedeCommitment,
          data: { replacements: [ref('c-b', { status: 'superseded', supersededByChain: ['c-c', 'c-ucoc-phase-2'] })], note: '' },
        })
        // A conflict with the record as it stands: of two opposite supersessions, the second is refused with a 409.
        .thenThrows(IllegalStateError, /would make a cycle/));

    it('a reopened commitment forgets what superseded it and returns to where work stood', () =>
      given([made, started, superseded])
        .when(commands.ReopenCommitment)
        .thenState(expect.not.objectContaining({ supersededBy: expect.anything() })));

    it('a reopened commitment on which work had started is in progress again', () =>
      given([made, started, delivered])
        .when(commands.ReopenCommitment)
        .thenState(expect.objectContaining({ status: 'in_progress' })));

    it('a reopened commitment on which work never started is announced again', () =>
      given([made, dropped])
        .when(commands.ReopenCommitment)
        .thenState(expect.objectContaining({ status: 'announced' })));
  });

  describe('correct and link', () => {
    it('records only the fields that change, apart from progress', () =>
      given([made])
        .when({
          ...commands.CorrectCommitment,
          data: { changes: { ownerTeam: 'T&S Policy', strength: 'plan' }, reason: 'Per notes' },
        })
        .then([{ type: 'CommitmentCorrected', data: { changes: { ownerTeam: 'T&S Policy' }, reason: 'Per notes' } }]));

    it('refuses a correction that changes nothing', () =>
      given([made])
        .when({ ...commands.CorrectCommitment, data: { changes: { summary: details.summary }, reason: 'x' } })
        .thenThrows(RuleViolationError, /changes nothing/));

    it('refuses a corrected target before the session', () =>
      given([made])
        .when({
          ...commands.CorrectCommitment,
          data: { changes: { target: { asSaid: 'x', latestDate: '2020-01-01' } }, reason: 'x' },
        })
        .thenThrows(RuleViolationError, /before the session/));

    it('links once to an existing other commitment, not to itself', () => {
      given([made, { type: 'CommitmentLinked', data: { linkedTo: 'c-other', relation: 'related', note: null } }])
        .when(commands.LinkCommitment)
        .thenThrows(RuleViolationError, /already linked to c-other/);
      given([made])
        .when({ ...commands.LinkCommitment, data: { ...commands.LinkCommitment.data, other: null, otherId: 'c-nope' } })
        .thenThrows(RuleViolationError, /c-nope, does not exist/);
      given([made])
        .when({ ...commands.LinkCommitment, data: { ...commands.LinkCommitment.data, otherId: 'c-ucoc-phase-2' } })
        .thenThrows(RuleViolationError, /linked to itself/);
    });
  });
});

describe('Commitment: status that follows the facts', () => {
  const progress = { type: 'ProgressReported', data: commands.ReportProgress.data } as const;
  const revisit = commands.RevisitCommitment;
  const revisited = {
    type: 'CommitmentRevisited',
    data: {
      sessionId: session2022.sessionId,
      sessionDate: session2022.date,
      statement: revisit.data.statement,
      quote: null,
      speaker: null,
      newTarget: null,
      previousTarget: details.target,
    },
  } as const;
  const withReport = (report: Record<string, unknown> | null) =>
    ({ ...revisit, data: { ...revisit.data, report } }) as CommitmentCommand;
  const evidence = ['https://meta.wikimedia.org/wiki/IRC_office_hours/Office_hours_2022-08-18'];

  describe('progress means work has started', () => {
    it('given an announced commitment, a progress report moves it in progress', () =>
      given([made])
        .when(commands.ReportProgress)
        .thenState(expect.objectContaining({ status: 'in_progress', started: true })));

    it('given an in-progress commitment, a progress report keeps it in progress', () =>
      given([made, started])
        .when(commands.ReportProgress)
        .thenState(expect.objectContaining({ status: 'in_progress', started: true })));

    it('given progress, work cannot be started again', () =>
      given([made, progress])
        .when(commands.StartWork)
        .thenThrows(IllegalStateError, /already started/));

    it('given progress then delivery, a reopened commitment goes back in progress', () =>
      given([made, progress, delivered])
        .when(commands.ReopenCommitment)
        .thenState(expect.objectContaining({ status: 'in_progress' })));
  });

  describe('a revisit carries a status report in the same step', () => {
    it('with progress: the revisit and the progress report, and it is in progress', () => {
      const report = { kind: 'progress', note: 'Months of work behind us', evidence };
      given([made])
        .when(withReport(report))
        .then([revisited, { type: 'ProgressReported', data: { note: report.note, evidence } }]);
      given([made])
        .when(withReport(report))
        .thenState(expect.objectContaining({ status: 'in_progress', started: true }));
    });

    it('with a delivery known only by the session: delivered no later than that day', () =>
      given([made])
        .when(withReport({ kind: 'delivered', note: 'Has been ratified', evidence, datePrecision: 'no_later_than' }))
        .then([
          revisited,
          {
            type: 'CommitmentDelivered',
            data: { completeness: 'full', note: 'Has been ratified', evidence, datePrecision: 'no_later_than' },
          },
        ]));

    it('with a partial delivery', () =>
      given([made])
        .when(withReport({ kind: 'partially_delivered', note: 'Phase 1 only', evidence: [] }))
        .thenState(expect.objectContaining({ status: 'partially_delivered', revisitedIn: [session2022] })));

    it('with a drop: the reason and the explanation', () =>
      given([made])
        .when(withReport({ kind: 'dropped', reason: 'replaced', explanation: 'Folded into the guidelines' }))
        .then([
          revisited,
          { type: 'CommitmentDropped', data: { reason: 'replaced', explanation: 'Folded into the guidelines' } },
        ]));

    it('with no report (null): the revisit alone', () => given([made]).when(withReport(null)).then([revisited]));

    it('given a delivered commitment, refuses a progress report as the standalone command does', () =>
      given([made, delivered])
        .when(withReport({ kind: 'progress', note: 'More', evidence: [] }))
        .thenThrows(IllegalStateError, /Cannot report progress on this commitment: it is delivered/));

    it('given a dropped commitment, refuses a delivery', () =>
      given([made, dropped])
        .when(withReport({ kind: 'delivered', note: 'Done', evidence: [] }))
        .thenThrows(IllegalStateError, /Cannot deliver this commitment: it is dropped/));

    it('given a delivered commitment, a revisit without a report is still accepted', () =>
      given([made, delivered])
        .when(withReport(null))
        .then([{ ...revisited, data: { ...revisited.data } }]));

    it.each([
      ['an unknown kind', { kind: 'finished', note: 'x', evidence: [] }, /report\.kind: must be one of/],
      ['a progress report without a note', { kind: 'progress', evidence: [] }, /report\.note: must be text/],
      ['a drop with a reason not on the list', { kind: 'dropped', reason: 'bored', explanation: 'x' }, /report\.reason/],
      ['a drop with a note', { kind: 'dropped', reason: 'other', explanation: 'x', note: 'y' }, /report\.note: is not a known/],
      [
        'evidence that is not a list',
        { kind: 'progress', note: 'x', evidence: 'https://x.org' },
        /report\.evidence: must be a list/,
      ],
      [
        'an unknown date precision',
        { kind: 'progress', note: 'x', evidence: [], datePrecision: 'about' },
        /report\.datePrecision/,
      ],
    ])('refuses %s, naming the field', (_, report, message) =>
      given([made]).when(withReport(report)).thenThrows(InvalidValueError, message),
    );
  });

  describe('known only by a date, with evidence on every status change', () => {
    const facts = { evidence, datePrecision: 'no_later_than' } as const;
    it.each([
      ['StartWork', [made], 'WorkStarted'],
      ['RetargetCommitment', [made], 'CommitmentRetargeted'],
      ['DeliverCommitment', [made], 'CommitmentDelivered'],
      ['DropCommitment', [made], 'CommitmentDropped'],
      ['SupersedeCommitment', [made], 'CommitmentSuperseded'],
      ['ReopenCommitment', [made, dropped], 'CommitmentReopened'],
      ['ReportProgress', [made], 'ProgressReported'],
    ] as const)('%s stores the evidence and the date precision on its event', (type, history, eventType) => {
      const when = { ...commands[type], data: { ...commands[type].data, ...facts } } as CommitmentCommand;
      const [event] = commitmentDecider.decide(when, history.reduce(commitmentDecider.evolve, commitmentDecider.initialState));
      expect(event).toEqual({ type: eventType, data: expect.objectContaining(facts) });
    });

    it('refuses evidence that is not text, naming the field', () =>
      given([made])
        .when({
          ...commands.DropCommitment,
          data: { ...commands.DropCommitment.data, evidence: [42] },
        } as unknown as CommitmentCommand)
        .thenThrows(InvalidValueError, /evidence\[0\]: must be text/));

    it('refuses an unknown date precision', () =>
      given([made])
        .when({ ...commands.StartWork, data: { note: null, datePrecision: 'roughly' } } as unknown as CommitmentCommand)
        .thenThrows(InvalidValueError, /datePrecision: must be one of exact, no_later_than/));

    it('reads an event stored without them as exact, with no evidence', () => {
      expect(datePrecisionOf(dropped.data)).toBe('exact');
      expect(evidenceOf(dropped.data)).toEqual([]);
      expect(datePrecisionOf({ datePrecision: 'no_later_than' })).toBe('no_later_than');
    });
  });

  describe('statusAfter: the one definition the read models use', () => {
    it.each([
      ['announced', false, progress, 'in_progress', true],
      ['in_progress', true, progress, 'in_progress', true],
      ['announced', false, started, 'in_progress', true],
      ['in_progress', true, dropped, 'dropped', true],
      ['dropped', true, { type: 'CommitmentReopened', data: { reason: 'x' } }, 'in_progress', true],
      ['dropped', false, { type: 'CommitmentReopened', data: { reason: 'x' } }, 'announced', false],
      ['announced', false, partlyDelivered, 'partially_delivered', false],
      ['superseded', false, revisited, 'superseded', false],
    ] as const)('from %s (started: %p), after %j: %s', (status, wasStarted, event, expected, nowStarted) =>
      expect(statusAfter({ status, started: wasStarted }, event as CommitmentEvent)).toEqual({
        status: expected,
        started: nowStarted,
      }),
    );
  });
});

describe('Commitment: one promise across several', () => {
  const splitInto = (parts: readonly SplitPart[], occurredAt = at('2022-08-18')) =>
    command('SplitCommitment', { parts, note: 'Two promises in one' }, occurredAt);

  describe('split', () => {
    it('closes the original as split into its parts', () =>
      given([made])
        .when(splitInto([part('c-part-1'), part('c-part-2', { quote: 'start in January' })]))
        .then([{ type: 'CommitmentSplit', data: { parts: ['c-part-1', 'c-part-2'], note: 'Two promises in one' } }]));

    it('leaves it split, with its parts, and closed', () =>
      given([made])
        .when(commands.SplitCommitment)
        .thenState(expect.objectContaining({ status: 'split', splitInto: ['c-part-1', 'c-part-2'] })));

    it('each part keeps the session, speaker and quote it came from; the rest as the part says', () => {
      const original = [made].reduce(commitmentDecider.evolve, commitmentDecider.initialState);
      if (original.status === 'not_made') throw new Error('not made');
      const target = { asSaid: 'February 2021', latestDate: '2021-02-28' };
      expect(splitPartCommitment(original, part('c-part-2', { quote: 'start in January', ownerTeam: 'Legal', target }))).toEqual({
        commitmentId: 'c-part-2',
        session: session2020,
        speaker: details.speaker,
        ownerTeam: 'Legal',
        topics: details.topics,
        summary: 'Part c-part-2',
        quote: 'start in January',
        target,
        strength: 'plan',
        note: null,
      });
      expect(splitPartCommitment(original, part('c-part-1'))).toMatchObject({
        quote: details.quote,
        ownerTeam: details.ownerTeam,
        target: details.target,
      });
    });

    it('a part made from it is an ordinary commitment of that session', () => {
      const original = [made].reduce(commitmentDecider.evolve, commitmentDecider.initialState);
      if (original.status === 'not_made') throw new Error('not made');
      given([])
        .when(command('MakeCommitment', splitPartCommitment(original, part('c-part-1')), at('2020-12-10')))
        .then([
          {
            type: 'CommitmentMade',
            data: {
              commitmentId: 'c-part-1',
              sessionId: 's-2020-12-10',
              sessionDate: '2020-12-10',
              ...details,
              summary: 'Part c-part-1',
              note: null,
            },
          },
        ]);
    });

    it.each([
      ['one part only', [part('c-part-1')], RuleViolationError, /at least two/],
      ['two parts with one id', [part('c-part-1'), part('c-part-1')], RuleViolationError, /same id/],
      ['a part with the original id', [part('c-part-1'), part('c-ucoc-phase-2')], RuleViolationError, /id of the original/],
      [
        'a quote not from the original',
        [part('c-part-1', { quote: 'We will never start' }), part('c-part-2')],
        RuleViolationError,
        /original quote/,
      ],
      [
        'a part target before the session',
        [part('c-part-1', { target: { asSaid: 'last year', latestDate: '2019-12-31' } }), part('c-part-2')],
        RuleViolationError,
        /before the session/,
      ],
    ] as const)('refuses %s', (_, parts, errorClass, message) =>
      given([made]).when(splitInto(parts)).thenThrows(errorClass, message),
    );

    it('names the part a rule is about', () => {
      const error = (() => {
        try {
          commitmentDecider.decide(
            splitInto([part('c-part-1'), part('c-part-2', { quote: 'not in it' })]),
            [made].reduce(commitmentDecider.evolve, commitmentDecider.initialState),
          );
        } catch (thrown) {
          return thrown as RuleViolationError;
        }
        return null;
      })();
      expect(error?.field).toBe('parts[1].quote');
    });

    it('refuses to split a closed commitment, and one split before', () => {
      given(histories.delivered)
        .when(commands.SplitCommitment)
        .thenThrows(IllegalStateError, /Cannot split this commitment: it is delivered/);
      given(histories.split)
        .when(commands.SplitCommitment)
        .thenThrows(IllegalStateError, /it is split/);
    });

    it('a reopened split commitment is open again and no longer split', () =>
      given(histories.split)
        .when(commands.ReopenCommitment)
        .thenState(expect.not.objectContaining({ splitInto: expect.anything() })));
  });

  describe('merge', () => {
    const mergeInto = (into: OtherCommitmentRef) => command('MergeCommitment', { into, note: 'The same promise' });

    it('closes it as merged into an open commitment: superseded by it', () => {
      given([made])
        .when(mergeInto(ref('c-survivor', { status: 'in_progress' })))
        .then([{ type: 'CommitmentMerged', data: { mergedInto: 'c-survivor', note: 'The same promise' } }]);
      given([made])
        .when(mergeInto(ref('c-survivor')))
        .thenState(expect.objectContaining({ status: 'superseded', supersededBy: 'c-survivor', alsoSupersededBy: [] }));
    });

    it.each([
      ['into itself', ref('c-ucoc-phase-2'), RuleViolationError, /merged into itself/],
      ['into one that does not exist', ref('c-missing', null), RuleViolationError, /c-missing does not exist/],
      [
        'into a delivered one',
        ref('c-survivor', { status: 'delivered' }),
        IllegalStateError,
        /merged into an open one; c-survivor is delivered/,
      ],
      [
        'into one that is carried on by this one',
        ref('c-survivor', { supersededByChain: ['c-ucoc-phase-2'] }),
        IllegalStateError,
        /cycle/,
      ],
    ] as const)('refuses a merge %s', (_, into, errorClass, message) =>
      given([made]).when(mergeInto(into)).thenThrows(errorClass, message),
    );

    it('refuses to merge a closed commitment', () =>
      given(histories.dropped)
        .when(commands.MergeCommitment)
        .thenThrows(IllegalStateError, /Cannot merge this commitment: it is dropped/));
  });

  describe('supersede by several', () => {
    const supersedeBy = (...replacements: OtherCommitmentRef[]) =>
      command('SupersedeCommitment', { replacements, note: 'Replaced by two' });

    it('records the first and the others; one replacement keeps the old shape', () => {
      given([made])
        .when(supersedeBy(ref('c-a'), ref('c-b'), ref('c-c')))
        .then([
          {
            type: 'CommitmentSuperseded',
            data: { supersededBy: 'c-a', alsoSupersededBy: ['c-b', 'c-c'], note: 'Replaced by two' },
          },
        ]);
      given([made])
        .when(supersedeBy(ref('c-a')))
        .then([{ type: 'CommitmentSuperseded', data: { supersededBy: 'c-a', note: 'Replaced by two' } }]);
    });

    it('is superseded by all of them, and carried on by all of them', () => {
      const events = [
        made,
        { type: 'CommitmentSuperseded', data: { supersededBy: 'c-a', alsoSupersededBy: ['c-b'], note: 'x' } },
      ] as const;
      const state = events.reduce(commitmentDecider.evolve, commitmentDecider.initialState);
      expect(replacementsOf(state)).toEqual(['c-a', 'c-b']);
      // An event stored before supersede-by-several has no `alsoSupersededBy`.
      expect(replacementsOf([made, superseded].reduce(commitmentDecider.evolve, commitmentDecider.initialState))).toEqual([
        'c-enforcement-vote',
      ]);
    });

    it.each([
      ['by none', [], RuleViolationError, /at least one/],
      ['twice by the same', [ref('c-a'), ref('c-a')], RuleViolationError, /named twice/],
      [
        'by one that does not exist among several',
        [ref('c-a'), ref('c-missing', null)],
        RuleViolationError,
        /c-missing does not exist/,
      ],
      ['by itself among several', [ref('c-a'), ref('c-ucoc-phase-2')], RuleViolationError, /by itself/],
      [
        'by one that this one already carries on (the opposite supersession)',
        [ref('c-a', { status: 'superseded', supersededByChain: ['c-ucoc-phase-2'] })],
        IllegalStateError,
        /cycle/,
      ],
    ] as const)('refuses to be superseded %s', (_, replacements, errorClass, message) =>
      given([made])
        .when(supersedeBy(...replacements))
        .thenThrows(errorClass, message),
    );
  });

  describe('links, from both ends', () => {
    it('each event says which links it makes, named from its own end', () => {
      expect(linkChangesOf({ type: 'CommitmentSplit', data: { parts: ['a', 'b'], note: 'n' } })).toEqual([
        { kind: 'add', to: 'a', relation: 'split_into', note: 'n' },
        { kind: 'add', to: 'b', relation: 'split_into', note: 'n' },
      ]);
      expect(linkChangesOf({ type: 'CommitmentMerged', data: { mergedInto: 's', note: 'n' } })).toEqual([
        { kind: 'add', to: 's', relation: 'merged_into', note: 'n' },
      ]);
      expect(
        linkChangesOf({ type: 'CommitmentSuperseded', data: { supersededBy: 'y', alsoSupersededBy: ['z'], note: 'n' } }),
      ).toEqual([
        { kind: 'add', to: 'y', relation: 'superseded_by', note: 'n' },
        { kind: 'add', to: 'z', relation: 'superseded_by', note: 'n' },
      ]);
      expect(linkChangesOf({ type: 'CommitmentReopened', data: { reason: 'r' } })).toEqual([
        { kind: 'remove', relations: ['superseded_by', 'merged_into'] },
      ]);
      expect(linkChangesOf(made)).toEqual([]);
    });

    it('the far end reads the same relation the other way', () => {
      expect(relationFrom('from', 'follows_up')).toBe('follows_up');
      expect(relationFrom('to', 'follows_up')).toBe('followed_up_by');
      expect(relationFrom('to', 'split_into')).toBe('split_from');
      expect(relationFrom('to', 'merged_into')).toBe('merged_from');
      expect(relationFrom('to', 'superseded_by')).toBe('supersedes');
      expect(relationFrom('to', 'related')).toBe('related');
    });
  });
});

describe('Commitment: only well-formed values reach the log', () => {
  const nul = 'text with a NUL \u0000';
  const lone = 'half a pair \ud800';
  const announced = histories.announced;
  const data = <Type extends keyof typeof commands>(type: Type, changes: Record<string, unknown>) =>
    ({ ...commands[type], data: { ...commands[type].data, ...changes } }) as CommitmentCommand;

  it.each([
    ['an id that is null', [], data('MakeCommitment', { commitmentId: null }), /commitmentId: must be 2 to 100/],
    ['an id with a NUL', [], data('MakeCommitment', { commitmentId: 'c-1\u0000' }), /commitmentId/],
    [
      'a session with an impossible date',
      [],
      data('MakeCommitment', { session: { ...session2020, date: '2020-02-30' } }),
      /session\.date/,
    ],
    [
      'a speaker given as a list',
      [],
      data('MakeCommitment', { speaker: [details.speaker] }),
      /speaker: must be an object, not a list/,
    ],
    ['a speaker without a name', [], data('MakeCommitment', { speaker: { role: 'x' } }), /speaker\.name: must be text/],
    [
      'a speaker with an unknown field',
      [],
      data('MakeCommitment', { speaker: { name: 'P', role: null, age: 3 } }),
      /speaker\.age: is not a known field/,
    ],
    ['a summary with a NUL', [], data('MakeCommitment', { summary: nul }), /summary: must not contain a NUL/],
    ['a quote with a lone surrogate', [], data('MakeCommitment', { quote: lone }), /quote: must not contain/],
    ['a topic with a NUL', [], data('MakeCommitment', { topics: ['ok', nul] }), /topics\[1\]/],
    [
      'a target date that does not exist',
      [],
      data('MakeCommitment', { target: { asSaid: 'x', latestDate: '2023-13-45' } }),
      /target\.latestDate: must be a date/,
    ],
    ['an unknown strength', [], data('MakeCommitment', { strength: 'maybe' }), /strength: must be one of/],
    [
      'a revisit speaker given as a list',
      announced,
      data('RevisitCommitment', { speaker: [{ name: 'P', role: null }] }),
      /speaker: must be an object, not a list/,
    ],
    ['a revisit statement with a NUL', announced, data('RevisitCommitment', { statement: nul }), /statement/],
    [
      'a new target given as a list',
      announced,
      data('RetargetCommitment', { newTarget: [newTarget] }),
      /newTarget: must be an object, not a list/,
    ],
    ['a missing new target', announced, data('RetargetCommitment', { newTarget: undefined }), /newTarget: must be an object/],
    [
      'a new target on 2023-02-30',
      announced,
      data('RetargetCommitment', { newTarget: { asSaid: 'x', latestDate: '2023-02-30' } }),
      /newTarget\.latestDate/,
    ],
    ['a progress note with a lone surrogate', announced, data('ReportProgress', { note: lone }), /note: must not contain/],
    ['evidence with a NUL', announced, data('ReportProgress', { evidence: [nul] }), /evidence\[0\]/],
    ['a drop explanation with a NUL', announced, data('DropCommitment', { explanation: nul }), /explanation/],
    [
      'changes given as a list',
      announced,
      data('CorrectCommitment', { changes: [{ ownerTeam: 'x' }] }),
      /changes: must be an object, not a list/,
    ],
    [
      'a change of a field that does not exist',
      announced,
      data('CorrectCommitment', { changes: { 0: 'x' } }),
      /changes\.0: is not a known field/,
    ],
    [
      'a corrected speaker with a NUL',
      announced,
      data('CorrectCommitment', { changes: { speaker: { name: nul, role: null } } }),
      /changes\.speaker\.name/,
    ],
    ['a link note with a NUL', announced, data('LinkCommitment', { note: nul }), /note: must not contain/],
    [
      'a replacement id that is not an id',
      announced,
      data('SupersedeCommitment', { replacements: [{ id: 'Not An Id', facts: null }] }),
      /replacements\[0\]\.id/,
    ],
  ] as const)('refuses %s', (_, history, when, message) => given(history).when(when).thenThrows(InvalidValueError, message));

  it.each([
    ['on 2023-02-30', '2023-02-30T00:00:00Z'],
    ['at 24:00', '2023-01-01T24:00:00Z'],
    ['with a +25:00 offset', '2023-01-01T10:00:00+25:00'],
    ['without a zone', '2023-01-01T10:00:00'],
  ])('refuses a command that happened %s', (_, occurredAt) =>
    given(announced)
      .when({ ...commands.ReportProgress, occurredAt })
      .thenThrows(InvalidValueError, /occurredAt: must be an ISO 8601 timestamp/),
  );

  it('says so before any rule about the state', () =>
    given(histories.delivered)
      .when(data('ReportProgress', { note: nul }))
      .thenThrows(InvalidValueError, /note/));
});
