/** What a browser gets instead of a JSON error body. */
export const errorPage = `<% layout('@layout', { title: it.error.error }) %>
<h1><%= it.error.error %></h1>
<p><%= it.error.message %></p>
<% if (it.error.errors && it.error.errors.length) { %><ul><% it.error.errors.forEach(function (problem) { %><li><strong><%= problem.field %></strong>: <%= problem.reason %></li><% }) %></ul><% } %>
<p><a href="/dashboard">Go to the dashboard</a> · <a href="/commitments">Find a commitment</a></p>`;
