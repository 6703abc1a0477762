export const commitments = `<% layout('@layout', { title: 'Commitments' }) %>
<h1>Commitments</h1>
<% if (it.page.asOf) { %><%~ include('@asOfNotice', { asOf: it.page.asOf, today: it.today }) %><% } %>
<form method="get" action="/commitments" role="search">
<fieldset><legend>Find commitments</legend>
<span class="control"><label for="q">Words</label> <input id="q" name="q" type="search" value="<%= it.f.q || '' %>" aria-describedby="q-hint"></span>
<p class="hint" id="q-hint">Each word also finds its other forms and longer words it starts: “election” finds “elections”, “ratif” finds “ratified”. History notes count too.</p>
<fieldset class="choices"><legend>Status</legend>
<% it.facets.status.forEach(function (o) { %><span class="control"><input type="checkbox" id="status-<%= o.value %>" name="status" value="<%= o.value %>"<%= o.selected ? ' checked' : '' %>> <label for="status-<%= o.value %>"><%= it.labels[o.value] %> (<%= o.count %>)</label></span>
<% }) %></fieldset>
<% [['owner', 'Owner team', 'any team'], ['topic', 'Topic', 'any topic'], ['session', 'Session', 'any, made or revisited in']].forEach(function (f) { %><span class="control"><label for="<%= f[0] %>"><%= f[1] %></label> <select id="<%= f[0] %>" name="<%= f[0] %>"><option value=""><%= f[2] %></option><% it.facets[f[0]].forEach(function (o) { %><option value="<%= o.value %>"<%= o.selected ? ' selected' : '' %>><%= f[0] === 'session' && it.sessionTitles[o.value] ? it.sessionTitles[o.value] : o.value %> (<%= o.count %>)</option><% }) %></select></span>
<% }) %>
<span class="control"><label for="overdue">Overdue only</label> <input id="overdue" name="overdue" type="checkbox" value="true"<%= it.f.overdue === 'true' ? ' checked' : '' %>></span>
<span class="control"><label for="stale">Stale only</label> <input id="stale" name="stale" type="checkbox" value="true"<%= it.f.stale === 'true' ? ' checked' : '' %>></span>
<span class="control"><label for="sort">Sort by</label> <select id="sort" name="sort"><option value="changed">latest change</option><option value="deadline"<%= it.f.sort === 'deadline' ? ' selected' : '' %>>deadline</option><option value="made"<%= it.f.sort === 'made' ? ' selected' : '' %>>newest session</option></select></span>
<% if (it.page.asOf) { %><input type="hidden" name="asOf" value="<%= it.page.asOf.date %>"><input type="hidden" name="clock" value="<%= it.page.asOf.clock %>"><% } %>
<button type="submit">Find</button>
</fieldset>
</form>
<% if (it.page.unknown.length) { %><div class="form-error" role="status"><% it.page.unknown.forEach(function (u) { %><p><%= u.message %></p><% }) %></div><% } else { %><p><%= it.page.total %> found. This page’s address can be shared. Stale: open, and no news since before <%= it.page.staleSince %>.</p><% } %>
<% if (it.page.items.length) { %><div class="scroll"><table class="stack"><thead><tr><th scope="col">Commitment</th><th scope="col">Owner</th><th scope="col">Target</th><th scope="col">Status</th></tr></thead><tbody>
<% it.page.items.forEach(function (c) { %><tr><td data-label="Commitment"><a href="/commitments/<%= c.id %>"><%= c.summary %></a> <span class="meta strength"><%= it.strengths[c.strength] %></span></td><td data-label="Owner"><%= c.ownerTeam %></td><td data-label="Target"><%= c.target ? it.words.target(c.target) : '—' %></td><td data-label="Status"><%~ include('@statusWords', { badges: it.words.status(c) }) %><br><span class="meta"><%= it.words.news(c) %></span></td></tr>
<% }) %></tbody></table></div><% } %>
<nav aria-label="Pages"><% if (it.previous) { %><a href="<%= it.previous %>" rel="prev">Previous</a> <% } %><% if (it.next) { %><a href="<%= it.next %>" rel="next">Next</a><% } %></nav>
<%~ include('@asOfForm', { action: '/commitments', asOf: it.page.asOf, keep: it.keep, what: 'the list' }) %>`;
