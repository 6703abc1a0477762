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

/** A commitment made in `sessionId`, as a body for `POST /commitments`; `extra` adds or replaces fields. */
export const commitmentBody = (id: string, sessionId: string, extra: Record<string, unknown> = {}) => ({
  id,
  sessionId,
  speaker: { name: 'Patrick' },
  ownerTeam: 'Trust & Safety',
  topics: ['UCoC'],
  summary: 'Start phase 2',
  quote: 'We are planning to start in January or February.',
  strength: 'plan',
  ...extra,
});

export const JANUARY_OR_FEBRUARY_2021 = { asSaid: 'January or February 2021', latestDate: '2021-02-28' } as const;

/** The UCoC phase 2 promise of the 2020 office hours, in full, as a body for `POST /commitments`. */
export const phaseTwoBody = (id: string, sessionId: string) => ({
  ...commitmentBody(id, sessionId),
  speaker: { name: 'Patrick', role: 'Manager of T&S Ops' },
  topics: ['Universal Code of Conduct'],
  summary: 'Start phase 2 of the Universal Code of Conduct',
  target: { ...JANUARY_OR_FEBRUARY_2021 },
});

/** Posts a write with `token`, fails the spec's set-up loudly if it is refused, and answers the log position it reached. */
export async function postOrFail(api: TestApp, token: string, path: string, body: object): Promise<string> {
  const response = await api.http.post(path).set('Authorization', `Bearer ${token}`).send(body);
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.position as string;
}
