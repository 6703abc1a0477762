/**
 * One labelled form control with its hint and its error next to it, wired with aria-describedby.
 * Params: id, name, label, type (text | textarea | select | date | password), value, error, hint,
 * required, options ([{ value, label }] for a select).
 */
export const field = `<% var described = [it.hint ? it.id + '-hint' : null, it.error ? it.id + '-error' : null].filter(Boolean).join(' '); %>
<div class="field">
<label for="<%= it.id %>"><%= it.label %><% if (!it.required) { %> <span class="meta">(optional)</span><% } %></label>
<% if (it.hint) { %><p class="hint" id="<%= it.id %>-hint"><%= it.hint %></p><% } %>
<% if (it.error) { %><p class="field-error" id="<%= it.id %>-error"><strong>Error:</strong> <%= it.error %></p><% } %>
<% if (it.type === 'textarea') { %><textarea id="<%= it.id %>" name="<%= it.name %>" rows="3"<% if (it.required) { %> required<% } %><% if (it.error) { %> aria-invalid="true"<% } %><% if (described) { %> aria-describedby="<%= described %>"<% } %>><%= it.value || '' %></textarea>
<% } else if (it.type === 'select') { %><select id="<%= it.id %>" name="<%= it.name %>"<% if (it.required) { %> required<% } %><% if (it.error) { %> aria-invalid="true"<% } %><% if (described) { %> aria-describedby="<%= described %>"<% } %>><% it.options.forEach(function (option) { %><option value="<%= option.value %>"<%= option.value === it.value ? ' selected' : '' %>><%= option.label %></option><% }) %></select>
<% } else { %><input id="<%= it.id %>" name="<%= it.name %>" type="<%= it.type || 'text' %>" value="<%= it.value || '' %>"<% if (it.required) { %> required<% } %><% if (it.error) { %> aria-invalid="true"<% } %><% if (described) { %> aria-describedby="<%= described %>"<% } %><% if (it.autocomplete) { %> autocomplete="<%= it.autocomplete %>"<% } %>>
<% } %></div>`;
