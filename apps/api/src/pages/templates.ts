/**
 * Page templates (Eta). `<%= %>` escapes; raw output `<%~ %>` is used only for includes and
 * the layout body, never for data. Everything works without JavaScript.
 */
export const templates: Readonly<Record<string, string>> = {
  layout: `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><%= it.title %> · Commitment tracker</title>
<link rel="alternate" type="application/atom+xml" title="All changes" href="/feeds/changes.atom">
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 0 1rem; color: #1b1b1b; }
header nav a { margin-right: 1rem; }
a { color: #0645ad; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #ccc; vertical-align: top; }
.status { display: inline-block; padding: 0 .5rem; border-radius: .25rem; font-weight: 600; border: 1px solid; }
.status-announced, .status-open { background: #eef3fb; color: #1d3f73; }
.status-in_progress { background: #fff6dd; color: #6b4e00; }
.status-delivered { background: #e6f4ea; color: #1e5b2c; }
.status-delivered_late, .status-partially_delivered { background: #f1f7e1; color: #44561a; }
.status-overdue { background: #fde7e9; color: #8a1c1c; }
.status-dropped, .status-superseded { background: #eeeeee; color: #3b3b3b; }
blockquote { border-left: 4px solid #ccc; margin: 1rem 0; padding: .25rem 1rem; }
ol.timeline li { margin-bottom: .75rem; }
.meta { color: #555; font-size: .9rem; }
</style>
</head>
<body>
<header><nav aria-label="Main"><a href="/dashboard">Dashboard</a><a href="/commitments">Commitments</a><a href="/sessions">Sessions</a><a href="/feeds/changes.atom">Changes (Atom)</a><a href="/feeds/targets.ics">Target dates (iCalendar)</a></nav></header>
<main>
<%~ it.body %>
</main>
<footer class="meta"><p>Every change is kept; nothing is edited in place. Data: <a href="/exports/commitments.csv">CSV</a>, <a href="/exports/commitments.json">JSON</a>, <a href="/api/docs">API</a>.</p></footer>
</body>
</html>`,

  status: `<span class="status status-<%= it.status %>"><%= it.label %></span>`,

  commitment: `<% layout('@layout', { title: it.c.summary }) %>
<article>
<h1><%= it.c.summary %></h1>
<p><%~ include('@status', { status: it.shown, label: it.label }) %><% if (it.c.slipped) { %> <span class="meta">slipped <%= it.c.slipCount %> time<%= it.c.slipCount === 1 ? '' : 's' %></span><% } %></p>
<% if (it.c.asOf) { %><p><strong>As it stood at the end of <%= it.c.asOf.date %></strong> (by <%= it.c.asOf.clock %> time). <a href="/commitments/<%= it.c.id %>">See today</a></p><% } %>
<dl>
<dt>Target</dt><dd><% if (it.c.target) { %><%= it.c.target.asSaid %><% if (it.c.target.latestDate) { %> (by <time datetime="<%= it.c.target.latestDate %>"><%= it.c.target.latestDate %></time>)<% } %><% } else { %>No time was named<% } %></dd>
<dt>Owner</dt><dd><%= it.c.ownerTeam %></dd>
<dt>Said by</dt><dd><%= it.c.speaker.name %><% if (it.c.speaker.role) { %>, <%= it.c.speaker.role %><% } %></dd>
<dt>Made in</dt><dd><a href="/sessions/<%= it.c.madeIn.id %>"><%= it.session ? it.session.title : it.c.madeIn.id %></a> (<%= it.c.madeIn.date %>)</dd>
<dt>Topics</dt><dd><%= it.c.topics.join(', ') %></dd>
</dl>
<blockquote><p><%= it.c.quote %></p><% if (it.session) { %><footer>— <a href="<%= it.session.sourceUrl %>">the published notes</a></footer><% } %></blockquote>
<% if (it.c.note) { %><p class="meta">Editor’s note: <%= it.c.note %></p><% } %>
<h2>History across sessions</h2>
<ol class="timeline">
<% it.c.timeline.forEach(function (entry) { %>
<li><p><%= entry.text %></p>
<p class="meta">Happened <time datetime="<%= entry.occurredAt %>"><%= entry.occurredAt.slice(0, 10) %></time>, recorded <time datetime="<%= entry.recordedAt %>"><%= entry.recordedAt.slice(0, 10) %></time> by <%= entry.actor %><% if (entry.sessionId) { %>, in <a href="/sessions/<%= entry.sessionId %>"><%= entry.sessionId %></a><% } %></p>
<% if (entry.evidence.length) { %><ul><% entry.evidence.forEach(function (link) { %><li><a href="<%= link %>" rel="nofollow"><%= link %></a></li><% }) %></ul><% } %>
</li>
<% }) %>
</ol>
<form method="get" action="/commitments/<%= it.c.id %>">
<fieldset><legend>See it as it stood on a past day</legend>
<label for="asOf">Day</label> <input id="asOf" name="asOf" type="date" required value="<%= it.c.asOf ? it.c.asOf.date : '' %>">
<label for="clock">By</label> <select id="clock" name="clock"><option value="recorded">what the tracker showed then</option><option value="occurred"<%= it.c.asOf && it.c.asOf.clock === 'occurred' ? ' selected' : '' %>>what was true then</option></select>
<button type="submit">Show</button>
</fieldset>
</form>
<p><a href="/feeds/changes.atom?commitment=<%= it.c.id %>">Follow this commitment (Atom)</a> · <a href="/feeds/targets.ics?commitment=<%= it.c.id %>">Its target date (iCalendar)</a></p>
</article>`,

  session: `<% layout('@layout', { title: it.s.title }) %>
<h1><%= it.s.title %></h1>
<p><time datetime="<%= it.s.date %>"><%= it.s.date %></time> · hosted by <%= it.s.hosts.map(function (h) { return h.role ? h.name + ' (' + h.role + ')' : h.name; }).join('; ') %> · <a href="<%= it.s.sourceUrl %>">published notes</a></p>
<h2>Promised in this session (<%= it.s.made.length %>)</h2>
<table><thead><tr><th scope="col">Commitment</th><th scope="col">Owner</th><th scope="col">Target</th><th scope="col">What became of it</th></tr></thead><tbody>
<% it.s.made.forEach(function (entry) { %><tr><td><a href="/commitments/<%= entry.commitment.id %>"><%= entry.commitment.summary %></a></td><td><%= entry.commitment.ownerTeam %></td><td><%= entry.commitment.target ? entry.commitment.target.asSaid : '—' %></td><td><%~ include('@status', { status: entry.outcome, label: it.labels[entry.outcome] }) %></td></tr>
<% }) %></tbody></table>
<% if (it.s.revisited.length) { %>
<h2>Earlier commitments revisited here (<%= it.s.revisited.length %>)</h2>
<table><thead><tr><th scope="col">Commitment</th><th scope="col">What this session said</th><th scope="col">Now</th></tr></thead><tbody>
<% it.s.revisited.forEach(function (entry) { %><tr><td><a href="/commitments/<%= entry.commitment.id %>"><%= entry.commitment.summary %></a></td><td><%= entry.said %></td><td><%~ include('@status', { status: entry.outcome, label: it.labels[entry.outcome] }) %></td></tr>
<% }) %></tbody></table>
<% } %>
<p><a href="/feeds/changes.atom?session=<%= it.s.id %>">Follow this session’s commitments (Atom)</a> · <a href="/exports/sessions/<%= it.s.id %>/wikitext">This record as a wiki table</a></p>`,

  commitments: `<% layout('@layout', { title: 'Commitments' }) %>
<h1>Commitments</h1>
<form method="get" action="/commitments" role="search">
<fieldset><legend>Find commitments</legend>
<label for="q">Words</label> <input id="q" name="q" type="search" value="<%= it.f.q || '' %>">
<label for="status">Status</label> <select id="status" name="status"><option value="">any</option><% it.statuses.forEach(function (s) { %><option value="<%= s %>"<%= it.f.status === s ? ' selected' : '' %>><%= it.labels[s] %></option><% }) %></select>
<label for="owner">Owner team</label> <input id="owner" name="owner" value="<%= it.f.owner || '' %>">
<label for="topic">Topic</label> <input id="topic" name="topic" value="<%= it.f.topic || '' %>">
<label for="overdue">Overdue only</label> <input id="overdue" name="overdue" type="checkbox" value="true"<%= it.f.overdue === 'true' ? ' checked' : '' %>>
<label for="sort">Sort by</label> <select id="sort" name="sort"><option value="changed">latest change</option><option value="deadline"<%= it.f.sort === 'deadline' ? ' selected' : '' %>>deadline</option><option value="made"<%= it.f.sort === 'made' ? ' selected' : '' %>>newest session</option></select>
<button type="submit">Find</button>
</fieldset>
</form>
<p><%= it.page.total %> found. This page’s address can be shared.</p>
<table><thead><tr><th scope="col">Commitment</th><th scope="col">Owner</th><th scope="col">Target</th><th scope="col">Status</th></tr></thead><tbody>
<% it.page.items.forEach(function (c) { %><tr><td><a href="/commitments/<%= c.id %>"><%= c.summary %></a></td><td><%= c.ownerTeam %></td><td><%= c.target ? c.target.asSaid : '—' %></td><td><%~ include('@status', { status: c.overdue ? 'overdue' : c.status, label: it.labels[c.overdue ? 'overdue' : c.status] }) %></td></tr>
<% }) %></tbody></table>
<nav aria-label="Pages"><% if (it.previous) { %><a href="<%= it.previous %>" rel="prev">Previous</a> <% } %><% if (it.next) { %><a href="<%= it.next %>" rel="next">Next</a><% } %></nav>`,

  sessions: `<% layout('@layout', { title: 'Sessions' }) %>
<h1>Sessions</h1>
<ul><% it.sessions.forEach(function (s) { %><li><a href="/sessions/<%= s.id %>"><%= s.title %></a> (<%= s.date %>): <%= s.madeCount %> promised, <%= s.revisitedCount %> revisited</li><% }) %></ul>`,

  dashboard: `<% layout('@layout', { title: 'Dashboard' }) %>
<h1>What was promised, and what became of it</h1>
<p><%= it.d.totals.open %> open of <%= it.d.totals.all %> commitments; <%= it.d.overdue.count %> overdue; <%= it.d.upcoming.within90Days %> due in the next 90 days.<% if (it.d.delivery.deliveryRate !== null) { %> Of those closed, <%= Math.round(it.d.delivery.deliveryRate * 100) %>% were delivered.<% } %><% if (it.d.slips.medianSlipDays !== null) { %> A slipped target moved by <%= it.d.slips.medianSlipDays %> days (median).<% } %></p>
<figure>
<svg role="img" aria-labelledby="status-title status-desc" width="100%" height="<%= 24 * it.bars.length + 8 %>" viewBox="0 0 600 <%= 24 * it.bars.length + 8 %>">
<title id="status-title">Commitments by status</title>
<desc id="status-desc"><%= it.bars.map(function (b) { return b.label + ': ' + b.count; }).join(', ') %></desc>
<% it.bars.forEach(function (b, i) { %><text x="0" y="<%= 24 * i + 18 %>" font-size="14"><%= b.label %></text><rect x="170" y="<%= 24 * i + 4 %>" height="18" width="<%= b.width %>" class="bar" fill="#4a6fa5"></rect><text x="<%= 176 + b.width %>" y="<%= 24 * i + 18 %>" font-size="14"><%= b.count %></text>
<% }) %></svg>
<figcaption>Commitments by status</figcaption>
</figure>
<h2>Overdue</h2>
<% if (it.d.overdue.mostOverdue.length) { %><table><thead><tr><th scope="col">Commitment</th><th scope="col">Owner</th><th scope="col">Due</th><th scope="col">Days overdue</th></tr></thead><tbody>
<% it.d.overdue.mostOverdue.forEach(function (c) { %><tr><td><a href="/commitments/<%= c.id %>"><%= c.summary %></a></td><td><%= c.ownerTeam %></td><td><%= c.targetLatestDate %></td><td><%= c.daysOverdue %></td></tr><% }) %>
</tbody></table><% } else { %><p>Nothing is overdue.</p><% } %>
<h2>Due soon</h2>
<% if (it.d.upcoming.nextDue.length) { %><ul><% it.d.upcoming.nextDue.forEach(function (c) { %><li><a href="/commitments/<%= c.id %>"><%= c.summary %></a>: <%= c.targetLatestDate %> (<%= c.ownerTeam %>)</li><% }) %></ul><% } else { %><p>Nothing is due in the next 90 days.</p><% } %>
<h2>Open, by team</h2>
<table><thead><tr><th scope="col">Team</th><th scope="col">Open</th></tr></thead><tbody><% it.d.openByOwnerTeam.forEach(function (t) { %><tr><td><%= t.name %> (<a href="/feeds/changes.atom?team=<%= encodeURIComponent(t.name) %>">Atom</a>)</td><td><%= t.open %></td></tr><% }) %></tbody></table>
<h2>Open, by topic</h2>
<table><thead><tr><th scope="col">Topic</th><th scope="col">Open</th></tr></thead><tbody><% it.d.openByTopic.forEach(function (t) { %><tr><td><%= t.name %></td><td><%= t.open %></td></tr><% }) %></tbody></table>`,
};
