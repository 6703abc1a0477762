export const corrections = `<% layout('@layout', { title: 'Corrections' }) %>
<h1>Corrections to the record</h1>
<p>When the tracker recorded something wrong (a name, a date, a quote), an editor fixes it with a correction; nothing is edited in place. Every correction is listed here, newest first, with what the record said before and after, who fixed it and why. A correction is not progress and not a slip.</p>
<p><% if (it.filter) { %><a href="<%= it.feed %>">Follow these corrections (Atom)</a> · <% } %><a href="/corrections.atom">Follow <%= it.filter ? 'all ' : '' %>corrections (Atom)</a></p>
<% if (it.filter) { %><p>Only corrections of <a href="<%= it.filter.url %>">this <%= it.filter.kind %></a>. <a href="/corrections">All corrections</a></p><% } %>
<p><%= it.answer.total %> correction<%= it.answer.total === 1 ? '' : 's' %>.</p>
<% if (it.answer.items.length) { %><ol class="corrections">
<% it.answer.items.forEach(function (c) { %><li><article>
<h2><a href="<%= c.subject.url %>"><%= c.subject.title %></a></h2>
<p class="meta">The <%= c.subject.kind %>’s record, corrected <time datetime="<%= c.recordedAt %>"><%= c.recordedAt.slice(0, 10) %></time> by <%= c.actor %></p>
<div class="scroll"><table><thead><tr><th scope="col">Field</th><th scope="col">Was</th><th scope="col">Now</th></tr></thead><tbody>
<% c.changes.forEach(function (change) { %><tr><th scope="row"><%= it.fieldLabel(change.field) %></th><td><del><%= it.valueText(change.from) %></del></td><td><ins><%= it.valueText(change.to) %></ins></td></tr>
<% }) %></tbody></table></div>
<p>Why: <%= c.reason %></p>
</article></li>
<% }) %></ol><% } %>
<nav aria-label="Pages"><% if (it.previous) { %><a href="<%= it.previous %>" rel="prev">Previous</a> <% } %><% if (it.next) { %><a href="<%= it.next %>" rel="next">Next</a><% } %></nav>`;
