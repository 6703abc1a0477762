export const commitments = `<% layout('@layout', { title: 'Commitments' }) %>
<h1>Commitments</h1>
<form method="get" action="/commitments" role="search">
<fieldset><legend>Find commitments</legend>
<span class="control"><label for="q">Words</label> <input id="q" name="q" type="search" value="<%= it.f.q || '' %>"></span>
<span class="control"><label for="status">Status</label> <select id="status" name="status"><option value="">any</option><% it.statuses.forEach(function (s) { %><option value="<%= s %>"<%= it.f.status === s ? ' selected' : '' %>><%= it.labels[s] %></option><% }) %></select></span>
<span class="control"><label for="owner">Owner team</label> <input id="owner" name="owner" value="<%= it.f.owner || '' %>"></span>
<span class="control"><label for="topic">Topic</label> <input id="topic" name="topic" value="<%= it.f.topic || '' %>"></span>
<span class="control"><label for="overdue">Overdue only</label> <input id="overdue" name="overdue" type="checkbox" value="true"<%= it.f.overdue === 'true' ? ' checked' : '' %>></span>
<span class="control"><label for="stale">Stale only</label> <input id="stale" name="stale" type="checkbox" value="true"<%= it.f.stale === 'true' ? ' checked' : '' %>></span>
<span class="control"><label for="sort">Sort by</label> <select id="sort" name="sort"><option value="changed">latest change</option><option value="deadline"<%= it.f.sort === 'deadline' ? ' selected' : '' %>>deadline</option><option value="made"<%= it.f.sort === 'made' ? ' selected' : '' %>>newest session</option></select></span>
<button type="submit">Find</button>
</fieldset>
</form>
<p><%= it.page.total %> found. This page’s address can be shared. Stale: open, and no news since before <%= it.page.staleSince %>.</p>
<div class="scroll"><table><thead><tr><th scope="col">Commitment</th><th scope="col">Owner</th><th scope="col">Target</th><th scope="col">Status</th></tr></thead><tbody>
<% it.page.items.forEach(function (c) { %><tr><td><a href="/commitments/<%= c.id %>"><%= c.summary %></a> <span class="meta strength"><%= it.strengths[c.strength] %></span></td><td><%= c.ownerTeam %></td><td><%= c.target ? it.words.target(c.target) : '—' %></td><td><%~ include('@statusWords', { badges: it.words.status(c) }) %><br><span class="meta"><%= it.words.news(c) %></span></td></tr>
<% }) %></tbody></table></div>
<nav aria-label="Pages"><% if (it.previous) { %><a href="<%= it.previous %>" rel="prev">Previous</a> <% } %><% if (it.next) { %><a href="<%= it.next %>" rel="next">Next</a><% } %></nav>`;
