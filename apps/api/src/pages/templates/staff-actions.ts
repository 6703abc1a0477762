/** One staff form, folded until opened (or refused): posts with the page's CSRF token, and the revision it showed if any. */
export const staffForm = `<details class="action" id="action-<%= it.form.action %>"<%= it.form.open ? ' open' : '' %>>
<summary><%= it.form.title %></summary>
<form method="post" action="<%= it.url %>" novalidate>
<input type="hidden" name="_csrf" value="<%= it.csrfToken %>">
<% if (it.revision !== undefined) { %><input type="hidden" name="_revision" value="<%= it.revision %>"><% } %>
<% if (it.form.error) { %><p class="form-error" role="alert"><strong>Not saved:</strong> <%= it.form.error %></p><% } %>
<% if (it.form.hasFieldErrors) { %><p class="form-error" role="alert"><strong>Not saved:</strong> correct the fields marked below.</p><% } %>
<% it.form.fields.forEach(function (f) { %><%~ include('@field', f) %><% }) %>
<button type="submit"><%= it.form.title %></button>
</form>
</details>`;

/** The staff forms on a commitment page. */
export const staffActions = `<section id="staff-actions" aria-labelledby="staff-actions-title">
<h2 id="staff-actions-title">Staff actions</h2>
<p class="meta">Signed in as <%= it.staff.viewer.subject %> (<%= it.staff.viewer.role %>) · <a href="/staff">Staff page</a></p>
<% it.staff.forms.forEach(function (form) { %>
<%~ include('@staffForm', { form: form, url: '/staff/commitments/' + it.c.id + '/' + form.action, csrfToken: it.staff.viewer.csrfToken, revision: it.c.revision }) %>
<% }) %>
</section>`;

/** The staff page to record new sessions and commitments. */
export const staffRecord = `<% layout('@layout', { title: 'Record a session or a commitment' }) %>
<h1>Record a session or a commitment</h1>
<p class="meta">Signed in as <%= it.viewer.subject %> (<%= it.viewer.role %>) · <a href="/staff">Staff page</a></p>
<% it.forms.forEach(function (form) { %>
<%~ include('@staffForm', { form: form, url: '/staff/new/' + form.action, csrfToken: it.viewer.csrfToken }) %>
<% }) %>`;
