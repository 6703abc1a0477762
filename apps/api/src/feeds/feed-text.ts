/** XML 1.0 (Atom) and iCalendar choke on control characters; people never meant them. */
export const printable = (text: string) => text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
