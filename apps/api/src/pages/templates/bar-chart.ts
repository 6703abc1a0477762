/** A horizontal bar chart from `dashboard-charts.ts`, with its title and description for screen readers. */
export const barChart = `<svg role="img" aria-labelledby="<%= it.id %>-title <%= it.id %>-desc" viewBox="0 0 600 <%= it.chart.height %>" class="chart">
<title id="<%= it.id %>-title"><%= it.title %></title>
<desc id="<%= it.id %>-desc"><%= it.chart.description %></desc>
<% it.chart.bars.forEach(function (b) { %><text x="0" y="<%= b.y + 18 %>" font-size="14" fill="#1b1b1b"><%= b.label %></text><rect x="170" y="<%= b.y + 4 %>" height="18" width="<%= b.width %>" fill="#4a6fa5"></rect><text x="<%= 176 + b.width %>" y="<%= b.y + 18 %>" font-size="14" fill="#1b1b1b"><%= b.count %></text>
<% }) %></svg>`;
