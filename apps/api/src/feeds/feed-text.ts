/**
 * Characters XML 1.0 forbids (C0 controls other than tab, newline and return; U+FFFE, U+FFFF;
 * a lone surrogate) and DEL, which iCalendar forbids. Stored events may hold them (they predate
 * input checks, or came from an import), so they are dropped when a feed is written: people never
 * meant them, and one of them would make the whole feed unreadable.
 */
const UNPRINTABLE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const printable = (text: string) => text.replace(UNPRINTABLE, '');
