/** After a reviewed draft was imported: where the new record is. */
export const staffDraftImported = `<% layout('@layout', { title: 'Session imported' }) %>
<h1>Session imported</h1>
<p class="notice" role="status"><%= it.events %> events recorded for <a href="/sessions/<%= it.sessionId %><%= it.position ? '?minPosition=' + encodeURIComponent(it.position) : '' %>"><%= it.title %></a>.</p>
<h2>Commitments recorded (<%= it.commitments.length %>)</h2>
<ul><% it.commitments.forEach(function (c) { %><li><a href="/commitments/<%= c.id %>"><%= c.summary %></a></li><% }) %></ul>
<p><a href="/staff/drafts">Draft another session</a> · <a href="/staff">Staff page</a></p>`;
