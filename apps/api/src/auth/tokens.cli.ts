import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ConfigError, loadConfig, type AppConfig } from '#config';
import { openEmbeddedPostgres, type EmbeddedPostgres } from '#event-store';
import { isRole, ROLES, SUBJECT_PATTERN, type Role } from './roles.js';
import type { StaffTokens, StaffTokenSummary } from './staff-tokens.js';

const USAGE = `Usage:
  npm run tokens -- create --subject <subject> --role <${ROLES.join('|')}>
  npm run tokens -- list
  npm run tokens -- revoke <id>

Works on the api's database (DATABASE_URL, or the embedded one in DATA_DIR), also while
the api runs on it. It never creates one: the api must have started on it at least once.`;

type Command =
  | { readonly kind: 'create'; readonly subject: string; readonly role: Role }
  | { readonly kind: 'list' }
  | { readonly kind: 'revoke'; readonly id: string };

class UsageError extends Error {}

function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { subject: { type: 'string' }, role: { type: 'string' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  switch (command) {
    case 'create': {
      const { subject, role } = values;
      if (rest.length > 0) throw new UsageError(`create takes no positional arguments, got "${rest.join(' ')}"`);
      if (subject === undefined || role === undefined) throw new UsageError('create needs --subject and --role');
      if (subject.length < 2 || subject.length > 64 || !SUBJECT_PATTERN.test(subject)) {
        throw new UsageError(
          '--subject must be 2-64 characters of a-z, 0-9, ".", "_", "@", "-", starting with a letter or digit',
        );
      }
      if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got "${role}"`);
      return { kind: 'create', subject, role };
    }
    case 'list':
    case 'revoke': {
      if (values.subject !== undefined || values.role !== undefined) throw new UsageError(`${command} takes no options`);
      if (command === 'list') {
        if (rest.length > 0) throw new UsageError('list takes no arguments');
        return { kind: 'list' };
      }
      if (rest.length !== 1) throw new UsageError('revoke needs exactly one token id');
      return { kind: 'revoke', id: rest[0]! };
    }
    case undefined:
      throw new UsageError('missing command');
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/**
 * The api's database, found without creating anything: a CLI pointed at the wrong DATA_DIR or
 * DATABASE_URL must not write a token into a fresh database the api never reads.
 */
interface ApiDatabase {
  /** Where the token goes, for people: "embedded database at <path>" or "PostgreSQL at host/db". */
  readonly description: string;
  readonly connectionString: string;
  readonly poolSize: number;
  close(): Promise<void>;
}

class NoDatabaseError extends Error {}

const startTheApi = "start the api first (npm start), or set DATA_DIR / DATABASE_URL to the api's";

/** host:port/database, never the password. */
function serverLocation(url: string): string {
  const parsed = new URL(url);
  return `${parsed.host}${parsed.pathname}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** True when the api has run its migrations there: its own tables exist. */
async function hasApiTables(connectionString: string): Promise<boolean> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ table: string | null }>(`select to_regclass('public.staff_tokens')::text as "table"`);
    return rows[0]?.table != null;
  } finally {
    await client.end();
  }
}

async function openApiDatabase(database: AppConfig['database']): Promise<ApiDatabase> {
  if (database.kind === 'server') {
    const location = serverLocation(database.url);
    const description = `PostgreSQL at ${location}`;
    let ready: boolean;
    try {
      ready = await hasApiTables(database.url);
    } catch (error) {
      throw new NoDatabaseError(`No tracker database at ${location} (${(error as Error).message}): ${startTheApi}`);
    }
    if (!ready) throw new NoDatabaseError(`No tracker database at ${location} (it has no api tables): ${startTheApi}`);
    return { description, connectionString: database.url, poolSize: 2, close: async () => undefined };
  }
  const location = join(database.dataDir, 'pglite');
  // PGlite would create an empty database in a missing or empty directory: look before opening.
  // (A running api serves its database over a socket, recorded in pglite-server.json, and the CLI
  // connects to that; its files are on disk all the same.)
  if (!(await exists(join(location, 'PG_VERSION')))) {
    throw new NoDatabaseError(`No tracker database at ${location}: ${startTheApi}`);
  }
  const embedded: EmbeddedPostgres = await openEmbeddedPostgres(database.dataDir);
  const description = `embedded database at ${location}${embedded.ownsServer ? '' : ' (served by the running api)'}`;
  try {
    if (!(await hasApiTables(embedded.connectionString))) {
      throw new NoDatabaseError(`No tracker database at ${location} (it has no api tables): ${startTheApi}`);
    }
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  return { description, connectionString: embedded.connectionString, poolSize: 1, close: () => embedded.stop() };
}

function table(tokens: readonly StaffTokenSummary[]): string {
  const header = ['ID', 'SUBJECT', 'ROLE', 'CREATED', 'REVOKED'];
  const rows = tokens.map((token) => [
    token.id,
    token.subject,
    token.role,
    token.createdAt.toISOString(),
    token.revokedAt ? token.revokedAt.toISOString() : '-',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function run(command: Command, staffTokens: StaffTokens, where: string): Promise<number> {
  switch (command.kind) {
    case 'create': {
      const issued = await staffTokens.issue(command.subject, command.role);
      console.log(`Created token ${issued.id} for ${issued.subject} with the ${issued.role} role.`);
      console.log('Token (shown only this once; it is not stored and cannot be recovered):');
      console.log(issued.token);
      console.log(`Token written to ${where}.`);
      return 0;
    }
    case 'list': {
      const tokens = await staffTokens.list();
      console.log(tokens.length === 0 ? 'No staff tokens.' : table(tokens));
      console.log(`(tokens in ${where})`);
      return 0;
    }
    case 'revoke': {
      if (await staffTokens.revoke(command.id)) {
        console.log(`Revoked token ${command.id} in ${where}.`);
        return 0;
      }
      console.error(`No staff token with id ${command.id} in ${where}.`);
      return 1;
    }
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let command: Command;
  let config: AppConfig;
  try {
    command = parseCommand(argv);
    config = loadConfig(process.env, process.cwd());
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`tokens: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  // Nest and TypeORM load while the database is found and opened.
  const loading = import('./tokens-cli.module.js');
  loading.catch(() => undefined);
  let database: ApiDatabase;
  try {
    database = await openApiDatabase(config.database);
  } catch (error) {
    if (error instanceof NoDatabaseError) {
      console.error(`tokens: ${error.message}`);
      return 1;
    }
    throw error;
  }
  try {
    const { openStaffTokens } = await loading;
    const staffTokens = await openStaffTokens(database);
    try {
      return await run(command, staffTokens.tokens, database.description);
    } finally {
      await staffTokens.close();
    }
  } finally {
    // TypeORM is closed; now the embedded database, if this process serves it.
    await database.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
