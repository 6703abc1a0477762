import { Eta } from 'eta';
import { printable } from '../feeds/feed-text.js';
import { dayInWords } from '../pages/words.js';
import { isAboutSession, type Notice, type Scope } from './news.js';

/** A message's words: a text part and an HTML part, user text escaped in the HTML by Eta. */
export interface MailContent {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const eta = new Eta({ autoEscape: true, autoTrim: false, cache: true });

const frame = (body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title><%= it.subject %></title></head>
<body style="font: 16px/1.5 system-ui, sans-serif; color: #1b1b1b; max-width: 40rem;">
${body}
<hr>
<p style="color: #555; font-size: .9rem;"><%= it.why %>
<a href="<%= it.links.unsubscribe %>">Unsubscribe</a> ·
<a href="<%= it.links.manage %>">See or delete everything kept about you</a></p>
</body></html>`;

eta.loadTemplate(
  '@confirm',
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title><%= it.subject %></title></head>
<body style="font: 16px/1.5 system-ui, sans-serif; color: #1b1b1b; max-width: 40rem;">
<p>Someone, probably you, asked to follow <%= it.scope %> on the commitment tracker, <%= it.cadence %>.</p>
<p><a href="<%= it.confirmUrl %>">Confirm that you want these emails</a></p>
<p style="color: #555;">Nothing is sent until you confirm. If you did not ask, ignore this message: the request is forgotten, and this address gets nothing more.</p>
</body></html>`,
);
eta.loadTemplate(
  '@news',
  frame(`<p><a href="<%= it.item.link %>"><%= it.item.headline %></a> (<%= it.item.label %>)</p>
<p><%= it.item.text %></p>
<p style="color: #555;"><%= it.item.now %> Happened <%= it.item.on %>.</p>`),
);
eta.loadTemplate(
  '@digest',
  frame(`<p>What changed <%= it.scopeText %> since the last digest:</p>
<ul>
<% for (const item of it.items) { %><li><a href="<%= item.link %>"><%= item.headline %></a> (<%= item.label %>): <%= item.text %> <span style="color: #555;">(<%= item.state %>, <%= item.on %>)</span></li>
<% } %></ul>`),
);

/** One line for a subject or a sentence: no control characters, no line breaks. */
const line = (text: string) => printable(text).replace(/\s+/g, ' ').trim();
const shorten = (text: string, most: number) => ([...text].length > most ? `${[...text].slice(0, most - 1).join('')}…` : text);

/**
 * What a follower follows, in words for the confirmation, the "why" line and a digest's subject: a
 * team's and a session's followers are also told of announced sessions (see news.ts), so their
 * words say so.
 */
export function scopeWords(scope: Scope, commitmentSummary?: string): string {
  switch (scope.kind) {
    case 'commitment':
      return commitmentSummary ? `the commitment “${line(commitmentSummary)}”` : `commitment ${scope.value}`;
    case 'team':
      return `the team ${line(scope.value)}: its commitments and the sessions it is to brief`;
    case 'topic':
      return `the commitments on the topic ${line(scope.value)}`;
    case 'session':
      return `session ${line(scope.value)} and its commitments`;
  }
}

export const CADENCE_WORDS = { immediate: 'an email for each change', daily: 'one digest a day' } as const;

export interface Links {
  readonly unsubscribe: string;
  readonly manage: string;
}

export function confirmationMail(scope: string, cadence: keyof typeof CADENCE_WORDS, confirmUrl: string): MailContent {
  const subject = 'Confirm that you want to follow commitments';
  const text = [
    `Someone, probably you, asked to follow ${scope} on the commitment tracker, ${CADENCE_WORDS[cadence]}.`,
    '',
    `Confirm that you want these emails: ${confirmUrl}`,
    '',
    'Nothing is sent until you confirm. If you did not ask, ignore this message: the request is forgotten, and this address gets nothing more.',
  ].join('\n');
  return { subject, text, html: eta.render('@confirm', { subject, scope, cadence: CADENCE_WORDS[cadence], confirmUrl }) };
}

/** A piece of news as a mail shows it, whatever it is about: plain text, to be escaped by the template. */
interface Shown {
  /** The commitment's summary, or the session's title. */
  readonly headline: string;
  /** The commitment's team, or "session" and the teams it names. */
  readonly label: string;
  readonly text: string;
  /** Where it stands now, as a sentence, and in a word or two (a digest's line). */
  readonly now: string;
  readonly state: string;
  readonly link: string;
  readonly on: string;
}

/** Where a piece of news leads: a commitment's page, or an announced session's brief. */
export type NoticeLink = (notice: Notice) => string;

function shown(item: Notice, link: NoticeLink): Shown {
  const on = item.occurredAt.slice(0, 10);
  if (isAboutSession(item)) {
    const state = item.status === 'cancelled' ? 'cancelled' : `planned for ${dayInWords(item.date)}`;
    const teams = item.teams.length ? `; teams to brief: ${item.teams.map(line).join(', ')}` : '';
    return {
      headline: line(item.title),
      label: `session; hosts: ${item.hosts.map((host) => line(host.name)).join(', ')}${teams}`,
      text: printable(item.text),
      now: item.status === 'cancelled' ? 'It is cancelled.' : `Now planned for ${dayInWords(item.date)}.`,
      state,
      link: link(item),
      on,
    };
  }
  const status = item.status.replaceAll('_', ' ');
  return {
    headline: line(item.summary),
    label: line(item.ownerTeam),
    text: printable(item.text),
    now: `Status now: ${status}.`,
    state: status,
    link: link(item),
    on,
  };
}

const footer = (why: string, links: Links) =>
  ['', '--', why, `Unsubscribe: ${links.unsubscribe}`, `See or delete everything kept about you: ${links.manage}`].join('\n');

export function newsMail(item: Notice, scope: string, links: Links, link: NoticeLink): MailContent {
  const news = shown(item, link);
  const subject = shorten(`${news.headline}: ${line(news.text)}`, 150);
  const why = `You get this because you follow ${scope}.`;
  const text = [
    `${news.headline} (${news.label})`,
    '',
    news.text,
    '',
    `${news.now} Happened ${news.on}.`,
    news.link,
    footer(why, links),
  ].join('\n');
  return { subject, text, html: eta.render('@news', { subject, item: news, why, links }) };
}

export function digestMail(items: readonly Notice[], scope: string, links: Links, link: NoticeLink): MailContent {
  const news = items.map((item) => shown(item, link));
  const subject = `${news.length} ${news.length === 1 ? 'change' : 'changes'} to ${shorten(scope, 100)}`;
  const why = `You get this daily digest because you follow ${scope}.`;
  const text = [
    `What changed to ${scope} since the last digest:`,
    '',
    ...news.map((item) => `- ${item.headline} (${item.label}): ${item.text} (${item.state}, ${item.on})\n  ${item.link}`),
    footer(why, links),
  ].join('\n');
  return { subject, text, html: eta.render('@digest', { subject, items: news, scopeText: `to ${scope}`, why, links }) };
}
