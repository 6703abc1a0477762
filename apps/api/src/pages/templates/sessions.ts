export const sessions = `<% layout('@layout', { title: 'Sessions' }) %>
<h1>Sessions</h1>
<ul><% it.sessions.forEach(function (s) { %><li><a href="/sessions/<%= s.id %>"><%= s.title %></a> (<%= s.date %>): <%= s.madeCount %> promised, <%= s.revisitedCount %> revisited</li><% }) %></ul>`;
