/**
 * Every candidate of a draft, to accept (as drafted or edited) or reject, then the sentences that
 * commit nothing new but may speak about an earlier commitment, each to accept as a revisit of
 * one of its suggestions (the less likely ones folded), then import.
 */
export const staffDraftReview = `<% layout('@layout', { title: 'Review the draft' }) %>
<h1>Review the draft</h1>
<p>Drafted from <%= it.format %> notes. Each value is a guess with a confidence (0 to 1); check it against the notes. Nothing is recorded until you import.</p>
<form method="post" action="/staff/drafts/import" novalidate>
<input type="hidden" name="_csrf" value="<%= it.viewer.csrfToken %>">
<% if (it.formError) { %><p class="form-error" role="alert"><strong>Not imported:</strong> <%= it.formError %></p><% } %>
<fieldset><legend>Session</legend>
<p class="meta">Confidence: <%= it.sessionConfidences %></p>
<% it.sessionFields.forEach(function (f) { %><%~ include('@field', f) %><% }) %>
</fieldset>
<h2>Candidate commitments (<%= it.candidates.length %>)</h2>
<% it.candidates.forEach(function (c, index) { %>
<section class="action" id="candidate-<%= c.id %>" aria-labelledby="candidate-<%= c.id %>-title">
<h3 id="candidate-<%= c.id %>-title">Candidate <%= index + 1 %> <span class="meta">(confidence <%= c.confidence %>)</span></h3>
<blockquote><%= c.quote %></blockquote>
<% if (c.question) { %><p class="meta">Answering: <%= c.question %></p><% } %>
<p class="meta">Strength <strong><%= c.strength %></strong> (<%= c.strengthConfidence %>), decided by “<%= c.decidingWords %>” · speaker <%= c.speakerConfidence %> · owner <%= c.ownerConfidence %><% if (c.targetWindow) { %> · target window <%= c.targetWindow %><% } %></p>
<% if (c.suggestions.length) { %><p class="meta">May revisit: <% c.suggestions.forEach(function (s, i) { %><%= i ? '; ' : '' %><% if (s.inBrief) { %><strong>in the brief:</strong> <% } %><a href="/commitments/<%= s.commitmentId %>"><%= s.commitmentId %></a> (score <%= s.score %>)<% }) %></p><% } %>
<fieldset><legend>Decision for candidate <%= index + 1 %></legend>
<% if (c.decisionError) { %><p class="field-error" id="c-<%= c.id %>-decision-error"><strong>Error:</strong> <%= c.decisionError %></p><% } %>
<label><input type="radio" name="c-<%= c.id %>-decision" value="accept"<%= c.decision === 'accept' ? ' checked' : '' %>> Accept (with the values below)</label>
<label><input type="radio" name="c-<%= c.id %>-decision" value="reject"<%= c.decision === 'reject' ? ' checked' : '' %>> Reject</label>
</fieldset>
<details<%= c.fields.some(function (f) { return f.error; }) ? ' open' : '' %>><summary>Edit candidate <%= index + 1 %></summary>
<% c.fields.forEach(function (f) { %><%~ include('@field', f) %><% }) %>
</details>
</section>
<% }) %>
<% var statements = it.statements.concat(it.otherStatements); %>
<h2 id="statements">Sentences that may revisit an earlier commitment (<%= statements.length %>)</h2>
<p>These sentences make no new commitment. To record one as a revisit of an earlier commitment, choose that commitment; leave None to record nothing.</p>
<% if (!statements.length) { %><p class="meta">No sentence of these notes matches an open commitment of another session.</p><% } %>
<% statements.forEach(function (s, index) { %>
<% if (index === it.statements.length) { %><details<%= it.otherStatements.some(function (o) { return o.field.error; }) ? ' open' : '' %>><summary>Less likely matches (<%= it.otherStatements.length %>)</summary><% } %>
<section class="action" id="statement-<%= s.id %>" aria-labelledby="statement-<%= s.id %>-title">
<h3 id="statement-<%= s.id %>-title">Sentence <%= index + 1 %> <span class="meta">(best match confidence <%= Math.max.apply(null, s.suggestions.map(function (g) { return g.confidence; })) %>)</span></h3>
<blockquote><%= s.quote %></blockquote>
<p class="meta">Said by <%= s.speaker %><% if (s.question) { %>, answering: <%= s.question %><% } %></p>
<p class="meta">May revisit: <% s.suggestions.forEach(function (g, i) { %><%= i ? '; ' : '' %><% if (g.inBrief) { %><strong>in the brief:</strong> <% } %><a href="/commitments/<%= g.commitmentId %>"><%= g.commitmentId %></a> (score <%= g.score %>, confidence <%= g.confidence %>)<% }) %></p>
<%~ include('@field', s.field) %>
</section>
<% if (index === statements.length - 1 && it.otherStatements.length) { %></details><% } %>
<% }) %>
<button type="submit">Import the accepted commitments and revisits</button>
</form>`;
