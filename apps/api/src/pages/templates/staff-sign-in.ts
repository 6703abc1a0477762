export const staffSignIn = `<% layout('@layout', { title: 'Staff sign-in' }) %>
<h1>Staff sign-in</h1>
<p>Staff record progress, deliveries, new targets and drops on each commitment’s page. Sign in with the staff token an admin gave you (it starts with <code>ctk_</code>). This browser then stays signed in for 8 hours; the token itself is not kept in the browser.</p>
<form method="post" action="/staff/sign-in" novalidate>
<input type="hidden" name="_csrf" value="<%= it.csrfToken %>">
<input type="hidden" name="returnTo" value="<%= it.returnTo %>">
<%~ include('@field', { id: 'token', name: 'token', label: 'Staff token', type: 'password', required: true, error: it.error, autocomplete: 'current-password' }) %>
<button type="submit">Sign in</button>
</form>`;
