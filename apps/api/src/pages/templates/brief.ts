export const brief = `<% var b = it.brief; layout('@layout', { title: 'Brief for the session on ' + it.words.day(b.date) }) %>
<div class="brief<%= it.print ? ' brief-print' : '' %>">
<h1>Pre-session brief: <time datetime="<%= b.date %>"><%= it.words.day(b.date) %></time></h1>
<p><% if (b.hosts.length) { %>Hosts: <%= b.hosts.join('; ') %>. <% } %>Last session: <% if (b.lastSession) { %><a href="/sessions/<%= b.lastSession.id %>"><%= b.lastSession.title %></a> (<time datetime="<%= b.lastSession.date %>"><%= b.lastSession.date %></time>)<% } else { %>none recorded before<% } %>. Next likely session: <time datetime="<%= b.nextLikelySession %>"><%= b.nextLikelySession %></time><%= b.nextLikelyFrom === 'usual_gap' ? ' (the usual gap between recorded sessions)' : b.nextLikelyFrom === 'default_gap' ? ' (in about three months: too few sessions to know the usual gap)' : '' %>. Stale: open, and no news since before <%= b.staleSince %> (<%= b.staleAfterMonths %> months).</p>
<% if (b.announced) { %><p class="announced" data-status="<%= b.announced.status %>"><strong><%= b.announced.status === 'cancelled' ? 'Cancelled' : b.announced.status === 'held' ? 'Held' : 'Announced' %>:</strong> <%= b.announced.title %><% if (b.announced.status === 'cancelled' && b.announced.cancelReason) { %> (<%= b.announced.cancelReason %>)<% } %><% if (b.announced.status === 'held' && b.sessionId) { %> · <a href="/sessions/<%= b.sessionId %>">its record</a><% } %></p>
<% } %><p class="no-print"><a href="<%= it.links.print %>">Printable view</a> · <a href="<%= it.links.wikitext %>">Wikitext to paste on Meta</a> · <a href="<%= it.links.atom %>">Follow this brief (Atom)</a> · <a href="<%= it.links.ics %>">Add the session to a calendar</a> · <a href="/feeds/upcoming-sessions.atom">Every announced session (Atom)</a><% if (b.announced && b.announced.status === 'scheduled') { %> · <a href="/follow?kind=session&amp;value=<%= encodeURIComponent(b.announced.id) %>">Follow this session by email</a><% } %><% if (!it.staff) { %> · <a href="/staff<%= it.links.page %>">Prepare it as staff</a><% } %></p>
<% if (it.staff) { %><section class="no-print" id="staff-brief" aria-labelledby="staff-brief-title">
<h2 id="staff-brief-title">Staff</h2>
<p class="meta">Signed in as <%= it.staff.viewer.subject %> (<%= it.staff.viewer.role %>) · <a href="/staff">Staff page</a></p>
<% if (it.staff.notice) { %><p class="notice" role="status"><%= it.staff.notice %></p><% } %>
<% if (b.sessionId) { %><p><a href="<%= it.staff.revisits %>">Record what this session said, the brief’s commitments first</a></p>
<% } else if (b.announced && b.announced.status === 'cancelled') { %><p>This session was cancelled: nothing is recorded from its brief.</p>
<% } else { %><% if (it.staff.plan) { %><% it.staff.plan.forms.forEach(function (form) { %><%~ include('@staffForm', { form: form, url: '/staff/brief/sessions/' + b.announced.id + '/' + form.action, csrfToken: it.staff.viewer.csrfToken, revision: it.staff.plan.revision }) %>
<% }) %><% } %><% if (it.staff.schedule) { %><%~ include('@staffForm', { form: it.staff.schedule, url: '/staff/new/upcoming-session', csrfToken: it.staff.viewer.csrfToken }) %>
<% } %><% if (it.staff.record) { %><% if (it.staff.record.canRecordYet) { %><%~ include('@staffForm', { form: it.staff.record.form, url: '/staff/new/session', csrfToken: it.staff.viewer.csrfToken }) %>
<p>Once it is recorded with the id suggested above: <a href="<%= it.staff.revisits %>">record what it said, the brief’s commitments first</a>.</p>
<% } else { %><p>The session can be recorded from this brief on or after <%= it.words.day(b.date) %>: the tracker records a session once it has happened.</p><% } %><% } %><% } %>
</section><% } %>
<% if (b.teams.length > 1) { %><nav class="no-print" aria-label="Teams"><ul><% b.teams.forEach(function (team, i) { %><li><a href="#team-<%= i %>"><%= team.name %></a></li><% }) %></ul></nav><% } %>
<% if (!b.teams.length) { %><p>No team has an open commitment.</p><% } %>
<% b.teams.forEach(function (team, i) { var shown = team.sections.filter(function (s) { return s.items.length; }); %>
<section class="brief-team" aria-labelledby="team-<%= i %>">
<h2 id="team-<%= i %>"><%= team.name %></h2>
<p><%= team.open %> open.<% if (!shown.length) { %> Nothing to ask about.<% } %> <span class="no-print"><a href="/feeds/targets.ics?team=<%= encodeURIComponent(team.name) %>">This team’s target dates (iCalendar)</a></span></p>
<% shown.forEach(function (section) { %><div class="brief-section" data-section="<%= section.key %>">
<h3 id="team-<%= i %>-<%= section.key %>"><%= section.title %> (<%= section.items.length %>)</h3>
<ol class="brief-items"><% section.items.forEach(function (item) { %><li class="brief-item" id="item-<%= item.id %>"><a href="/commitments/<%= item.id %>"><%= item.summary %></a> <span class="meta strength"><%= it.strengths[item.strength] %></span> <%~ include('@statusWords', { badges: it.words.status(item) }) %>
<p class="meta">Target: <%= it.words.target(item.target) %> · said by <%= item.speaker %> on <%= item.madeIn.date %><% if (item.slipCount) { %> · moved later <%= item.slipCount %> <%= item.slipCount === 1 ? 'time' : 'times' %><% } %><% if (item.revisitedIn.length) { %> · revisited in <%= item.revisitedIn.length %> <%= item.revisitedIn.length === 1 ? 'session' : 'sessions' %><% } %></p>
<p class="brief-news"><strong>Last news:</strong> <% if (item.lastNews) { %><time datetime="<%= item.lastNews.on %>"><%= it.dayKnownAs[item.lastNews.datePrecision] %><%= item.lastNews.on %></time>: <%= item.lastNews.text %><% } else { %>none<% } %></p>
<p class="brief-ask"><strong>Ask about:</strong> <%= item.askAbout %></p></li>
<% }) %></ol>
</div>
<% }) %></section>
<% }) %>
</div>`;

/** Recording what a session said: the brief's commitments first, each with its revisit form. */
export const briefRevisits = `<% layout('@layout', { title: 'Record what was said: the brief first' }) %>
<h1>Record what the session on <%= it.words.day(it.brief.date) %> said</h1>
<p class="meta">Signed in as <%= it.viewer.subject %> (<%= it.viewer.role %>) · <a href="/staff">Staff page</a> · <a href="/brief?session=<%= it.brief.sessionId %>">The brief</a></p>
<p>The commitments of the brief come first, the most pressing first. For another commitment, open its page: <a href="/commitments?status=announced&amp;status=in_progress">every open commitment</a>.</p>
<% if (!it.items.length) { %><p>The brief lists no commitment.</p><% } %>
<ol class="brief-revisits"><% it.items.forEach(function (item) { %><li id="revisit-<%= item.id %>">
<h2><a href="/commitments/<%= item.id %>"><%= item.summary %></a></h2>
<p class="meta"><%= item.ownerTeam %> · in the brief under “<%= item.sectionTitle %>” · <%~ include('@statusWords', { badges: it.words.status(item) }) %></p>
<p class="brief-ask"><strong>Ask about:</strong> <%= item.askAbout %></p>
<% if (!item.form) { %><p class="meta">Its status takes no revisit: open its page for what can be recorded.</p><% } %>
<% if (item.form) { %><%~ include('@staffForm', { form: item.form, url: '/staff/commitments/' + item.id + '/revisit', csrfToken: it.viewer.csrfToken }) %><% } %>
</li><% }) %></ol>`;

/** Choosing the session to brief: its day, its hosts, their teams. A GET form, so a brief's address can be shared. */
export const briefForm = `<% layout('@layout', { title: 'Prepare the next session' }) %>
<h1>Prepare the next session</h1>
<p>A brief lists, per team, what to ask about: open commitments, overdue ones, slipped ones, stale ones, those due before the next likely session, what changed since the last session, and what was asked about before and is still open.</p>
<% if (it.upcoming.length) { %><h2>Announced sessions</h2>
<ul class="upcoming-sessions"><% it.upcoming.slice().reverse().forEach(function (plan) { %><li><a href="/brief?session=<%= encodeURIComponent(plan.sessionId) %>"><%= plan.title %></a>, <time datetime="<%= plan.date %>"><%= it.words.day(plan.date) %></time></li><% }) %></ul>
<p><a href="/upcoming-sessions">Every announced session</a> · <a href="/feeds/upcoming-sessions.atom">Follow announced sessions (Atom)</a> · <a href="/feeds/upcoming-sessions.ics">Their calendar (iCalendar)</a></p>
<h2>Another day</h2><% } else { %><p><a href="/upcoming-sessions">Sessions announced before their day</a></p><% } %>
<form method="get" action="/brief">
<div class="field"><label for="brief-date">Day of the session</label><input id="brief-date" name="date" type="date" value="<%= it.today %>" required></div>
<div class="field"><label for="brief-host-1">Host <span class="meta">(optional)</span></label><p class="hint" id="brief-host-hint">By name, as in the record: the teams of the commitments a host made are briefed.</p><input id="brief-host-1" name="host" type="text" aria-describedby="brief-host-hint" list="brief-hosts"></div>
<div class="field"><label for="brief-host-2">Another host <span class="meta">(optional)</span></label><input id="brief-host-2" name="host" type="text" list="brief-hosts"></div>
<datalist id="brief-hosts"><% it.hosts.forEach(function (name) { %><option value="<%= name %>"></option><% }) %></datalist>
<fieldset class="choices field"><legend>Teams <span class="meta">(optional: none and no host is every team)</span></legend>
<% it.teams.forEach(function (team, i) { %><span class="control"><input type="checkbox" id="brief-team-<%= i %>" name="team" value="<%= team %>"> <label for="brief-team-<%= i %>"><%= team %></label></span>
<% }) %></fieldset>
<button type="submit">Show the brief</button>
</form>`;
