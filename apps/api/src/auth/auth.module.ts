import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BearerStrategy } from './bearer.strategy.js';
import { RoleGuard } from './require-role.js';
import { StaffTokenEntity } from './staff-token.entity.js';
import { StaffTokens } from './staff-tokens.js';
import { TokensController } from './tokens.controller.js';

/** Staff bearer tokens: the `bearer` passport strategy behind `@RequireRole`, and their admin endpoints. */
@Module({
  imports: [PassportModule, TypeOrmModule.forFeature([StaffTokenEntity])],
  providers: [StaffTokens, BearerStrategy, RoleGuard],
  controllers: [TokensController],
  exports: [StaffTokens],
})
export class AuthModule {}
