/** Recorded values in words, for the corrections page and feed: a target, a person, a list. */
import { isCalendarDate } from '#governance';
import { targetInWords } from '../pages/words.js';

const FIELD_LABELS: Readonly<Record<string, string>> = {
  speaker: 'speaker',
  ownerTeam: 'owner team',
  topics: 'topics',
  summary: 'summary',
  quote: 'quote',
  target: 'target',
  strength: 'strength',
  note: 'editor’s note',
  date: 'date',
  title: 'title',
  kind: 'kind of session',
  hosts: 'hosts',
  sourceUrl: 'link to the notes',
};

export const fieldLabel = (field: string): string => FIELD_LABELS[field] ?? field;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map(valueText).join('; ');
  if (isRecord(value)) {
    if (typeof value.asSaid === 'string') {
      // The same words as the commitment's page: a window keeps its first day.
      const day = (field: unknown) => (typeof field === 'string' && isCalendarDate(field) ? field : null);
      return targetInWords({ asSaid: value.asSaid, earliestDate: day(value.earliestDate), latestDate: day(value.latestDate) });
    }
    if (typeof value.name === 'string')
      return typeof value.role === 'string' && value.role ? `${value.name}, ${value.role}` : value.name;
  }
  return JSON.stringify(value);
}
