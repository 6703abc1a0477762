export const session = `<% layout('@layout', { title: it.s.title }) %>
<h1><%= it.s.title %></h1>
<% if (it.s.asOf) { %><%~ include('@asOfNotice', { asOf: it.s.asOf, today: '/sessions/' + it.s.id }) %><% } %>
<p><time datetime="<%= it.s.date %>"><%= it.s.date %></time> · hosted by <%= it.s.hosts.map(function (h) { return h.role ? h.name + ' (' + h.role + ')' : h.name; }).join('; ') %> · <a href="<%= it.s.sourceUrl %>">published notes</a></p>
<h2>Promised in this session (<%= it.s.made.length %>)</h2>
<div class="scroll"><table class="stack"><thead><tr><th scope="col">Commitment</th><th scope="col">Owner</th><th scope="col">Target</th><th scope="col">What became of it</th></tr></thead><tbody>
<% it.s.made.forEach(function (entry) { %><tr><td data-label="Commitment"><a href="/commitments/<%= entry.commitment.id %>"><%= entry.commitment.summary %></a></td><td data-label="Owner"><%= entry.commitment.ownerTeam %></td><td data-label="Target"><%= entry.commitment.target ? entry.commitment.target.asSaid : '—' %></td><td data-label="What became of it"><%~ include('@status', { status: entry.outcome, label: it.labels[entry.outcome] }) %></td></tr>
<% }) %></tbody></table></div>
<% if (it.s.revisited.length) { %>
<h2>Earlier commitments revisited here (<%= it.s.revisited.length %>)</h2>
<div class="scroll"><table class="stack"><thead><tr><th scope="col">Commitment</th><th scope="col">What this session said</th><th scope="col"><%= it.s.asOf ? 'Then' : 'Now' %></th></tr></thead><tbody>
<% it.s.revisited.forEach(function (entry) { %><tr><td data-label="Commitment"><a href="/commitments/<%= entry.commitment.id %>"><%= entry.commitment.summary %></a></td><td data-label="What this session said"><%= entry.said %></td><td data-label="<%= it.s.asOf ? 'Then' : 'Now' %>"><%~ include('@status', { status: entry.outcome, label: it.labels[entry.outcome] }) %></td></tr>
<% }) %></tbody></table></div>
<% } %>
<p><a href="/feeds/changes.atom?session=<%= it.s.id %>">Follow this session’s commitments (Atom)</a> · <a href="/exports/sessions/<%= it.s.id %>/wikitext">This record as a wiki table</a></p>
<%~ include('@asOfForm', { action: '/sessions/' + it.s.id, asOf: it.s.asOf, what: 'this session’s record' }) %>`;
