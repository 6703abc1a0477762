export const staffHome = `<% layout('@layout', { title: 'Staff' }) %>
<h1>Signed in as <%= it.viewer.subject %></h1>
<% if (it.notice) { %><p class="notice" role="status"><%= it.notice %></p><% } %>
<p>Your role is <strong><%= it.viewer.role %></strong>. Open any commitment from the <a href="/commitments">list</a> or a <a href="/sessions">session’s record</a>: its page now has the forms to report progress, deliver, re-target, drop or record a revisit, and for editors to correct, link, split, merge or supersede it. Every change is kept in the commitment’s public history with your name.</p>
<p><a href="/staff/new">Record a new session or commitment</a></p>
<p><a href="/staff/drafts">Draft a session from its published notes</a> (editors): paste the notes, review every candidate commitment, import what you accept.</p>
<form method="post" action="/staff/sign-out">
<input type="hidden" name="_csrf" value="<%= it.viewer.csrfToken %>">
<button type="submit">Sign out</button>
</form>`;
