import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StaffTokenEntity } from './staff-token.entity.js';
import { StaffTokens } from './staff-tokens.js';
import { migrations } from '../storage/migrations/index.js';

/** The api's database, found (and opened, when embedded) by the tokens CLI. */
interface StaffTokensDatabase {
  readonly connectionString: string;
  readonly poolSize: number;
}

@Module({})
class TokensCliModule {
  static forRoot(database: StaffTokensDatabase): DynamicModule {
    return {
      module: TokensCliModule,
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: database.connectionString,
          entities: [StaffTokenEntity],
          synchronize: false,
          // The api's tables are there (tokens.cli.ts checked); bring them to this version as the api would.
          migrations: [...migrations],
          migrationsRun: true,
          extra: { max: database.poolSize },
        }),
        TypeOrmModule.forFeature([StaffTokenEntity]),
      ],
      providers: [StaffTokens],
    };
  }
}

/** The staff tokens of the api's database, through TypeORM as the api reads them; `close` closes TypeORM, not the database. */
export async function openStaffTokens(
  database: StaffTokensDatabase,
): Promise<{ readonly tokens: StaffTokens; close(): Promise<void> }> {
  const context = await NestFactory.createApplicationContext(TokensCliModule.forRoot(database), { logger: ['error'] });
  return { tokens: context.get(StaffTokens), close: () => context.close() };
}
