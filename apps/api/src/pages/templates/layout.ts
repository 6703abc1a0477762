export const layout = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><%= it.title %> · Commitment tracker</title>
<link rel="alternate" type="application/atom+xml" title="All changes" href="/feeds/changes.atom">
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 0 1rem; color: #1b1b1b; overflow-wrap: break-word; }
header nav { display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
:focus-visible { outline: 3px solid #1d3f73; outline-offset: 2px; }
a { color: #0645ad; }
main { overflow-wrap: anywhere; } /* long links and very long words wrap instead of widening a phone's page */
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #ccc; vertical-align: top; }
.status { display: inline-block; padding: 0 .5rem; border-radius: .25rem; font-weight: 600; border: 1px solid; }
.status-announced, .status-open { background: #eef3fb; color: #1d3f73; }
.status-in_progress { background: #fff6dd; color: #6b4e00; }
.status-delivered { background: #e6f4ea; color: #1e5b2c; }
.status-delivered_late, .status-partially_delivered { background: #f1f7e1; color: #44561a; }
.status-overdue { background: #fde7e9; color: #8a1c1c; }
.status-due { background: #fff4d6; color: #5c4300; }
.status-stale { background: #ececec; color: #3a3a3a; }
.status-dropped, .status-superseded, .status-split { background: #eeeeee; color: #3b3b3b; }
blockquote { border-left: 4px solid #ccc; margin: 1rem 0; padding: .25rem 1rem; }
ol.timeline li { margin-bottom: .75rem; }
.meta { color: #555; font-size: .9rem; }
svg.chart { display: block; width: 100%; height: auto; max-width: 40rem; }
.scroll { overflow-x: auto; }
.scroll th, .scroll td { overflow-wrap: break-word; } /* a table that can scroll sideways keeps its words whole */
input, select, textarea, button { font: inherit; } /* the page's 16px, not the browser's smaller form text */
.control { display: inline-block; margin: 0 1rem .35rem 0; } /* a label wraps to the next line with its field, not apart from it */
.control input:not([type=checkbox]) { width: 11rem; }
.control select { max-width: 100%; }
.control select:not(#sort):not(#clock) { width: 11rem; } /* a list of long names keeps the width of a field, not of its longest name */
.field { margin: .75rem 0; }
.field label { display: block; font-weight: 600; }
.field input:not([type=radio]), .field textarea, .field select { font: inherit; width: 100%; max-width: 36rem; box-sizing: border-box; }
.field-error { color: #8a1c1c; margin: .25rem 0; }
[aria-invalid=true] { border: 2px solid #8a1c1c; }
.hint { color: #555; font-size: .9rem; margin: .1rem 0; }
.notice { background: #e6f4ea; border: 1px solid #1e5b2c; padding: .5rem 1rem; }
.form-error { background: #fde7e9; border: 1px solid #8a1c1c; padding: .5rem 1rem; }
details.action { border: 1px solid #ccc; border-radius: .25rem; padding: .25rem .75rem; margin: .5rem 0; }
details.action summary { cursor: pointer; font-weight: 600; }
fieldset.choices { border: 0; margin: 0; padding: 0; }
fieldset.choices legend { font-weight: 600; padding: 0; }
figure.chart-frame { margin: 1rem 0; overflow-x: auto; }
/* A phone: each row of a table stacks into a card, its cells labelled, so the status is seen without scrolling sideways;
   a chart keeps a width at which its words stay readable, scrolling inside its own frame. */
@media (max-width: 40rem) {
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; box-sizing: border-box; }
  table.stack tr { border-bottom: 1px solid #ccc; padding: .35rem 0; }
  table.stack td { border: 0; padding: .1rem 0; }
  table.stack td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
  table.stack td[data-label]:first-child::before { content: none; }
  svg.chart { min-width: 32rem; }
}
.brief-item { margin-bottom: .75rem; }
.brief-item p { margin: .15rem 0; }
.brief-print .no-print { display: none; }
/* Paper: the content alone, links as plain text, an item never cut across two pages. */
@media print {
  header, footer, .no-print, details.action { display: none; }
  body { max-width: none; padding: 0; font-size: 11pt; color: #000; }
  a { color: inherit; text-decoration: none; }
  .status { border: 1px solid #000; background: none; color: #000; }
  .brief-item, .brief-section h3 { break-inside: avoid; }
  .brief-section h3 { break-after: avoid; }
}
</style>
</head>
<body>
<header><nav aria-label="Main"><a href="/dashboard">Dashboard</a><a href="/commitments">Commitments</a><a href="/sessions">Sessions</a><a href="/corrections">Corrections</a><a href="/brief">Next session brief</a><a href="/feeds/changes.atom">Changes (Atom)</a><a href="/feeds/targets.ics">Target dates (iCalendar)</a></nav></header>
<main>
<%~ it.body %>
</main>
<footer class="meta"><p>Every change is kept; nothing is edited in place. Data: <a href="/exports/commitments.csv">CSV</a>, <a href="/exports/commitments.json">JSON</a>, <a href="/api/docs">API</a>. <a href="/staff">Staff sign-in</a>.</p></footer>
</body>
</html>`;
