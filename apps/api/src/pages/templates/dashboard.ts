export const dashboard = `<% layout('@layout', { title: 'Dashboard' }) %>
<h1>What was promised, and what became of it</h1>
<% if (it.d.asOf) { %><%~ include('@asOfNotice', { asOf: it.d.asOf, today: '/dashboard' }) %><% } %>
<p><%= it.d.totals.open %> open of <%= it.d.totals.all %> commitments; <%= it.d.overdue.count %> overdue; <%= it.d.flags.due %> due now (today inside the target window); <%= it.d.flags.stale %> stale (open, no news since before <%= it.d.flags.staleSince %>); <%= it.d.upcoming.within90Days %> with a target day in the next 90 days.<% if (it.d.slips.medianSlipDays !== null) { %> A slipped target moved by <%= it.d.slips.medianSlipDays %> days (median).<% } %></p>
<ul class="figures">
<li>Of those closed: <%= it.words.figure(it.d.delivery.delivered, it.d.delivery.closed, 'delivered in full') %>; <%= it.words.figure(it.d.delivery.partiallyDelivered, it.d.delivery.closed, 'delivered in part') %>.</li>
<li>Of those delivered with a target: <%= it.words.figure(it.d.delivery.onTime.onTime, it.d.delivery.onTime.withTarget, 'on time') %>.</li>
</ul>
<figure class="chart-frame" tabindex="0">
<%~ include('@barChart', { id: 'status', title: 'Commitments by status', chart: it.statusChart }) %>
<figcaption>Commitments by status</figcaption>
</figure>
<h2>Recently changed</h2>
<% if (it.d.recentlyChanged.length) { %><ol class="changes"><% it.d.recentlyChanged.forEach(function (r) { %><li><a href="/commitments/<%= r.id %>"><%= r.summary %></a> <span class="meta strength"><%= it.strengths[r.strength] %></span> <%~ include('@status', { status: r.status, label: it.labels[r.status] }) %>
<p><%= r.change %></p>
<p class="meta"><%= r.ownerTeam %> · happened <%= it.dayKnownAs[r.datePrecision] %><time datetime="<%= r.occurredAt %>"><%= r.occurredAt.slice(0, 10) %></time>, recorded <time datetime="<%= r.recordedAt %>"><%= r.recordedAt.slice(0, 10) %></time></p></li>
<% }) %></ol>
<p><a href="/feeds/changes.atom">Every change (Atom)</a> · <a href="/commitments?sort=changed">All commitments by latest change</a> · <a href="/corrections">Corrections to the record</a></p><% } else { %><p>Nothing has changed yet.</p><% } %>
<h2>Overdue and stale, by team</h2>
<% if (it.d.byTeam.length) { %><div class="scroll"><table><thead><tr><th scope="col">Team</th><th scope="col">Open</th><th scope="col">Overdue</th><th scope="col">Stale</th><th scope="col">Due now</th></tr></thead><tbody><% it.d.byTeam.forEach(function (t) { %><tr><td><a href="/commitments?owner=<%= encodeURIComponent(t.name) %>"><%= t.name %></a></td><td><%= t.open %></td><td><%= t.overdue %> of <%= t.open %></td><td><%= t.stale %> of <%= t.open %></td><td><%= t.due %> of <%= t.open %></td></tr><% }) %></tbody></table></div><% } else { %><p>Nothing is open.</p><% } %>
<h2>Stale: no news for longer than <%= it.staleAfterMonths %> months</h2>
<% if (it.d.flags.longestWithoutNews.length) { %><ul class="stale"><% it.d.flags.longestWithoutNews.forEach(function (c) { %><li><a href="/commitments/<%= c.id %>"><%= c.summary %></a> (<%= c.ownerTeam %>)<br><span class="meta">Announced <%= c.madeOn %> · <%= c.lastNewsOn > c.madeOn ? 'no news since ' + c.lastNewsOn : 'no news since then' %></span></li><% }) %></ul>
<p><a href="/commitments?stale=true">Every stale commitment</a></p><% } else { %><p>Nothing open has gone without news that long.</p><% } %>
<h2>Overdue</h2>
<% if (it.d.overdue.mostOverdue.length) { %><div class="scroll"><table class="stack"><thead><tr><th scope="col">Commitment</th><th scope="col">Owner</th><th scope="col">Due</th><th scope="col">Days overdue</th></tr></thead><tbody>
<% it.d.overdue.mostOverdue.forEach(function (c) { %><tr><td data-label="Commitment"><a href="/commitments/<%= c.id %>"><%= c.summary %></a> <span class="meta strength"><%= it.strengths[c.strength] %></span></td><td data-label="Owner"><%= c.ownerTeam %></td><td data-label="Due"><%= c.targetLatestDate %></td><td data-label="Days overdue"><%= c.daysOverdue %></td></tr><% }) %>
</tbody></table></div><% } else { %><p>Nothing is overdue.</p><% } %>
<h2>Due soon</h2>
<% if (it.d.upcoming.nextDue.length) { %><ul><% it.d.upcoming.nextDue.forEach(function (c) { %><li><a href="/commitments/<%= c.id %>"><%= c.summary %></a> <span class="meta strength"><%= it.strengths[c.strength] %></span>: <%= c.targetLatestDate %> (<%= c.ownerTeam %>)</li><% }) %></ul><% } else { %><p>Nothing is due in the next 90 days.</p><% } %>
<h2>Open and closed over time</h2>
<% if (it.overTime) { %><figure class="chart-frame" tabindex="0">
<svg role="img" aria-labelledby="over-time-title over-time-desc" viewBox="0 0 <%= it.overTime.width %> <%= it.overTime.height %>" class="chart">
<title id="over-time-title">Open and closed commitments, month by month</title>
<desc id="over-time-desc"><%= it.overTime.description %></desc>
<% it.overTime.levels.forEach(function (l) { %><line x1="<%= it.overTime.plot.left %>" x2="<%= it.overTime.plot.right %>" y1="<%= l.y %>" y2="<%= l.y %>" stroke="#ccc"></line><text x="<%= it.overTime.plot.left - 6 %>" y="<%= l.y + 5 %>" font-size="13" text-anchor="end" fill="#1b1b1b"><%= l.value %></text>
<% }) %><% it.overTime.ticks.forEach(function (t) { %><text x="<%= t.x %>" y="<%= it.overTime.plot.bottom + 20 %>" font-size="13" text-anchor="middle" fill="#1b1b1b"><%= t.label %></text>
<% }) %><polyline points="<%= it.overTime.open %>" fill="none" stroke="#4a6fa5" stroke-width="2.5"></polyline>
<polyline points="<%= it.overTime.closed %>" fill="none" stroke="#6b4e00" stroke-width="2.5" stroke-dasharray="6 4"></polyline>
</svg>
<figcaption>Open (solid blue line) and closed (dashed brown line) at the end of each month.</figcaption>
</figure>
<details><summary>The figures month by month</summary>
<div class="scroll"><table><thead><tr><th scope="col">Month</th><th scope="col">Open</th><th scope="col">Closed</th></tr></thead><tbody><% it.d.overTime.forEach(function (m) { %><tr><td><%= m.month %></td><td><%= m.open %></td><td><%= m.closed %></td></tr><% }) %></tbody></table></div>
</details><% } else { %><p>No commitments yet.</p><% } %>
<h2>Slips</h2>
<p><%= it.d.slips.slippedLate %> commitment<%= it.d.slips.slippedLate === 1 ? '' : 's' %> slipped late: a later target announced after the old one had passed. <%= it.d.slips.extended %> <%= it.d.slips.extended === 1 ? 'was' : 'were' %> extended: a later target announced while the old one still stood.<% if (it.d.slips.slipped) { %> In all <%= it.d.slips.slipped %> had a target moved later, <%= it.d.slips.slippedMoreThanOnce %> of them more than once.<% } %> A target moved to a vaguer one with no date counts too.</p>
<% if (it.d.slips.slipped) { %><figure class="chart-frame" tabindex="0">
<%~ include('@barChart', { id: 'slips', title: 'Slipped commitments by how far their targets moved in all', chart: it.slipChart }) %>
<figcaption>Slipped commitments by how far their targets moved later, in all</figcaption>
</figure>
<div class="scroll"><table><thead><tr><th scope="col">Moved later by</th><th scope="col">Commitments</th></tr></thead><tbody><% it.d.slips.bySize.forEach(function (s) { %><tr><td><%= it.slipSizeLabel(s) %></td><td><%= s.count %></td></tr><% }) %></tbody></table></div><% } %>
<h2>Open, by team</h2>
<div class="scroll"><table><thead><tr><th scope="col">Team</th><th scope="col">Open</th></tr></thead><tbody><% it.d.openByOwnerTeam.forEach(function (t) { %><tr><td><a href="/commitments?owner=<%= encodeURIComponent(t.name) %>"><%= t.name %></a> (<a href="/feeds/changes.atom?team=<%= encodeURIComponent(t.name) %>">Atom</a>, <a href="/follow?kind=team&amp;value=<%= encodeURIComponent(t.name) %>">email</a>)</td><td><%= t.open %></td></tr><% }) %></tbody></table></div>
<h2>Open, by topic</h2>
<div class="scroll"><table><thead><tr><th scope="col">Topic</th><th scope="col">Open</th></tr></thead><tbody><% it.d.openByTopic.forEach(function (t) { %><tr><td><a href="/commitments?topic=<%= encodeURIComponent(t.name) %>"><%= t.name %></a></td><td><%= t.open %></td></tr><% }) %></tbody></table></div>
<%~ include('@asOfForm', { action: '/dashboard', asOf: it.d.asOf, what: 'the dashboard' }) %>`;
