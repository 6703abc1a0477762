import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigError, loadConfig, type AppConfig } from '#config';
import { StorageModule } from '#storage';
import { isRole, ROLES, type Role } from './roles.js';
import { StaffTokenEntity } from './staff-token.entity.js';
import { StaffTokens, SUBJECT_PATTERN, type StaffTokenSummary } from './staff-tokens.js';
import { migrations } from '../storage/migrations/index.js';

const USAGE = `Usage:
  npm run tokens -- create --subject <subject> --role <${ROLES.join('|')}>
  npm run tokens -- list
  npm run tokens -- revoke <id>

Works on the configured database (DATABASE_URL, or the embedded one in DATA_DIR),
also while the api runs on the same DATA_DIR.`;

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

@Module({})
class TokensCliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: TokensCliModule,
      imports: [StorageModule.forRoot(config, { migrations }), TypeOrmModule.forFeature([StaffTokenEntity])],
      providers: [StaffTokens],
    };
  }
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

async function run(command: Command, staffTokens: StaffTokens): Promise<number> {
  switch (command.kind) {
    case 'create': {
      const issued = await staffTokens.issue(command.subject, command.role);
      console.log(`Created token ${issued.id} for ${issued.subject} with the ${issued.role} role.`);
      console.log('Token (shown only this once; it is not stored and cannot be recovered):');
      console.log(issued.token);
      return 0;
    }
    case 'list': {
      const tokens = await staffTokens.list();
      console.log(tokens.length === 0 ? 'No staff tokens.' : table(tokens));
      return 0;
    }
    case 'revoke': {
      if (await staffTokens.revoke(command.id)) {
        console.log(`Revoked token ${command.id}.`);
        return 0;
      }
      console.error(`No staff token with id ${command.id}.`);
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
  const context = await NestFactory.createApplicationContext(TokensCliModule.forRoot(config), { logger: ['error'] });
  try {
    return await run(command, context.get(StaffTokens));
  } finally {
    // Runs the shutdown hooks: TypeORM and the event store close, then the embedded database (if this process owns it).
    await context.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
