export const session = `<% layout('@layout', { title: it.s.title }) %>
<h1><%= it.s.title %></h1>
<% if (it.s.asOf) { %><%~ include('@asOfNotice', { asOf: it.s.asOf, today: '/sessions/' + it.s.id }) %><% } %>
<p><time datetime="<%= it.s.date %>"><%= it.s.date %></time> · hosted by <%= it.s.hosts.map(function (h) { return h.role ? h.name + ' (' + h.role + ')' : h.name; }).join('; ') %> · <a href="<%= it.s.sourceUrl %>">published notes</a></p>
<h2>Promised in this session (<%= it.s.made.length %>)</h2>
<% var sc = it.s.scorecard; %><h3 id="scorecard">Scorecard</h3>
<% if (sc.promised) { %><ul class="scorecard">
<li><%= it.words.figure(sc.delivered + sc.partiallyDelivered, sc.promised, 'delivered') %><% if (sc.partiallyDelivered) { %>, <%= sc.partiallyDelivered %> of them in part<% } %></li>
<li><%= sc.deliveredOnTime %> of <%= sc.promised %> delivered on time</li>
<li><%= sc.inProgress %> of <%= sc.promised %> in progress</li>
<li><%= sc.stillAnnounced %> of <%= sc.promised %> still only announced</li>
<li><%= sc.stale %> of <%= sc.promised %> stale (open, no news for longer than <%= it.staleAfterMonths %> months)</li>
<li><%= sc.overdue %> of <%= sc.promised %> overdue</li>
<li><%= sc.dropped %> of <%= sc.promised %> dropped</li>
<li><%= sc.superseded %> of <%= sc.promised %> superseded</li>
</ul><% } else { %><p>Nothing was promised in this session.</p><% } %>
<div class="scroll"><table class="stack"><thead><tr><th scope="col">Commitment</th><th scope="col">Owner</th><th scope="col">Target</th><th scope="col">Status</th></tr></thead><tbody>
<% it.s.made.forEach(function (entry) { %><tr><td data-label="Commitment"><a href="/commitments/<%= entry.commitment.id %>"><%= entry.commitment.summary %></a> <span class="meta strength"><%= it.strengths[entry.commitment.strength] %></span></td><td data-label="Owner"><%= entry.commitment.ownerTeam %></td><td data-label="Target"><%= entry.commitment.target ? it.words.target(entry.commitment.target) : '—' %></td><td data-label="Status"><%~ include('@statusWords', { badges: it.words.status(entry.commitment) }) %><br><span class="meta"><%= it.words.news(entry.commitment) %></span></td></tr>
<% }) %></tbody></table></div>
<% if (it.s.revisited.length) { %>
<h2>Earlier commitments revisited here (<%= it.s.revisited.length %>)</h2>
<div class="scroll"><table class="stack"><thead><tr><th scope="col">Commitment</th><th scope="col">What this session said</th><th scope="col"><%= it.s.asOf ? 'Then' : 'Status now' %></th></tr></thead><tbody>
<% it.s.revisited.forEach(function (entry) { %><tr><td data-label="Commitment"><a href="/commitments/<%= entry.commitment.id %>"><%= entry.commitment.summary %></a> <span class="meta strength"><%= it.strengths[entry.commitment.strength] %></span></td><td data-label="What this session said"><%= entry.said %></td><td data-label="<%= it.s.asOf ? 'Then' : 'Status now' %>"><%~ include('@statusWords', { badges: it.words.status(entry.commitment) }) %><br><span class="meta"><%= it.words.news(entry.commitment) %></span></td></tr>
<% }) %></tbody></table></div>
<% } %>
<p><a href="/follow?kind=session&amp;value=<%= encodeURIComponent(it.s.id) %>">Follow this session’s commitments by email</a> · <a href="/feeds/changes.atom?session=<%= it.s.id %>">Follow them (Atom)</a> · <a href="/exports/sessions/<%= it.s.id %>/wikitext">This record as a wiki table</a></p>
<%~ include('@asOfForm', { action: '/sessions/' + it.s.id, asOf: it.s.asOf, what: 'this session’s record' }) %>`;
