import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { AppConfig } from '#config';

/**
 * An empty database of a test's own: on the server of DATABASE_URL a new database (dropped
 * afterwards), else another in-memory PGlite. For tests that need a log nobody else writes to.
 */
export async function ownDatabase(): Promise<{ config: Partial<AppConfig>; drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL?.trim();
  if (!serverUrl) return { config: { database: { kind: 'embedded', dataDir: 'memory://' } }, drop: async () => undefined };
  const name = `own_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    config: { database: { kind: 'server', url: url.toString() } },
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}
