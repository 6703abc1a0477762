export const commitment = `<% layout('@layout', { title: it.c.summary }) %>
<article>
<% if (it.notice) { %><p class="notice" role="status"><%= it.notice %></p><% } %>
<h1><%= it.c.summary %></h1>
<p><%~ include('@status', { status: it.shown, label: it.label }) %><% if (it.c.slipped) { %> <span class="meta">slipped <%= it.c.slipCount %> time<%= it.c.slipCount === 1 ? '' : 's' %></span><% } %></p>
<% if (it.c.asOf) { %><%~ include('@asOfNotice', { asOf: it.c.asOf, today: '/commitments/' + it.c.id }) %><% } %>
<dl>
<dt>Target</dt><dd><% if (it.c.target) { %><%= it.c.target.asSaid %><% if (it.c.target.latestDate) { %> (by <time datetime="<%= it.c.target.latestDate %>"><%= it.c.target.latestDate %></time>)<% } %><% } else { %>No time was named<% } %></dd>
<dt>Owner</dt><dd><%= it.c.ownerTeam %></dd>
<dt>Said by</dt><dd><%= it.c.speaker.name %><% if (it.c.speaker.role) { %>, <%= it.c.speaker.role %><% } %></dd>
<dt>Made in</dt><dd><a href="/sessions/<%= it.c.madeIn.id %>"><%= it.session ? it.session.title : it.c.madeIn.id %></a> (<%= it.c.madeIn.date %>)</dd>
<dt>Topics</dt><dd><%= it.c.topics.join(', ') %></dd>
</dl>
<blockquote><p><%= it.c.quote %></p><% if (it.session) { %><footer>— <a href="<%= it.session.sourceUrl %>">the published notes</a></footer><% } %></blockquote>
<% if (it.c.note) { %><p class="meta">Editor’s note: <%= it.c.note %></p><% } %>
<h2 id="history">History across sessions</h2>
<ol class="timeline">
<% it.c.timeline.forEach(function (entry) { %>
<li><p><%= entry.text %></p>
<p class="meta">Happened <time datetime="<%= entry.occurredAt %>"><%= entry.occurredAt.slice(0, 10) %></time>, recorded <time datetime="<%= entry.recordedAt %>"><%= entry.recordedAt.slice(0, 10) %></time> by <%= entry.actor %><% if (entry.sessionId) { %>, in <a href="/sessions/<%= entry.sessionId %>"><%= entry.sessionId %></a><% } %></p>
<% if (entry.evidence.length) { %><ul><% entry.evidence.forEach(function (link) { %><li><a href="<%= link %>" rel="nofollow"><%= link %></a></li><% }) %></ul><% } %>
</li>
<% }) %>
</ol>
<%~ include('@asOfForm', { action: '/commitments/' + it.c.id, asOf: it.c.asOf, what: 'this commitment' }) %>
<p><a href="/feeds/changes.atom?commitment=<%= it.c.id %>">Follow this commitment (Atom)</a> · <a href="/feeds/targets.ics?commitment=<%= it.c.id %>">Its target date (iCalendar)</a> · <a href="/corrections?commitment=<%= it.c.id %>">Corrections to its record</a></p>
<% if (it.staff) { %><%~ include('@staffActions', it) %><% } %>
</article>`;
