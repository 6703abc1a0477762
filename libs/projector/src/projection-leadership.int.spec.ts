import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { serverForTests } from '#event-store/testing';
import { ProjectionLeadership } from './projection-leadership.js';

const server = serverForTests('DATABASE_URL');
const describeWithServer = server.unavailable ? describe.skip : describe;
if (server.unavailable)
  console.warn(`[projection leadership] skipped: ${server.unavailable} (session advisory locks on a server)`);

const until = async (what: string, check: () => boolean, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describeWithServer('projection leadership: one active projector per projection', () => {
  // Names of this run's own, so other runs on the same database never hold them.
  const names = ['commitments', 'sessions', 'links'].map((name) => `${name}-${randomUUID().slice(0, 8)}`);

  it('one instance leads each projection; when it stops, or its connection dies, the other takes over', async () => {
    const first = new AbortController();
    const second = new AbortController();
    const a = new ProjectionLeadership(server.url!, names);
    const lost: string[] = [];
    const b = new ProjectionLeadership(server.url!, names, (name, leading) => {
      if (!leading) lost.push(name);
    });
    a.start(first.signal);
    await until('a leading', () => names.every((name) => a.leads(name)));
    b.start(second.signal);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(names.filter((name) => b.leads(name))).toEqual([]);

    // Stopping releases the locks at once: b leads within a try or two.
    const stoppedAt = Date.now();
    first.abort();
    await a.stopped();
    await until('b taking over', () => names.every((name) => b.leads(name)));
    expect(Date.now() - stoppedAt).toBeLessThan(2000);
    expect(names.filter((name) => a.leads(name))).toEqual([]);

    // b's connection is ended by the server (as when its process dies): b is told it leads
    // nothing, and each projection is led again, by b reconnected or by a newcomer, never by both.
    const c = new ProjectionLeadership(server.url!, names);
    const third = new AbortController();
    c.start(third.signal);
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ ended: boolean }>(
        `select pg_terminate_backend(pid) as ended from pg_stat_activity
          where application_name = $1 and pid in (select pid from pg_locks where locktype = 'advisory' and granted)`,
        [`tracker projector leadership ${process.pid}`],
      );
      expect(rows).toEqual([{ ended: true }]);
    } finally {
      await admin.end();
    }
    await until('b losing its leadership', () => lost.length === names.length);
    await until('every projection led again', () => names.every((name) => b.leads(name) || c.leads(name)));
    expect(names.filter((name) => b.leads(name) && c.leads(name))).toEqual([]);
    second.abort();
    third.abort();
    await Promise.all([b.stopped(), c.stopped()]);
  });
});
