/** Paste a session's published notes to draft its record; nothing is recorded until the review is imported. */
export const staffDrafts = `<% layout('@layout', { title: 'Draft a session from its notes' }) %>
<h1>Draft a session from its notes</h1>
<p>Paste the notes as published (plain text, or the wikitext of the page). You get a draft to review: nothing is recorded until you import what you accepted.</p>
<form method="post" action="/staff/drafts" enctype="multipart/form-data" novalidate>
<input type="hidden" name="_csrf" value="<%= it.viewer.csrfToken %>">
<% if (it.error) { %><p class="form-error" role="alert"><strong>Not drafted:</strong> correct the field marked below.</p><% } %>
<%~ include('@field', { id: 'notes', name: 'notes', label: 'Published notes', type: 'textarea', required: true, value: it.notes, error: it.error, hint: 'Plain text or wikitext, up to 60 000 characters.' }) %>
<div class="field">
<label for="notesFile">Or upload the notes as a file <span class="meta">(optional)</span></label>
<p class="hint" id="notesFile-hint">A .txt or .wiki file in UTF-8; it is used instead of the pasted text.</p>
<input id="notesFile" name="notesFile" type="file" accept=".txt,.wiki,.wikitext,text/plain" aria-describedby="notesFile-hint">
</div>
<button type="submit">Draft</button>
</form>
<p><a href="/staff">Back to the staff page</a></p>`;
