import { Eta } from 'eta';
import { printable } from '../feeds/feed-text.js';
import type { NewsItem, Scope } from './news.js';

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
  frame(`<p><a href="<%= it.item.link %>"><%= it.item.summary %></a> (<%= it.item.ownerTeam %>)</p>
<p><%= it.item.text %></p>
<p style="color: #555;">Status now: <%= it.item.status %>. Happened <%= it.item.on %>.</p>`),
);
eta.loadTemplate(
  '@digest',
  frame(`<p>What changed <%= it.scopeText %> since the last digest:</p>
<ul>
<% for (const item of it.items) { %><li><a href="<%= item.link %>"><%= item.summary %></a> (<%= item.ownerTeam %>): <%= item.text %> <span style="color: #555;">(<%= item.status %>, <%= item.on %>)</span></li>
<% } %></ul>`),
);

/** One line for a subject or a sentence: no control characters, no line breaks. */
const line = (text: string) => printable(text).replace(/\s+/g, ' ').trim();
const shorten = (text: string, most: number) => ([...text].length > most ? `${[...text].slice(0, most - 1).join('')}…` : text);

export function scopeWords(scope: Scope, commitmentSummary?: string): string {
  switch (scope.kind) {
    case 'commitment':
      return commitmentSummary ? `the commitment “${line(commitmentSummary)}”` : `commitment ${scope.value}`;
    case 'team':
      return `the commitments of the team ${line(scope.value)}`;
    case 'topic':
      return `the commitments on the topic ${line(scope.value)}`;
    case 'session':
      return `the commitments of session ${line(scope.value)}`;
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

type Shown = NewsItem & { readonly link: string; readonly on: string };
const shown = (item: NewsItem, link: (commitmentId: string) => string): Shown => ({
  ...item,
  summary: line(item.summary),
  ownerTeam: line(item.ownerTeam),
  text: printable(item.text),
  status: item.status.replaceAll('_', ' '),
  link: link(item.commitmentId),
  on: item.occurredAt.slice(0, 10),
});

const footer = (why: string, links: Links) =>
  ['', '--', why, `Unsubscribe: ${links.unsubscribe}`, `See or delete everything kept about you: ${links.manage}`].join('\n');

export function newsMail(item: NewsItem, scope: string, links: Links, link: (commitmentId: string) => string): MailContent {
  const news = shown(item, link);
  const subject = shorten(`${news.summary}: ${line(news.text)}`, 150);
  const why = `You get this because you follow ${scope}.`;
  const text = [
    `${news.summary} (${news.ownerTeam})`,
    '',
    news.text,
    '',
    `Status now: ${news.status}. Happened ${news.on}.`,
    news.link,
    footer(why, links),
  ].join('\n');
  return { subject, text, html: eta.render('@news', { subject, item: news, why, links }) };
}

export function digestMail(
  items: readonly NewsItem[],
  scope: string,
  links: Links,
  link: (commitmentId: string) => string,
): MailContent {
  const news = items.map((item) => shown(item, link));
  const subject = `${news.length} ${news.length === 1 ? 'change' : 'changes'} to ${shorten(scope, 100)}`;
  const why = `You get this daily digest because you follow ${scope}.`;
  const text = [
    `What changed to ${scope} since the last digest:`,
    '',
    ...news.map((item) => `- ${item.summary} (${item.ownerTeam}): ${item.text} (${item.status}, ${item.on})\n  ${item.link}`),
    footer(why, links),
  ].join('\n');
  return { subject, text, html: eta.render('@digest', { subject, items: news, scopeText: `to ${scope}`, why, links }) };
}
