import type { TestApp } from './test-app.js';

/** The office hours of 2020-12-10, as a body for `POST /sessions`. */
export const officeHoursBody = (id: string) => ({
  id,
  date: '2020-12-10',
  title: 'Office hours',
  kind: 'office_hour',
  hosts: [{ name: 'Maggie Dennis' }],
  sourceUrl: 'https://meta.wikimedia.org/wiki/IRC_office_hours/Office_hours_2020-12-10',
});

/** Records that session through the api with an editor's token, so a spec has a session to make commitments in. */
export async function recordOfficeHours(api: TestApp, editorToken: string, id: string): Promise<void> {
  await api.http.post('/sessions').set('Authorization', `Bearer ${editorToken}`).send(officeHoursBody(id)).expect(201);
}
