export const status = `<span class="status status-<%= it.status %>"><%= it.label %></span>`;
