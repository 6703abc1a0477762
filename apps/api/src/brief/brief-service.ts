import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { getUpcomingSession, type UpcomingSessionView } from '#read-models';
import { READ_SQL, type ReadSql } from '#storage';
import { NotFoundError } from '../command-handling/errors.js';
import { ReadingDays } from '../reading/reading-days.js';
import { buildBrief, briefItems, nextLikelySession, type Brief, type BriefItem } from './brief.js';
import type { BriefQueryDto } from './brief.dto.js';
import { briefCommitments, latestNews, recordedSessions, teamsOfSpeakers, teamsWithOpenCommitments } from './brief-queries.js';

const refuse = (field: string, reason: string) =>
  new BadRequestException({ message: `${field}: ${reason}`, errors: [{ field, reason }] });

/** The brief for a query, read from the read models at one moment; nothing is stored. */
@Injectable()
export class BriefService {
  constructor(
    @Inject(READ_SQL) private readonly sql: ReadSql,
    private readonly days: ReadingDays,
  ) {}

  async brief(query: BriefQueryDto): Promise<Brief> {
    const sessions = await recordedSessions(this.sql);
    const recorded = query.session === undefined ? null : (sessions.find((session) => session.id === query.session) ?? null);
    // A session announced before its day is briefed by its plan; once held, by its record and the teams it named.
    const announced: UpcomingSessionView | null =
      query.session === undefined ? null : await getUpcomingSession(this.sql, query.session);
    if (query.session !== undefined && !recorded && !announced)
      throw new NotFoundError({ resource: 'Session', id: query.session, field: 'session' });
    const planned = recorded ?? announced;
    if (planned && query.date !== undefined && query.date !== planned.date) {
      throw refuse('date', `must be the day of session ${query.session} (${planned.date}), or left out`);
    }
    const date = planned?.date ?? query.date;
    if (date === undefined) throw refuse('date', 'give the session\u2019s day (YYYY-MM-DD), or a recorded or announced session');
    if (query.next !== undefined && query.next <= date) throw refuse('next', `must be a day after the session (${date})`);

    const hosts = query.host ?? planned?.hosts.map((host) => host.name) ?? [];
    const named = [...(query.team ?? announced?.teams ?? []), ...(await teamsOfSpeakers(this.sql, hosts))];
    const unique = named.filter(
      (team, index) => named.findIndex((other) => other.toLowerCase() === team.toLowerCase()) === index,
    );
    const teams = unique.length > 0 ? unique : await teamsWithOpenCommitments(this.sql);

    const earlier = sessions.filter((session) => session.date < date);
    const last = earlier.at(-1) ?? null;
    const next =
      query.next !== undefined
        ? { date: query.next, from: 'given' as const }
        : nextLikelySession(
            date,
            sessions.map((session) => session.date),
          );
    const commitments = await briefCommitments(this.sql, teams, last?.date ?? null);
    const news = await latestNews(
      this.sql,
      commitments.map((view) => view.commitmentId),
    );
    return buildBrief({
      date,
      hosts,
      sessionId: recorded?.id ?? null,
      announced: announced && {
        id: announced.sessionId,
        title: announced.title,
        status: announced.status,
        cancelReason: announced.cancelReason,
        revision: announced.revision,
        lastChangedAt: announced.lastChangedAt,
      },
      teams,
      lastSession: last && { id: last.id, date: last.date, title: last.title },
      next,
      staleAfterMonths: this.days.staleAfterMonths,
      commitments,
      lastNews: news,
    });
  }

  /**
   * The revisit targets to offer first when what a recorded session said is entered: its brief's
   * items, most pressing first (the hosts' teams, and `teams` named for the brief). For the staff
   * revisit page, and for the drafting assistant to call before its word-matching suggestions.
   */
  async revisitTargetsFor(sessionId: string, teams: readonly string[] = []): Promise<BriefItem[]> {
    const brief = await this.brief({ session: sessionId, ...(teams.length ? { team: [...teams] } : {}) });
    return briefItems(brief).filter((item) => item.madeIn.sessionId !== sessionId);
  }
}
