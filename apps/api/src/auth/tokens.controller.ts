import { Body, Controller, Delete, Get, Header, HttpCode, HttpStatus, NotFoundException, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  OmitType,
} from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { RequireRole } from './require-role.js';
import { ROLES, type Role } from './roles.js';
import { SUBJECT_PATTERN } from './roles.js';
import { StaffTokens } from './staff-tokens.js';

export class IssueTokenDto {
  @ApiProperty({ example: 'ana.lima@example.org', description: 'Who the token is for: 2–64 characters, a-z 0-9 . _ @ -' })
  @IsString()
  @Length(2, 64)
  @Matches(SUBJECT_PATTERN, { message: 'subject must start with a-z or 0-9 and contain only a-z, 0-9, ".", "_", "@", "-"' })
  subject!: string;

  @ApiProperty({ example: 'editor', enum: ROLES, description: 'What the token may do; admin includes editor includes staff' })
  @IsIn(ROLES)
  role!: Role;
}

export class StaffTokenDto {
  @ApiProperty({ example: '3f9a1c0b7d2e', description: 'Token id (also part of the token itself)' })
  id!: string;

  @ApiProperty({ example: 'ana.lima@example.org', description: 'Who the token is for' })
  subject!: string;

  @ApiProperty({ example: 'editor', enum: ROLES, description: 'The role the token carries' })
  role!: Role;

  @ApiProperty({ example: '2025-11-21T09:30:00.000Z', type: String, format: 'date-time', description: 'When it was issued' })
  createdAt!: Date;

  @ApiProperty({
    example: null,
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it was revoked; null while it is valid',
  })
  revokedAt!: Date | null;
}

/** A token as issued: the stored facts (never revoked yet) and the bearer token, shown once. */
export class IssuedTokenDto extends OmitType(StaffTokenDto, ['revokedAt'] as const) {
  @ApiProperty({
    example: 'ctk_3f9a1c0b7d2e_Q2hhbmdlIG1lIGluIHByb2R1Y3Rpb24sIHBsZWFzZSEhIQ',
    description: 'The bearer token. Shown only in this response: it is not stored and cannot be recovered.',
  })
  token!: string;
}

@ApiTags('admin')
@Controller('admin/tokens')
export class TokensController {
  constructor(private readonly staffTokens: StaffTokens) {}

  @Post()
  @RequireRole('admin')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Issue a staff token (the token is shown only in this response)' })
  @ApiCreatedResponse({ type: IssuedTokenDto })
  @ApiBadRequestResponse({ description: 'The subject or role is invalid.' })
  async issue(@Body() body: IssueTokenDto): Promise<IssuedTokenDto> {
    return this.staffTokens.issue(body.subject, body.role);
  }

  @Get()
  @RequireRole('admin')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'List staff tokens, revoked ones included (never their secrets)' })
  @ApiOkResponse({ type: StaffTokenDto, isArray: true })
  async list(): Promise<StaffTokenDto[]> {
    return this.staffTokens.list();
  }

  @Delete(':id')
  @RequireRole('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke a staff token; it stops working at once' })
  @ApiNoContentResponse({ description: 'Revoked (revoking again keeps the first revocation time).' })
  @ApiNotFoundResponse({ description: 'No token has this id.' })
  async revoke(@Param('id') id: string): Promise<void> {
    if (!(await this.staffTokens.revoke(id))) throw new NotFoundException(`No staff token with id ${id}`);
  }
}
