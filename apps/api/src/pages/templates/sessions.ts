export const sessions = `<% layout('@layout', { title: 'Sessions' }) %>
<h1>Sessions</h1>
<p><a href="/upcoming-sessions">Sessions announced before their day</a> (their briefs, and how to follow them)</p>
<ul><% it.sessions.forEach(function (s) { %><li><a href="/sessions/<%= s.id %>"><%= s.title %></a> (<%= s.date %>): <%= s.madeCount %> promised, <%= s.revisitedCount %> revisited</li><% }) %></ul>`;

/** Announced sessions: those to come soonest first, then those held or called off, latest first. */
export const upcomingSessions = `<% layout('@layout', { title: 'Announced sessions' }) %>
<h1>Announced sessions</h1>
<p>Sessions announced before their day, each with its brief. <a href="/feeds/upcoming-sessions.atom">Follow them (Atom)</a> · <a href="/feeds/upcoming-sessions.ics">Their calendar (iCalendar)</a> · <a href="/sessions">Sessions held</a></p>
<% const toCome = it.sessions.filter(function (s) { return s.status === 'scheduled'; }).reverse(); %>
<% const past = it.sessions.filter(function (s) { return s.status !== 'scheduled'; }); %>
<% if (it.status === null || it.status === 'scheduled') { %><h2>To come</h2>
<% if (toCome.length) { %><ul class="upcoming-sessions"><% toCome.forEach(function (s) { %><li><a href="<%= s.brief %>"><%= s.title %></a>, <time datetime="<%= s.date %>"><%= it.words.day(s.date) %></time>; hosts: <%= s.hosts.map(function (h) { return h.name; }).join(', ') %><% if (s.teams.length) { %>; teams: <%= s.teams.join(', ') %><% } %> · <a href="/follow?kind=session&amp;value=<%= encodeURIComponent(s.id) %>">Follow by email</a></li><% }) %></ul>
<% } else { %><p>No session is announced just now.</p><% } %><% } %>
<% if (past.length) { %><h2>Held or called off</h2>
<ul><% past.forEach(function (s) { %><li><% if (s.record) { %><a href="<%= s.record %>"><%= s.title %></a><% } else { %><a href="<%= s.brief %>"><%= s.title %></a><% } %>, <time datetime="<%= s.date %>"><%= it.words.day(s.date) %></time>: <% if (s.status === 'held') { %>held<% } else { %>cancelled (<%= s.cancelReason %>)<% } %></li><% }) %></ul><% } %>`;
