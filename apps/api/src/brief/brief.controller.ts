import { createHash } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpStatus, Inject, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import ical from 'ical-generator';
import { ProjectionPositions } from '#projector';
import { WrongExpectedRevisionError } from '#event-store';
import { acceptedCommands, IllegalStateError, RuleViolationError, sessionDayHasCome } from '#governance';
import { listUpcomingSessions } from '#read-models';
import { roleAllows } from '../auth/roles.js';
import {
  COMMITMENT_FORMS,
  CREATION_FORMS,
  drawnForm,
  formValues,
  readForm,
  ruleProblem,
  type FormProblems,
  type FormValues,
} from '../commitments/commitment-forms.js';
import { CommandRunner } from '../command-handling/command-runner.js';
import { PreconditionFailedError } from '../command-handling/errors.js';
import { ParseIdPipe } from '../http/id.pipe.js';
import { SESSION_COMMANDS } from '../sessions/session-commands.js';
import type { StaffViewer } from '../staff/staff-sessions.js';
import { ANNOUNCED_SESSION_FORMS, announcedSessionForm, nothingToChange } from './announced-session-forms.js';
import { CLOCK, type Clock } from '../command-handling/clock.js';
import { atomXml } from '../feeds/atom.js';
import { printable } from '../feeds/feed-text.js';
import { PublicLinks } from '../feeds/public-links.js';
import { Pages, wantsHtml } from '../pages/pages.js';
import { dayInWords } from '../pages/words.js';
import { prepareRead } from '../projector/read-your-writes.js';
import { StaffSessions } from '../staff/staff-sessions.js';
import { BRIEF_SECTION_TITLES, briefItems, type Brief } from './brief.js';
import { BriefQueryDto } from './brief.dto.js';
import type { BriefLinks } from './brief-page.js';
import { BriefService } from './brief-service.js';
import { briefToWikitext } from './brief-wikitext.js';
import { addAnnouncedEvent, announcedBriefPath, announcementText, announcementTitle } from './announcements.js';
import { recordedSessions, teamsWithOpenCommitments } from './brief-queries.js';
import { READ_SQL, type ReadSql } from '#storage';
import { ReadYourWritesDto } from '../commitments/commitment-read.dto.js';

/** The most announced sessions a feed or calendar of them carries. */
const UPCOMING_FEED_LIMIT = 100;

/** The address of a brief, without read-your-writes: what links, feeds and calendars point at. */
export function briefQuery(query: BriefQueryDto): string {
  const search = new URLSearchParams();
  if (query.session) search.append('session', query.session);
  if (query.date) search.append('date', query.date);
  for (const host of query.host ?? []) search.append('host', host);
  for (const team of query.team ?? []) search.append('team', team);
  if (query.next) search.append('next', query.next);
  return search.toString();
}

/** The brief in counts, one line per team: what a feed entry and a calendar entry say. */
const countsInWords = (brief: Brief) =>
  brief.teams
    .map(
      (team) =>
        `${team.name}: ${team.open} open, ${team.sections
          .filter((section) => section.items.length > 0 && section.key !== 'open')
          .map((section) => `${section.items.length} ${section.title.toLowerCase()}`)
          .join(', ')}`,
    )
    .join('\n');

@ApiTags('brief')
@Controller()
export class BriefController {
  constructor(
    private readonly briefs: BriefService,
    private readonly positions: ProjectionPositions,
    private readonly pages: Pages,
    private readonly links: PublicLinks,
    private readonly staff: StaffSessions,
    private readonly runner: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_SQL) private readonly sql: ReadSql,
  ) {}

  private async read(query: BriefQueryDto, response: Response): Promise<Brief> {
    await prepareRead(response, this.positions, 'commitments', query.minPosition, ['sessions']);
    return this.briefs.brief(query);
  }

  private addresses(query: BriefQueryDto): BriefLinks {
    const q = briefQuery(query);
    const at = (path: string) => `${path}?${q}`;
    return {
      page: at('/brief'),
      print: at('/brief/print'),
      wikitext: at('/brief/wikitext'),
      atom: at('/feeds/brief.atom'),
      ics: at('/feeds/brief.ics'),
    };
  }

  @Get('brief')
  @ApiOperation({
    summary: 'The pre-session brief: per team, what to ask about at an upcoming session',
    description:
      'Public. For a day (with its hosts and their teams), or a recorded or announced session: open, overdue, slipped, stale and due commitments, what changed since the last session, and what was revisited before and is still open, each with its last news and a question. An announced session\u2019s plan is in `announced`.',
  })
  @ApiOkResponse({ description: 'The brief.' })
  async brief(
    @Query() query: BriefQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<(Brief & { links: BriefLinks }) | string> {
    if (wantsHtml(request) && query.date === undefined && query.session === undefined) {
      response.type('html');
      const sessions = await recordedSessions(this.sql);
      return this.pages.render('briefForm', {
        today: this.clock.now().toISOString().slice(0, 10),
        hosts: [...new Set(sessions.flatMap((session) => session.hosts.map((host) => host.name)))].sort(),
        teams: await teamsWithOpenCommitments(this.sql),
        upcoming: await listUpcomingSessions(this.sql, { status: 'scheduled', limit: UPCOMING_FEED_LIMIT }),
      });
    }
    const brief = await this.read(query, response);
    const links = this.addresses(query);
    if (!wantsHtml(request)) return { ...brief, links };
    response.type('html');
    return this.pages.render('brief', { brief, links, print: false, staff: null });
  }

  @Get('brief/print')
  @ApiExcludeEndpoint()
  async print(@Query() query: BriefQueryDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    const brief = await this.read(query, response);
    response.type('html');
    return this.pages.render('brief', { brief, links: this.addresses(query), print: true, staff: null });
  }

  @Get('brief/wikitext')
  @ApiOperation({ summary: 'The pre-session brief as wikitext, to paste on Meta', description: 'Public.' })
  @ApiProduces('text/plain')
  async wikitext(@Query() query: BriefQueryDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    const brief = await this.read(query, response);
    response.type('text/plain; charset=utf-8');
    return briefToWikitext(brief, (path) => this.links.to(path));
  }

  @Get('feeds/brief.atom')
  @ApiOperation({
    summary: 'Atom feed announcing a pre-session brief',
    description: 'Public. Updated when its commitments change.',
  })
  @ApiProduces('application/atom+xml')
  async atom(@Query() query: BriefQueryDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    const brief = await this.read(query, response);
    const q = briefQuery(query);
    const page = `${this.links.to('/brief')}?${q}`;
    const items = briefItems(brief);
    const announced = brief.announced;
    const updated = new Date(
      Math.max(0, ...items.map((item) => Date.parse(item.lastRecordedAt)), announced ? Date.parse(announced.lastChangedAt) : 0),
    );
    const entryTitle =
      announced?.status === 'cancelled'
        ? `Cancelled: ${announced.title}, ${dayInWords(brief.date)}${announced.cancelReason ? ` (${announced.cancelReason})` : ''}`
        : `Brief for ${announced ? announced.title : 'the session'} on ${dayInWords(brief.date)}: ${items.length} commitments to ask about`;
    response.type('application/atom+xml; charset=utf-8');
    return atomXml({
      id: `${this.links.to('/feeds/brief.atom')}?${q}`,
      title: `Commitment tracker: brief for the session on ${dayInWords(brief.date)}`,
      alternate: page,
      self: `${this.links.to('/feeds/brief.atom')}?${q}`,
      updated,
      rights: 'Public record',
      entries: [
        {
          id: `${page}#brief-${brief.date}`,
          link: page,
          title: entryTitle,
          summary: countsInWords(brief),
          updated,
          author: 'commitment-tracker',
        },
      ],
    });
  }

  @Get('feeds/brief.ics')
  @ApiOperation({ summary: 'A calendar entry for the session, linking to its brief', description: 'Public.' })
  @ApiProduces('text/calendar')
  async calendar(@Query() query: BriefQueryDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    const brief = await this.read(query, response);
    const q = briefQuery(query);
    const page = `${this.links.to('/brief')}?${q}`;
    const calendar = ical({
      name: `Brief: session on ${brief.date}`,
      prodId: { company: 'commitment-tracker', product: 'brief' },
    });
    const announced = brief.announced;
    const count = briefItems(brief).length;
    if (announced) {
      // The announced session's own event, the one the upcoming-sessions calendar carries too.
      addAnnouncedEvent(
        calendar,
        {
          sessionId: announced.id,
          date: brief.date,
          title: announced.title,
          status: announced.status,
          revision: announced.revision,
        },
        `${announced.title} (brief: ${count} commitments to ask about)`,
        `${countsInWords(brief)}\n${page}`,
        page,
      );
      response.type('text/calendar; charset=utf-8');
      return calendar.toString();
    }
    const day = new Date(`${brief.date}T00:00:00Z`);
    calendar.createEvent({
      // One brief, one event: its address (day, hosts, teams) names it.
      id: `brief-${brief.date}-${createHash('sha256').update(q).digest('hex').slice(0, 20)}@commitment-tracker`,
      start: day,
      end: new Date(day.getTime() + 86_400_000),
      allDay: true,
      summary: printable(`Session brief: ${count} commitments to ask about`),
      description: printable(`${countsInWords(brief)}\n${page}`),
      url: page,
    });
    response.type('text/calendar; charset=utf-8');
    return calendar.toString();
  }

  @Get('feeds/upcoming-sessions.atom')
  @ApiOperation({
    summary: 'Atom feed of the sessions announced before their day, each linking to its brief',
    description: 'Public. An entry per announced session, updated when it is rescheduled, cancelled or held.',
  })
  @ApiProduces('application/atom+xml')
  async upcomingAtom(@Query() query: ReadYourWritesDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    await prepareRead(response, this.positions, 'sessions', query.minPosition);
    const plans = await listUpcomingSessions(this.sql, { limit: UPCOMING_FEED_LIMIT });
    const self = this.links.to('/feeds/upcoming-sessions.atom');
    response.type('application/atom+xml; charset=utf-8');
    return atomXml({
      id: self,
      title: 'Commitment tracker: upcoming sessions and their briefs',
      alternate: this.links.to('/upcoming-sessions'),
      self,
      updated: new Date(Math.max(0, ...plans.map((plan) => Date.parse(plan.lastChangedAt)))),
      rights: 'Public record',
      entries: plans.map((plan) => {
        const brief = this.links.to(announcedBriefPath(plan.sessionId));
        return {
          id: `${this.links.to('/sessions')}/${plan.sessionId}#announced`,
          link: brief,
          title: announcementTitle(plan),
          summary: announcementText(plan, brief),
          updated: new Date(plan.lastChangedAt),
          author: 'commitment-tracker',
          categories: [{ term: plan.status, label: plan.status }],
        };
      }),
    });
  }

  @Get('feeds/upcoming-sessions.ics')
  @ApiOperation({
    summary: 'A calendar of the sessions announced before their day, each linking to its brief',
    description: 'Public. SEQUENCE increases when a session is rescheduled; a cancelled one is STATUS:CANCELLED.',
  })
  @ApiProduces('text/calendar')
  async upcomingCalendar(@Query() query: ReadYourWritesDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    await prepareRead(response, this.positions, 'sessions', query.minPosition);
    const plans = await listUpcomingSessions(this.sql, { limit: UPCOMING_FEED_LIMIT });
    const calendar = ical({ name: 'Upcoming sessions', prodId: { company: 'commitment-tracker', product: 'sessions' } });
    for (const plan of plans) {
      const brief = this.links.to(announcedBriefPath(plan.sessionId));
      addAnnouncedEvent(calendar, plan, announcementTitle(plan), announcementText(plan, brief), brief);
    }
    response.type('text/calendar; charset=utf-8');
    return calendar.toString();
  }

  /** The brief for staff: record the session from it, and once recorded, what was said. */
  @Get('staff/brief')
  @ApiExcludeEndpoint()
  async staffBrief(@Query() query: BriefQueryDto, @Req() request: Request, @Res() response: Response): Promise<void> {
    const viewer = await this.staff.viewerOf(request);
    if (!viewer)
      return response.redirect(HttpStatus.SEE_OTHER, `/staff/sign-in?returnTo=${encodeURIComponent(request.originalUrl)}`);
    await this.sendStaffBrief(query, viewer, response, HttpStatus.OK, undefined, this.staff.takeNotice(request));
  }

  /** An announced session's staff forms: reschedule or cancel it, with the revision the page showed. */
  @Post('staff/brief/sessions/:sessionId/:action')
  @ApiExcludeEndpoint()
  async announcedSessionForm(
    @Param('sessionId', ParseIdPipe) sessionId: string,
    @Param('action') action: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const form = announcedSessionForm(action);
    if (!form) throw new NotFoundException(`There is no staff form called "${action}".`);
    const viewer = await this.staff.formPoster(request, form.command.role);
    const page = `/staff/brief?${new URLSearchParams({ session: sessionId })}`;
    if (!viewer) return response.redirect(HttpStatus.SEE_OTHER, `/staff/sign-in?returnTo=${encodeURIComponent(page)}`);
    const values = formValues(form, body);
    const refuse = (status: number, problems: FormProblems) =>
      this.sendStaffBrief({ session: sessionId }, viewer, response, status, { action, values, problems });
    const empty = nothingToChange(form, values);
    if (empty) return refuse(HttpStatus.BAD_REQUEST, empty);
    const read = await readForm(form, values);
    if ('problems' in read) return refuse(HttpStatus.BAD_REQUEST, read.problems);
    const revision = typeof body._revision === 'string' && /^\d{1,15}$/.test(body._revision) ? Number(body._revision) : undefined;
    if (revision === undefined)
      return refuse(HttpStatus.BAD_REQUEST, {
        fields: {},
        form: 'This form carries no revision. Reload the page, then submit again.',
      });
    const context = { actor: viewer.subject, correlationId: randomUUID(), causationId: randomUUID(), expectedRevision: revision };
    try {
      const outcome = await this.runner.run(SESSION_COMMANDS.aggregate, form.command, sessionId, read.dto, context);
      await this.staff.notice(request, form.done);
      response.redirect(HttpStatus.SEE_OTHER, `${page}&minPosition=${encodeURIComponent(outcome.position)}`);
    } catch (error) {
      if (error instanceof RuleViolationError) return refuse(HttpStatus.UNPROCESSABLE_ENTITY, ruleProblem(form, error));
      if (error instanceof IllegalStateError) return refuse(HttpStatus.CONFLICT, ruleProblem(form, error));
      if (error instanceof PreconditionFailedError || error instanceof WrongExpectedRevisionError)
        return refuse(HttpStatus.CONFLICT, {
          fields: {},
          form: 'Someone changed this session after you opened the page. Its brief below is now up to date; check it, then submit again.',
        });
      throw error;
    }
  }

  /** The staff brief: announce the session, or reschedule or cancel it, or record it as held, and then what it said. */
  private async sendStaffBrief(
    query: BriefQueryDto,
    viewer: StaffViewer,
    response: Response,
    status: number,
    refused?: { readonly action: string; readonly values: FormValues; readonly problems: FormProblems },
    notice: string | null = null,
  ): Promise<void> {
    const brief = await this.read(query, response);
    const now = this.clock.now().toISOString();
    const announced = brief.announced;
    const sessionForm = CREATION_FORMS.find((form) => form.action === 'session')!;
    const upcomingForm = CREATION_FORMS.find((form) => form.action === 'upcoming-session')!;
    const open = brief.sessionId === null && announced?.status !== 'cancelled';
    const title = announced?.title ?? `Session on ${dayInWords(brief.date)}`;
    // Announced once, for a day still to come (the page then offers one form: announce before the
    // day, record once it has come): the brief's own day, hosts and named teams.
    const schedule =
      open && announced === null && !sessionDayHasCome(brief.date, now) && roleAllows(viewer.role, upcomingForm.command.role)
        ? drawnForm(
            upcomingForm,
            undefined,
            {
              date: brief.date,
              hosts: brief.hosts.join('\n'),
              teams: (query.team ?? []).join('\n'),
              title,
              id: `session-${brief.date}`,
            },
            [],
          )
        : null;
    // Recorded as held under the announced id, so its brief and announcements lead to its record.
    const record =
      open && roleAllows(viewer.role, sessionForm.command.role)
        ? {
            canRecordYet: sessionDayHasCome(brief.date, now),
            form: drawnForm(
              sessionForm,
              undefined,
              { date: brief.date, hosts: brief.hosts.join('\n'), title, id: announced?.id ?? `session-${brief.date}` },
              [],
            ),
          }
        : null;
    const teams = new URLSearchParams((query.team ?? []).map((team): [string, string] => ['team', team])).toString();
    const revisitsAt = (sessionId: string) =>
      `/staff/brief/revisits?${new URLSearchParams({ session: sessionId })}${teams ? `&${teams}` : ''}`;
    // Still to come: its plan can change, or be called off, at the revision this page shows.
    const plan =
      announced?.status === 'scheduled'
        ? {
            revision: announced.revision,
            forms: ANNOUNCED_SESSION_FORMS.filter((form) => roleAllows(viewer.role, form.command.role)).map((form) =>
              drawnForm(form, refused?.action === form.action ? refused : undefined, {}, []),
            ),
          }
        : null;
    const html = this.pages.render('brief', {
      brief,
      links: this.addresses(query),
      print: false,
      staff: {
        viewer,
        notice,
        schedule,
        plan,
        record,
        revisits: revisitsAt(brief.sessionId ?? announced?.id ?? `session-${brief.date}`),
      },
    });
    response.status(status).setHeader('Cache-Control', 'no-store').type('html').send(html);
  }

  /** Recording what a session said: the brief's items offered first, each with its revisit form. */
  @Get('staff/brief/revisits')
  @ApiExcludeEndpoint()
  async revisits(@Query() query: BriefQueryDto, @Req() request: Request, @Res() response: Response): Promise<void> {
    const viewer = await this.staff.viewerOf(request);
    if (!viewer)
      return response.redirect(HttpStatus.SEE_OTHER, `/staff/sign-in?returnTo=${encodeURIComponent(request.originalUrl)}`);
    if (!query.session) {
      return response.redirect(HttpStatus.SEE_OTHER, `/staff/brief?${briefQuery(query)}`);
    }
    await prepareRead(response, this.positions, 'commitments', query.minPosition, ['sessions']);
    const items = await this.briefs.revisitTargetsFor(query.session, query.team ?? []);
    const brief = await this.briefs.brief({ session: query.session, ...(query.team ? { team: query.team } : {}) });
    const revisit = COMMITMENT_FORMS.find((form) => form.action === 'revisit')!;
    const sessionOptions = (await recordedSessions(this.sql))
      .reverse()
      .map((session) => ({ value: session.id, label: `${session.date}: ${session.title}` }));
    // One form per commitment on one page, each with its own element ids; only where the commitment's status takes a revisit.
    const canRevisit = roleAllows(viewer.role, revisit.command.role);
    const shown = items.map((item) => {
      const drawn = drawnForm(revisit, undefined, { sessionId: query.session! }, sessionOptions);
      const form =
        canRevisit && acceptedCommands(item.status).includes('RevisitCommitment')
          ? {
              ...drawn,
              action: `revisit-${item.id}`,
              fields: drawn.fields.map((field) => ({ ...field, id: `${item.id}-${field.id}` })),
            }
          : null;
      return { ...item, sectionTitle: BRIEF_SECTION_TITLES[item.section], form };
    });
    const html = this.pages.render('briefRevisits', { brief, viewer, items: shown });
    response.status(HttpStatus.OK).setHeader('Cache-Control', 'no-store').type('html').send(html);
  }
}
