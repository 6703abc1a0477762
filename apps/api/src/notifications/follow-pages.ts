import { Eta } from 'eta';
import { layout } from '../pages/templates/layout.js';
import { CADENCE_WORDS, scopeWords } from './mail-content.js';
import type { Scope } from './news.js';
import type { StoredAboutYou } from './subscriptions.js';

/** The follow pages, drawn with the site's layout; `<%= %>` escapes every value. */
const templates = {
  followForm: `<% layout('@layout', { title: 'Follow by email' }) %>
<h1>Follow by email</h1>
<p>Follow <%= it.scopeText %>. You get an email when something happens to <%= it.scope.kind === 'commitment' ? 'it' : 'any of those commitments' %>: progress, a new target, a delivery, a drop. Corrections and links are not sent.<% if (it.scope.kind === 'team') { %> Also when a session that names the team is announced, moved to another day or cancelled.<% } else if (it.scope.kind === 'session') { %> If the session is announced and still to come: when it moves to another day or is cancelled.<% } %></p>
<form method="post" action="/follow" novalidate>
<input type="hidden" name="kind" value="<%= it.scope.kind %>">
<input type="hidden" name="value" value="<%= it.scope.value %>">
<div class="field"><label for="email">Your email address</label>
<input id="email" name="email" type="email" autocomplete="email" required maxlength="254"></div>
<fieldset class="choices field"><legend>How often</legend>
<div><input type="radio" id="cadence-immediate" name="cadence" value="immediate" checked> <label for="cadence-immediate">An email for each change</label></div>
<div><input type="radio" id="cadence-daily" name="cadence" value="daily"> <label for="cadence-daily">One digest a day</label></div>
</fieldset>
<p class="hint">We send one email to confirm; nothing else is sent until you confirm. Every email has a link to stop, and a link to see and delete everything kept about you.</p>
<button type="submit">Follow</button>
</form>`,
  followRequested: `<% layout('@layout', { title: 'Check your inbox' }) %>
<h1>Check your inbox</h1>
<p class="notice" role="status">If that address can receive mail, a message with a confirmation link is on its way. Nothing is sent until you confirm.</p>
<p><a href="<%= it.back %>">Back</a></p>`,
  confirmForm: `<% layout('@layout', { title: 'Confirm' }) %>
<h1>Confirm that you want to follow</h1>
<p>You asked to follow <%= it.scopeText %>.</p>
<form method="post" action="/follow/confirm/<%= it.token %>"><button type="submit">Confirm</button></form>`,
  confirmed: `<% layout('@layout', { title: 'Following' }) %>
<h1>You are following <%= it.scopeText %></h1>
<p class="notice" role="status">Confirmed: you will get <%= it.cadenceText %>. Every email has a link to stop.</p>`,
  unsubscribeForm: `<% layout('@layout', { title: 'Unsubscribe' }) %>
<h1>Unsubscribe</h1>
<p>Stop emails about <%= it.scopeText %>, and forget this subscription.</p>
<form method="post" action="/follow/unsubscribe/<%= it.token %>"><button type="submit">Unsubscribe</button></form>`,
  unsubscribed: `<% layout('@layout', { title: 'Unsubscribed' }) %>
<h1>Unsubscribed</h1>
<p class="notice" role="status">You will get no more emails about <%= it.scopeText %>. That subscription and what was kept for it are deleted.</p>`,
  manage: `<% layout('@layout', { title: 'What is kept about you' }) %>
<h1>What is kept about you</h1>
<p>Your address: <strong><%= it.stored.email %></strong>. It is kept only to send what you asked for, and deleted with your last subscription.</p>
<p>Links to this page sent to you: <%= it.stored.addressLinks %> (only a fingerprint of each is kept, never the link itself).</p>
<% if (it.stored.subscriptions.length === 0) { %><p>Nothing else.</p><% } else { %>
<table class="stack"><thead><tr><th scope="col">Following</th><th scope="col">How often</th><th scope="col">Since</th><th scope="col">Emails</th><th scope="col"><span class="hint">Action</span></th></tr></thead><tbody>
<% for (const s of it.rows) { %><tr>
<td><%= s.scopeText %></td>
<td data-label="How often"><%= s.cadenceText %></td>
<td data-label="Since"><%= s.since %></td>
<td data-label="Emails"><%= s.sent %> sent, <%= s.waiting %> waiting; <%= s.links %> unsubscribe or confirmation links</td>
<td><form method="post" action="/follow/manage/<%= it.token %>/unsubscribe"><input type="hidden" name="subscription" value="<%= s.id %>"><button type="submit">Unsubscribe<span class="hint"> from <%= s.scopeText %></span></button></form></td>
</tr>
<% } %></tbody></table>
<% } %>
<h2>Delete everything</h2>
<p>Deletes your address, every subscription, every link sent to you and the record of what was sent.</p>
<form method="post" action="/follow/manage/<%= it.token %>/delete"><button type="submit">Delete everything kept about me</button></form>`,
  forgotten: `<% layout('@layout', { title: 'Deleted' }) %>
<h1>Deleted</h1>
<p class="notice" role="status">Everything kept about your address is deleted. You will get no more emails.</p>`,
  linkInvalid: `<% layout('@layout', { title: 'Link not valid' }) %>
<h1>This link is not valid</h1>
<p>It may have expired, or been used to unsubscribe or delete already. Nothing was changed.</p>`,
} as const;

type Template = keyof typeof templates;

const eta = new Eta({ autoEscape: true, autoTrim: false, cache: true });
eta.loadTemplate('@layout', layout);
for (const [name, template] of Object.entries(templates)) eta.loadTemplate(`@${name}`, template);

export const followPage = {
  form: (scope: Scope) => render('followForm', { scope, scopeText: scopeWords(scope) }),
  requested: (back: string) => render('followRequested', { back }),
  confirmForm: (token: string, scope: Scope) => render('confirmForm', { token, scopeText: scopeWords(scope) }),
  confirmed: (scope: Scope, cadence: keyof typeof CADENCE_WORDS) =>
    render('confirmed', { scopeText: scopeWords(scope), cadenceText: CADENCE_WORDS[cadence] }),
  unsubscribeForm: (token: string, scope: Scope) => render('unsubscribeForm', { token, scopeText: scopeWords(scope) }),
  unsubscribed: (scope: Scope) => render('unsubscribed', { scopeText: scopeWords(scope) }),
  manage: (token: string, stored: StoredAboutYou) =>
    render('manage', {
      token,
      stored,
      rows: stored.subscriptions.map((s) => ({
        ...s,
        scopeText: scopeWords(s.scope),
        cadenceText: s.confirmedAt ? CADENCE_WORDS[s.cadence] : 'not confirmed: nothing is sent',
        since: (s.confirmedAt ?? s.createdAt).slice(0, 10),
      })),
    }),
  forgotten: () => render('forgotten', {}),
  linkInvalid: () => render('linkInvalid', {}),
};

function render(name: Template, data: object): string {
  return eta.render(`@${name}`, data);
}
