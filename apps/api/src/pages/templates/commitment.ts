export const commitment = `<% layout('@layout', { title: it.c.summary }) %>
<article>
<% if (it.notice) { %><p class="notice" role="status"><%= it.notice %></p><% } %>
<h1><%= it.c.summary %></h1>
<p><%~ include('@statusWords', { badges: it.words.status(it.c) }) %><% if (it.closed) { %> <span class="meta"><%= it.closed.words %> <time datetime="<%= it.c.closedAt %>"><%= it.closed.day %></time></span><% } %><% if (it.c.slipped) { %> <span class="meta">slipped <%= it.c.slipCount %> time<%= it.c.slipCount === 1 ? '' : 's' %>: <%= it.c.extensionCount %> extension<%= it.c.extensionCount === 1 ? '' : 's' %> (announced before the target passed), <%= it.c.lateSlipCount %> late slip<%= it.c.lateSlipCount === 1 ? '' : 's' %> (announced after)</span><% } %></p>
<p class="meta news"><%= it.words.news(it.c) %><% if (it.c.stale) { %>: stale, no news for longer than <%= it.staleAfterMonths %> months<% } %></p>
<% if (it.c.asOf) { %><%~ include('@asOfNotice', { asOf: it.c.asOf, today: '/commitments/' + it.c.id }) %><% } %>
<dl>
<dt>Target</dt><dd><% if (it.c.target) { %><%= it.c.target.asSaid %><% var w = it.words.window(it.c.target); if (w) { %> (<%= w.lead %><% if (w.from) { %><time datetime="<%= w.from.date %>"><%= w.from.text %></time> – <% } %><time datetime="<%= w.to.date %>"><%= w.to.text %></time>)<% } %><% } else { %>No time was named<% } %><% if (it.c.due) { %> · due now<% } %></dd>
<dt>How firm</dt><dd><%= it.strengths[it.c.strength] %></dd>
<dt>Owner</dt><dd><%= it.c.ownerTeam %></dd>
<dt>Said by</dt><dd><%= it.c.speaker.name %><% if (it.c.speaker.role) { %>, <%= it.c.speaker.role %><% } %></dd>
<dt>Made in</dt><dd><a href="/sessions/<%= it.c.madeIn.id %>"><%= it.session ? it.session.title : it.c.madeIn.id %></a> (<%= it.c.madeIn.date %>)</dd>
<dt>Topics</dt><dd><%= it.c.topics.join(', ') %></dd>
</dl>
<blockquote><p><%= it.c.quote %></p><% if (it.session) { %><footer>— <a href="<%= it.session.sourceUrl %>">the published notes</a></footer><% } %></blockquote>
<% if (it.c.note) { %><p class="meta">Editor’s note: <%= it.c.note %></p><% } %>
<% if (it.links.length) { %>
<h2 id="links">Linked commitments</h2>
<ul class="links">
<% it.links.forEach(function (link) { %>
<li><%= link.words %> <a href="/commitments/<%= link.id %>"><%= link.summary %></a><% if (link.status) { %> <%~ include('@status', { status: link.status, label: link.label }) %><% } %><% if (link.note) { %> <span class="meta"><%= link.note %></span><% } %></li>
<% }) %>
</ul>
<% } %>
<h2 id="history">History across sessions</h2>
<p class="meta">In the order things happened. Each entry says when it happened and, where that differs, when the tracker learned of it: a session recorded years later keeps the day it was held. Links and corrections keep the record straight; they are marked as bookkeeping, not news.</p>
<ol class="timeline">
<% it.c.timeline.forEach(function (entry) { %>
<li<% if (!entry.news) { %> class="bookkeeping"<% } %>><p><% if (!entry.news) { %><span class="meta">Bookkeeping:</span> <% } %><%= entry.text %></p>
<% if (entry.slip) { %><p class="slip slip-<%= entry.slip %>"><strong><%= entry.slip === 'extension' ? 'Extension' : 'Late slip' %></strong>: <%= it.words.slip(entry.slip) %>.</p><% } %>
<p class="meta"><% if (entry.news) { %>Happened <%= it.dayKnownAs[entry.datePrecision] %><time datetime="<%= entry.occurredAt %>"><%= entry.occurredAt.slice(0, 10) %></time><% if (entry.recordedAt.slice(0, 10) !== entry.occurredAt.slice(0, 10)) { %> · the tracker learned of this on <time datetime="<%= entry.recordedAt %>"><%= entry.recordedAt.slice(0, 10) %></time><% } else { %> · recorded the same day<% } %><% } else { %>Recorded <time datetime="<%= entry.recordedAt %>"><%= entry.recordedAt.slice(0, 10) %></time><% } %> by <%= entry.actor %><% if (entry.sessionId) { %>, in <a href="/sessions/<%= entry.sessionId %>"><%= entry.sessionId %></a><% } %></p>
<% if (entry.evidence.length) { %><ul><% entry.evidence.forEach(function (link) { %><li><a href="<%= link %>" rel="nofollow"><%= link %></a></li><% }) %></ul><% } %>
</li>
<% }) %>
</ol>
<%~ include('@asOfForm', { action: '/commitments/' + it.c.id, asOf: it.c.asOf, what: 'this commitment' }) %>
<p><a href="/follow?kind=commitment&amp;value=<%= encodeURIComponent(it.c.id) %>">Follow this commitment by email</a> · <a href="/feeds/changes.atom?commitment=<%= it.c.id %>">Follow it (Atom)</a> · <a href="/feeds/targets.ics?commitment=<%= it.c.id %>">Its target date (iCalendar)</a> · <a href="/corrections?commitment=<%= it.c.id %>">Corrections to its record</a></p>
<% if (it.staff) { %><%~ include('@staffActions', it) %><% } %>
</article>`;
