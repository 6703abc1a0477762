export const dashboard = `<% layout('@layout', { title: 'Dashboard' }) %>
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
<table><thead><tr><th scope="col">Topic</th><th scope="col">Open</th></tr></thead><tbody><% it.d.openByTopic.forEach(function (t) { %><tr><td><%= t.name %></td><td><%= t.open %></td></tr><% }) %></tbody></table>`;
