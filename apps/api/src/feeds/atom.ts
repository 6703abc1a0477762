import { XMLBuilder } from 'fast-xml-parser';
import { printable } from './feed-text.js';

/** One entry of an Atom feed: every text is plain text, shown as typed (`type="text"`). */
export interface AtomEntry {
  readonly id: string;
  readonly link: string;
  readonly title: string;
  readonly summary: string;
  readonly updated: Date;
  readonly published?: Date;
  readonly author: string;
  /** Atom categories, e.g. whether the entry is news or bookkeeping of the record. */
  readonly categories?: readonly { readonly term: string; readonly label: string }[];
}

export interface AtomFeed {
  readonly id: string;
  readonly title: string;
  /** The page the feed follows. */
  readonly alternate: string;
  /** The feed's own address. */
  readonly self: string;
  readonly updated: Date;
  readonly rights: string;
  readonly entries: readonly AtomEntry[];
}

const TITLE_LENGTH = 300;

// The builder escapes &, <, >, " and ' in every text and attribute; nothing goes in CDATA.
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  format: true,
  suppressEmptyNode: true,
  processEntities: true,
});

const text = (value: string, limit?: number) => {
  const clean = printable(value);
  return { '@_type': 'text', '#text': limit === undefined ? clean : [...clean].slice(0, limit).join('') };
};

/**
 * An Atom 1.0 document. User text is written as escaped text, never as HTML or in CDATA, so a
 * value such as `]]><script>` is text a reader shows, and the document is well-formed whatever
 * was recorded.
 */
export function atomXml(feed: AtomFeed): string {
  const document = {
    feed: {
      '@_xmlns': 'http://www.w3.org/2005/Atom',
      id: feed.id,
      title: text(feed.title, TITLE_LENGTH),
      updated: feed.updated.toISOString(),
      link: [
        { '@_rel': 'alternate', '@_type': 'text/html', '@_href': feed.alternate },
        { '@_rel': 'self', '@_type': 'application/atom+xml', '@_href': feed.self },
      ],
      rights: text(feed.rights),
      generator: 'commitment-tracker',
      entry: feed.entries.map((entry) => ({
        id: entry.id,
        title: text(entry.title, TITLE_LENGTH),
        link: { '@_rel': 'alternate', '@_type': 'text/html', '@_href': entry.link },
        updated: entry.updated.toISOString(),
        ...(entry.published ? { published: entry.published.toISOString() } : {}),
        author: { name: printable(entry.author) || 'unknown' },
        ...(entry.categories?.length
          ? { category: entry.categories.map((category) => ({ '@_term': category.term, '@_label': printable(category.label) })) }
          : {}),
        summary: text(entry.summary),
      })),
    },
  };
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build(document) as string}`;
}
