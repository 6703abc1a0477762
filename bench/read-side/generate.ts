/**
 * A synthetic but domain-valid event log for the read-side benchmark: sessions, then commitments
 * made in them and followed for months, in the order an editor would have recorded them. Every
 * event is what the command shell would append after the decider accepted the command: same
 * types, data shapes and metadata, one stream per aggregate, revisions from 0, fresh event ids.
 *
 * Events are interleaved across streams by their recorded time (minute resolution), as in a real
 * log: a batch of the projector touches thousands of commitments, most of them already stored.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  DROP_REASONS,
  LINK_RELATIONS,
  type CommitmentEvent,
  type DropReason,
  type LinkRelation,
  type Person,
  type SessionEvent,
  type SessionKind,
  type Strength,
  type Target,
} from '../../libs/governance/src/index.js';
import type { EventMetadata, NewEvent } from '../../libs/event-store/src/index.js';

export interface LogShape {
  /** Events in the whole log, session events included. */
  readonly events: number;
  readonly commitments: number;
  readonly sessions: number;
  readonly seed: number;
}

/** One row of `<schema>.events` as `append` writes it (the table fills in the rest). */
export interface GeneratedEvent extends NewEvent {
  readonly streamId: string;
  readonly revision: number;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const SPAN_DAYS = 5 * 365;
/** Sessions stop this far before the end, so late commitments still get a history. */
const SESSION_SPAN_SHARE = 0.97;

/** mulberry32: fast and seedable, so two runs generate the same shapes. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEAMS = [
  'Trust & Safety',
  'Mobility',
  'Housing',
  'Parks and Recreation',
  'Public Works',
  'Finance',
  'Digital Services',
  'Education',
  'Health',
  'Culture',
  'Environment',
  'Urban Planning',
  'Social Services',
  'Water and Sanitation',
  'Procurement',
  'Communications',
];
const TOPICS = [
  'cycle lanes',
  'public transport',
  'road safety',
  'affordable housing',
  'rent support',
  'green spaces',
  'playgrounds',
  'street lighting',
  'waste collection',
  'recycling',
  'budget transparency',
  'open data',
  'digital services',
  'school meals',
  'school buildings',
  'primary care',
  'mental health',
  'libraries',
  'museums',
  'festivals',
  'air quality',
  'flood protection',
  'tree planting',
  'zoning',
  'heritage',
  'homelessness',
  'elderly care',
  'drinking water',
  'sewers',
  'public procurement',
  'accessibility',
  'noise',
  'parking',
  'markets',
  'sports facilities',
  'youth programmes',
  'Universal Code of Conduct',
  'participatory budget',
  'tourism',
  'energy efficiency',
];
const FIRST_NAMES = ['Ana', 'Rui', 'Inês', 'João', 'Marta', 'Pedro', 'Sofia', 'Tiago', 'Beatriz', 'Miguel', 'Clara', 'Nuno'];
const LAST_NAMES = ['Pereira', 'Matos', 'Carvalho', 'Silva', 'Costa', 'Ferreira', 'Santos', 'Oliveira', 'Rodrigues', 'Sousa'];
const ROLES = [
  'Mayor',
  'Deputy Mayor',
  'Councillor for Mobility',
  'Councillor for Housing',
  'Head of Public Works',
  'Vice President of Community Resilience and Sustainability',
  'Director of Finance',
  'Chief Digital Officer',
  null,
];
const ACTORS = ['editor:ana', 'editor:rui', 'editor:ines', 'editor:joao', 'staff:marta', 'staff:pedro', 'admin:sofia'];
const STRENGTH_WEIGHTS: readonly (readonly [Strength, number])[] = [
  ['firm', 0.3],
  ['plan', 0.3],
  ['hope', 0.15],
  ['follow_up', 0.15],
  ['vague', 0.1],
];
const KINDS: readonly (readonly [SessionKind, string, string])[] = [
  ['office_hour', 'office-hours', 'Office hours'],
  ['conversation_hour', 'conversation-hour', 'Conversation hour'],
  ['board_qa', 'board-qa', 'Board Q&A'],
  ['other', 'assembly', 'Municipal assembly'],
];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const VERBS = ['Start', 'Finish', 'Publish', 'Extend', 'Review', 'Open', 'Fund', 'Upgrade', 'Replace', 'Pilot'];
const OBJECTS = [
  'phase 2 of the cycle lane network',
  'the new bus corridor',
  'the social housing renovation programme',
  'the riverside park',
  'LED street lighting in the old town',
  'the open budget portal',
  'the school meals contract',
  'the flood barrier study',
  'the neighbourhood health centre',
  'the public library extension',
];

interface SessionPlan {
  readonly id: string;
  readonly day: number;
  readonly date: string;
  readonly kind: SessionKind;
  readonly title: string;
  readonly recordedMinute: number;
  readonly corrected: boolean;
}

type Outcome = 'open' | 'delivered' | 'partial' | 'dropped' | 'superseded';

interface CommitmentPlan {
  readonly id: string;
  readonly session: number;
  readonly events: number;
  readonly outcome: Outcome;
  /** Ordinals of the closing event(s) and the reopening between them; -1 when none. */
  readonly closeAt: number;
  readonly reopenAt: number;
  readonly closeAgainAt: number;
  readonly startAt: number;
}

interface CommitmentState {
  status: 'announced' | 'in_progress' | 'closed';
  started: boolean;
  target: Target | null;
  madeDay: number;
  ownerTeam: string;
  topics: readonly string[];
  summary: string;
  revisited: Set<number>;
  links: Set<number>;
  corrections: number;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const dateOf = (startMs: number, day: number) => new Date(startMs + day * DAY_MS).toISOString().slice(0, 10);
const dayOfDate = (startMs: number, date: string) => Math.round((Date.parse(`${date}T00:00:00Z`) - startMs) / DAY_MS);

/**
 * The log in log order, produced lazily: the plans (a few bytes per event) are built and sorted
 * up front, the events themselves only as they are consumed.
 */
export class EventLog {
  readonly startMs: number;
  readonly sessionEvents: number;
  private readonly random: () => number;
  private readonly sessions: SessionPlan[] = [];
  private readonly plans: CommitmentPlan[] = [];
  private readonly people: Person[] = [];
  /** Per event, in log order: stream (>= 0 a commitment, < 0 session -(index + 1)) and ordinal. */
  private readonly orderStream: Int32Array;
  private readonly orderOrdinal: Uint8Array;
  private readonly orderMinute: Int32Array;

  constructor(readonly shape: LogShape) {
    this.random = prng(shape.seed);
    const random = this.random;
    // The log ends two days ago, so no event lies in the api's future.
    const endDay = Math.floor(Date.now() / DAY_MS) - 2;
    this.startMs = (endDay - SPAN_DAYS) * DAY_MS;
    for (const first of FIRST_NAMES)
      for (const last of LAST_NAMES) this.people.push({ name: `${first} ${last}`, role: pick(random, ROLES) });

    for (let s = 0; s < shape.sessions; s++) {
      const day = Math.round((s * SPAN_DAYS * SESSION_SPAN_SHARE) / shape.sessions);
      const [kind, slug, label] = KINDS[s % KINDS.length]!;
      const date = dateOf(this.startMs, day);
      this.sessions.push({
        id: `${slug}-${date}`,
        day,
        date,
        kind,
        title: `${label}, ${date}`,
        recordedMinute: day * 1440 + 19 * 60,
        corrected: random() < 0.05,
      });
    }
    this.sessionEvents = this.sessions.reduce((sum, session) => sum + (session.corrected ? 2 : 1), 0);

    const commitmentEvents = shape.events - this.sessionEvents;
    if (commitmentEvents < shape.commitments * 2) throw new Error('Need at least two events per commitment');
    const counts = this.eventCounts(shape.commitments, commitmentEvents);

    const total = shape.events;
    const stream = new Int32Array(total);
    const ordinal = new Uint8Array(total);
    const minute = new Int32Array(total);
    let n = 0;
    for (const [s, session] of this.sessions.entries()) {
      stream[n] = -(s + 1);
      ordinal[n] = 0;
      minute[n++] = session.recordedMinute;
      if (session.corrected) {
        stream[n] = -(s + 1);
        ordinal[n] = 1;
        minute[n++] = session.recordedMinute + 1440 + Math.floor(random() * 1440);
      }
    }
    const lastMinute = SPAN_DAYS * 1440;
    for (let i = 0; i < shape.commitments; i++) {
      const session = Math.min(shape.sessions - 1, Math.floor((i * shape.sessions) / shape.commitments));
      const plan = this.plan(i, session, counts[i]!);
      this.plans.push(plan);
      const made = this.sessions[session]!.recordedMinute + 1 + Math.floor(random() * 180);
      const lifetime = Math.max(30, -Math.log(1 - random()) * 500) * 1440;
      const until = Math.min(lastMinute, made + lifetime);
      const times = Array.from({ length: plan.events - 1 }, () => made + 1 + Math.floor(random() * (until - made - 1)));
      times.sort((a, b) => a - b);
      let previous = made;
      stream[n] = i;
      ordinal[n] = 0;
      minute[n++] = made;
      for (const [k, time] of times.entries()) {
        previous = Math.max(time, previous + 1);
        stream[n] = i;
        ordinal[n] = k + 1;
        minute[n++] = previous;
      }
    }

    // Stable counting sort by recorded minute: per stream, ordinals stay in order.
    const maxMinute = minute.reduce((max, value) => Math.max(max, value), 0);
    const starts = new Int32Array(maxMinute + 2);
    for (let e = 0; e < total; e++) starts[minute[e]! + 1]!++;
    for (let m = 1; m < starts.length; m++) starts[m]! += starts[m - 1]!;
    this.orderStream = new Int32Array(total);
    this.orderOrdinal = new Uint8Array(total);
    this.orderMinute = new Int32Array(total);
    for (let e = 0; e < total; e++) {
      const at = starts[minute[e]!]!++;
      this.orderStream[at] = stream[e]!;
      this.orderOrdinal[at] = ordinal[e]!;
      this.orderMinute[at] = minute[e]!;
    }
  }

  /** Skewed like real histories (many short, a few long), summing to exactly `total`. */
  private eventCounts(commitments: number, total: number): Uint8Array {
    const random = this.random;
    const mean = total / commitments;
    const counts = new Uint8Array(commitments);
    let sum = 0;
    for (let i = 0; i < commitments; i++) {
      counts[i] = Math.min(60, 2 + Math.floor(-Math.log(1 - random()) * (mean - 2)));
      sum += counts[i]!;
    }
    while (sum !== total) {
      const i = Math.floor(random() * commitments);
      if (sum < total && counts[i]! < 60) {
        counts[i]!++;
        sum++;
      } else if (sum > total && counts[i]! > 2) {
        counts[i]!--;
        sum--;
      }
    }
    return counts;
  }

  private plan(index: number, session: number, events: number): CommitmentPlan {
    const random = this.random;
    const r = random();
    const outcome: Outcome =
      r < 0.3 ? 'delivered' : r < 0.38 ? 'partial' : r < 0.48 ? 'dropped' : r < 0.52 && index > 0 ? 'superseded' : 'open';
    let closeAt = -1;
    let reopenAt = -1;
    let closeAgainAt = -1;
    if (outcome !== 'open') {
      if (events >= 6 && random() < 0.06) [closeAt, reopenAt, closeAgainAt] = [events - 4, events - 3, events - 1];
      else closeAt = events >= 4 && random() < 0.15 ? events - 2 : events - 1;
    }
    const startChance = outcome === 'delivered' || outcome === 'partial' ? 0.9 : 0.6;
    const startAt = random() < startChance ? (events > 3 && random() < 0.5 ? 2 : 1) : -1;
    return {
      id: randomUUID(),
      session,
      events,
      outcome,
      closeAt,
      reopenAt,
      closeAgainAt,
      // Work starts before the first close, or not at all.
      startAt: closeAt === -1 || startAt < closeAt ? startAt : -1,
    };
  }

  commitmentId(index: number): string {
    return this.plans[index]!.id;
  }

  /** The events in log order. */
  *events(): Generator<GeneratedEvent> {
    const states: (CommitmentState | undefined)[] = new Array(this.plans.length);
    const sessionTitles = this.sessions.map((session) => session.title);
    // Sessions recorded so far, for revisits: the latest one before the event.
    let recordedSessions = 0;
    for (let e = 0; e < this.orderStream.length; e++) {
      const stream = this.orderStream[e]!;
      const ordinal = this.orderOrdinal[e]!;
      const minute = this.orderMinute[e]!;
      if (stream < 0) {
        const s = -stream - 1;
        if (ordinal === 0) recordedSessions = Math.max(recordedSessions, s + 1);
        yield this.sessionEvent(s, ordinal, minute, sessionTitles);
      } else {
        yield this.commitmentEvent(stream, ordinal, minute, states, recordedSessions);
      }
    }
  }

  private metadata(occurredMs: number, minute: number): EventMetadata {
    const recordedMs = Math.max(occurredMs, this.startMs + minute * MINUTE_MS + Math.floor(this.random() * MINUTE_MS));
    return {
      actor: pick(this.random, ACTORS),
      occurredAt: new Date(occurredMs).toISOString(),
      recordedAt: new Date(recordedMs).toISOString(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      schemaVersion: 1,
    };
  }

  private sessionEvent(s: number, ordinal: number, minute: number, titles: string[]): GeneratedEvent {
    const random = this.random;
    const session = this.sessions[s]!;
    const meeting = this.startMs + session.day * DAY_MS + 16 * 3_600_000;
    let event: SessionEvent;
    if (ordinal === 0) {
      event = {
        type: 'SessionRecorded',
        data: {
          sessionId: session.id,
          date: session.date,
          title: session.title,
          kind: session.kind,
          hosts: [pick(random, this.people), pick(random, this.people)],
          sourceUrl: `https://governance.example.org/notes/${session.id}`,
        },
      };
    } else {
      titles[s] = `${session.title} (notes)`;
      event = { type: 'SessionCorrected', data: { changes: { title: titles[s] }, reason: 'The title named the wrong venue.' } };
    }
    return {
      streamId: `session-${session.id}`,
      revision: ordinal,
      id: randomUUID(),
      type: event.type,
      data: event.data as unknown as NewEvent['data'],
      metadata: this.metadata(ordinal === 0 ? meeting : this.startMs + minute * MINUTE_MS, minute),
    };
  }

  private target(fromDay: number, minDays: number, maxDays: number): Target {
    const random = this.random;
    if (random() < 0.08)
      return { asSaid: pick(random, ['soon', 'as soon as possible', 'in the coming months']), latestDate: null };
    const day = fromDay + minDays + Math.floor(random() * (maxDays - minDays));
    const date = new Date(this.startMs + day * DAY_MS);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth();
    if (random() < 0.5) {
      const last = new Date(Date.UTC(year, month + 1, 0)).toISOString().slice(0, 10);
      return { asSaid: `by the end of ${MONTHS[month]} ${year}`, latestDate: last };
    }
    const quarter = Math.floor(month / 3);
    const last = new Date(Date.UTC(year, quarter * 3 + 3, 0)).toISOString().slice(0, 10);
    return { asSaid: `in Q${quarter + 1} ${year}`, latestDate: last };
  }

  /**
   * A different target, mostly later (a slip), never before `notBeforeDay`: the session it was
   * made in for a re-target, the revisiting session for a revisit.
   */
  private nextTarget(state: CommitmentState, nowDay: number, notBeforeDay: number): Target {
    const current = state.target?.latestDate ? dayOfDate(this.startMs, state.target.latestDate) : nowDay;
    for (;;) {
      const next =
        this.random() < 0.8
          ? this.target(Math.max(current, notBeforeDay), 20, 200)
          : this.target(Math.max(notBeforeDay, current - 120), 1, 90);
      const sameAsBefore = next.asSaid === state.target?.asSaid && next.latestDate === state.target?.latestDate;
      if (!sameAsBefore && (next.latestDate === null || dayOfDate(this.startMs, next.latestDate) >= notBeforeDay)) return next;
    }
  }

  private commitmentEvent(
    index: number,
    ordinal: number,
    minute: number,
    states: (CommitmentState | undefined)[],
    recordedSessions: number,
  ): GeneratedEvent {
    const random = this.random;
    const plan = this.plans[index]!;
    const streamId = `commitment-${plan.id}`;
    const nowMs = this.startMs + minute * MINUTE_MS;
    const nowDay = Math.floor(minute / 1440);
    let event: CommitmentEvent;
    let occurredMs: number;

    if (ordinal === 0) {
      const session = this.sessions[plan.session]!;
      const speaker = pick(random, this.people);
      const topics = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(random, TOPICS)))];
      const summary = `${pick(random, VERBS)} ${pick(random, OBJECTS)} (${plan.id.slice(0, 8)})`;
      const target = random() < 0.15 ? null : this.target(session.day, 30, 720);
      const ownerTeam = pick(random, TEAMS);
      let weight = random();
      const strength = STRENGTH_WEIGHTS.find(([, share]) => (weight -= share) < 0)?.[0] ?? 'vague';
      states[index] = {
        status: 'announced',
        started: false,
        target,
        madeDay: session.day,
        ownerTeam,
        topics,
        summary,
        revisited: new Set(),
        links: new Set(),
        corrections: 0,
      };
      event = {
        type: 'CommitmentMade',
        data: {
          commitmentId: plan.id,
          sessionId: session.id,
          sessionDate: session.date,
          speaker,
          ownerTeam,
          topics,
          summary,
          quote: `We will ${summary.toLowerCase()} ${target ? target.asSaid : 'soon'}, that is a promise to this ${session.kind.replace('_', ' ')}.`,
          target,
          strength,
        },
      };
      occurredMs = this.startMs + session.day * DAY_MS + 16 * 3_600_000 + Math.floor(random() * 90) * MINUTE_MS;
    } else {
      const state = states[index]!;
      // Backdated a little, but never before the day it was made.
      occurredMs = Math.max(
        this.startMs + state.madeDay * DAY_MS + 20 * 3_600_000,
        nowMs - Math.floor(random() * 2880) * MINUTE_MS,
      );
      const open = state.status !== 'closed';
      if (ordinal === plan.closeAt || ordinal === plan.closeAgainAt) {
        event = this.close(plan, index);
        state.status = 'closed';
      } else if (ordinal === plan.reopenAt) {
        event = {
          type: 'CommitmentReopened',
          data: { reason: 'The work turned out to be unfinished; reopened after complaints.' },
        };
        state.status = state.started ? 'in_progress' : 'announced';
      } else if (open && ordinal === plan.startAt && !state.started) {
        event = { type: 'WorkStarted', data: { note: random() < 0.5 ? null : 'Contract signed, crews on site.' } };
        state.status = 'in_progress';
        state.started = true;
      } else {
        const r = random();
        const revisitSession = this.revisitSession(plan, state, recordedSessions);
        if (r < 0.2 && revisitSession >= 0) {
          const session = this.sessions[revisitSession]!;
          const newTarget = open && random() < 0.25 ? this.nextTarget(state, nowDay, session.day) : null;
          event = {
            type: 'CommitmentRevisited',
            data: {
              sessionId: session.id,
              sessionDate: session.date,
              statement: `Asked again about it at the ${session.title}; the answer was that it is on track.`,
              quote: random() < 0.5 ? null : 'We have not forgotten this one.',
              speaker: random() < 0.5 ? null : pick(random, this.people),
              newTarget,
              previousTarget: state.target,
            },
          };
          state.revisited.add(revisitSession);
          if (newTarget) state.target = newTarget;
          occurredMs = this.startMs + session.day * DAY_MS + 16 * 3_600_000 + Math.floor(random() * 90) * MINUTE_MS;
        } else if (open && r < 0.35) {
          const newTarget = this.nextTarget(state, nowDay, state.madeDay);
          event = {
            type: 'CommitmentRetargeted',
            data: { previousTarget: state.target, newTarget, reason: 'The tender had to be repeated.' },
          };
          state.target = newTarget;
        } else if (r < 0.43 && state.links.size < Math.min(5, index)) {
          let other = Math.floor(random() * index);
          while (state.links.has(other)) other = Math.floor(random() * index);
          state.links.add(other);
          const relation: LinkRelation = pick(random, LINK_RELATIONS);
          event = {
            type: 'CommitmentLinked',
            data: { linkedTo: this.plans[other]!.id, relation, note: random() < 0.5 ? null : 'Same neighbourhood.' },
          };
        } else if (r < 0.5 || !open) {
          event = { type: 'CommitmentCorrected', data: { changes: this.correction(state), reason: 'Typo in the notes.' } };
        } else {
          event = {
            type: 'ProgressReported',
            data: {
              note: `Update ${ordinal}: ${pick(random, ['design approved', 'works 40% done', 'budget line approved', 'consultation closed', 'contractor chosen'])}.`,
              evidence: Array.from(
                { length: Math.floor(random() * 3) },
                (_, k) => `https://governance.example.org/evidence/${plan.id}/${ordinal}-${k}`,
              ),
            },
          };
          // A progress report on an announced commitment means work has started (statusAfter).
          state.status = 'in_progress';
          state.started = true;
        }
      }
    }
    return {
      streamId,
      revision: ordinal,
      id: randomUUID(),
      type: event.type,
      data: event.data as unknown as NewEvent['data'],
      metadata: this.metadata(Math.min(occurredMs, nowMs), minute),
    };
  }

  /** The latest session recorded before now, later than the one it was made in and not revisited yet. */
  private revisitSession(plan: CommitmentPlan, state: CommitmentState, recordedSessions: number): number {
    for (let s = recordedSessions - 1; s > plan.session && s >= recordedSessions - 3; s--) {
      if (!state.revisited.has(s)) return s;
    }
    return -1;
  }

  private close(plan: CommitmentPlan, index: number): CommitmentEvent {
    const random = this.random;
    switch (plan.outcome) {
      case 'delivered':
      case 'partial':
        return {
          type: 'CommitmentDelivered',
          data: {
            completeness: plan.outcome === 'delivered' ? 'full' : 'partial',
            note: 'Inaugurated; see the photos and the final report.',
            evidence: [`https://governance.example.org/evidence/${plan.id}/final`],
          },
        };
      case 'superseded': {
        const by = this.plans[Math.floor(random() * index)]!.id;
        return { type: 'CommitmentSuperseded', data: { supersededBy: by, note: 'Merged into a wider programme.' } };
      }
      default: {
        const reason: DropReason = pick(random, DROP_REASONS);
        return { type: 'CommitmentDropped', data: { reason, explanation: 'The budget was cut in the revision.' } };
      }
    }
  }

  private correction(state: CommitmentState): Record<string, unknown> {
    const random = this.random;
    state.corrections++;
    const r = random();
    if (r < 0.4) {
      state.summary = `${state.summary.replace(/ \[rev \d+\]$/, '')} [rev ${state.corrections}]`;
      return { summary: state.summary };
    }
    if (r < 0.7) {
      let team = pick(random, TEAMS);
      while (team === state.ownerTeam) team = pick(random, TEAMS);
      state.ownerTeam = team;
      return { ownerTeam: team };
    }
    let topics = [...new Set([...state.topics, pick(random, TOPICS)])];
    if (topics.length === state.topics.length)
      topics = [...state.topics.slice(1), `${pick(random, TOPICS)} ${state.corrections}`];
    state.topics = topics;
    return { topics };
  }
}

/** COPY text format: the JSON has no raw tabs or newlines, only backslashes to double. */
const copyField = (text: string) => (text.includes('\\') ? text.replaceAll('\\', '\\\\') : text);

export function copyRow(event: GeneratedEvent): string {
  return `${event.streamId}\t${event.revision}\t${event.id}\t${event.type}\t${copyField(JSON.stringify(event.data))}\t${copyField(
    JSON.stringify(event.metadata),
  )}\n`;
}

/**
 * Bulk-loads `events` into `<schema>.events` with COPY, one transaction per `perTransaction`
 * events (so the log holds several transaction ids, in order); the table fills in position,
 * transaction_id and stored_at by their defaults, exactly as `append_events` leaves them.
 * `keep` picks streams whose events are also returned, to check them against `append`.
 */
export async function copyLog(
  client: pg.ClientBase,
  schema: string,
  events: Iterator<GeneratedEvent>,
  options: {
    readonly perTransaction: number;
    readonly keep: (streamId: string) => boolean;
    readonly onTransaction: (loaded: number) => void;
  },
): Promise<{ loaded: number; kept: GeneratedEvent[] }> {
  const kept: GeneratedEvent[] = [];
  let loaded = 0;
  let done = false;
  const rowsPerChunk = 500;
  while (!done) {
    let inTransaction = 0;
    async function* chunks(): AsyncGenerator<string> {
      while (inTransaction < options.perTransaction) {
        let chunk = '';
        for (let i = 0; i < rowsPerChunk && inTransaction < options.perTransaction; i++) {
          const next = events.next();
          if (next.done) {
            done = true;
            break;
          }
          if (options.keep(next.value.streamId)) kept.push(next.value);
          chunk += copyRow(next.value);
          inTransaction++;
        }
        if (chunk) yield chunk;
        if (done) return;
      }
    }
    await client.query('begin');
    try {
      await pipeline(
        Readable.from(chunks()),
        client.query(copyFrom(`copy ${schema}.events (stream_id, revision, event_id, type, data, metadata) from stdin`)),
      );
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
    loaded += inTransaction;
    options.onTransaction(loaded);
  }
  return { loaded, kept };
}
