import { wikiText } from '../exports/commitment-export.js';
import { DAY_PRECISION_WORDS } from '../pages/templates/status.js';
import { dayInWords, statusInWords, targetInWords } from '../pages/words.js';
import type { Brief } from './brief.js';

/** The brief as wikitext to paste on Meta: every recorded text inside <nowiki>, links absolute. */
export function briefToWikitext(brief: Brief, linkTo: (path: string) => string): string {
  const lines = [
    `== ${wikiText(`Pre-session brief: ${dayInWords(brief.date)}`)} ==`,
    ...(brief.announced
      ? [`${brief.announced.status === 'cancelled' ? 'Cancelled' : 'Session'}: ${wikiText(brief.announced.title)}.`]
      : []),
    ...(brief.hosts.length ? [`Hosts: ${wikiText(brief.hosts.join('; '))}.`] : []),
    `Last session: ${brief.lastSession ? `${wikiText(`${brief.lastSession.title} (${brief.lastSession.date})`)}` : 'none recorded before'}. Next likely session: ${brief.nextLikelySession}. Stale: open with no news since before ${brief.staleSince}.`,
    '',
  ];
  for (const team of brief.teams) {
    lines.push(`=== ${wikiText(team.name)} ===`, `${team.open} open.`);
    for (const section of team.sections) {
      if (section.items.length === 0) continue;
      lines.push(`==== ${section.title} (${section.items.length}) ====`);
      for (const item of section.items) {
        const news = item.lastNews
          ? `${DAY_PRECISION_WORDS[item.lastNews.datePrecision]}${item.lastNews.on}: ${item.lastNews.text}`
          : 'none';
        lines.push(
          `* [${linkTo(`/commitments/${item.id}`)} ${item.id}] ${wikiText(item.summary)}`,
          `** Status: ${statusInWords(item)}. Target: ${wikiText(item.target ? targetInWords(item.target) : 'No time was named')}.`,
          `** Last news: ${wikiText(news)}`,
          `** Ask about: ${wikiText(item.askAbout)}`,
        );
      }
    }
    lines.push('');
  }
  return lines.join('\n');
}
