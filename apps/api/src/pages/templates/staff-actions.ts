/** The staff forms on a commitment page; each posts with the page's CSRF token and the revision it showed. */
export const staffActions = `<section id="staff-actions" aria-labelledby="staff-actions-title">
<h2 id="staff-actions-title">Staff actions</h2>
<p class="meta">Signed in as <%= it.staff.viewer.subject %> (<%= it.staff.viewer.role %>) · <a href="/staff">Staff page</a></p>
<% it.staff.forms.forEach(function (form) { %>
<details class="action" id="action-<%= form.action %>"<%= form.open ? ' open' : '' %>>
<summary><%= form.title %></summary>
<form method="post" action="/staff/commitments/<%= it.c.id %>/<%= form.action %>" novalidate>
<input type="hidden" name="_csrf" value="<%= it.staff.viewer.csrfToken %>">
<input type="hidden" name="_revision" value="<%= it.c.revision %>">
<% if (form.error) { %><p class="form-error" role="alert"><strong>Not saved:</strong> <%= form.error %></p><% } %>
<% if (form.hasFieldErrors) { %><p class="form-error" role="alert"><strong>Not saved:</strong> correct the fields marked below.</p><% } %>
<% form.fields.forEach(function (f) { %><%~ include('@field', f) %><% }) %>
<button type="submit"><%= form.title %></button>
</form>
</details>
<% }) %>
</section>`;
