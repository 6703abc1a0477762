/** Looking back, the same on every page: a notice when the page shows the past, and the form that asks for it. */
export const asOfNotice = `<p class="notice" role="status"><strong>As it stood at the end of <%= it.asOf.date %></strong>: <% if (it.asOf.clock === 'recorded') { %>what the tracker showed then, from what it had learned by that day<% } else { %>what was true then, including what the tracker learned of later<% } %>. <a href="<%= it.today %>">See today</a></p>`;

export const asOfForm = `<form method="get" action="<%= it.action %>">
<fieldset><legend>Look back: <%= it.what %> on a past day</legend>
<% (it.keep || []).forEach(function (k) { %><input type="hidden" name="<%= k.name %>" value="<%= k.value %>">
<% }) %><span class="control"><label for="asOf">Day</label> <input id="asOf" name="asOf" type="date" required value="<%= it.asOf ? it.asOf.date : '' %>"></span>
<span class="control"><label for="clock">By</label> <select id="clock" name="clock" aria-describedby="clock-hint"><option value="occurred">what was true then</option><option value="recorded"<%= it.asOf && it.asOf.clock === 'recorded' ? ' selected' : '' %>>what the tracker showed then</option></select></span>
<button type="submit">Show</button>
<p class="hint" id="clock-hint">“What was true then” counts everything that had happened by that day, even what the tracker learned of later (a 2021 delivery recorded in 2026). “What the tracker showed then” counts only what the tracker had learned of by that day.</p>
</fieldset>
</form>`;
