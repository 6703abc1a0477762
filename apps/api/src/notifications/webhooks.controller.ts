import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { NotificationSettings } from '#config';
import { CurrentActor, RequireRole } from '../auth/require-role.js';
import type { Actor } from '../auth/roles.js';
import { IsOptionalNotNull, LIMITS } from '../http/dto.js';
import { SCOPE_KINDS } from './news.js';
import { NOTIFICATION_SETTINGS } from './settings.js';
import { webhookUrlProblem } from './webhook-calls.js';

const WEBHOOK_SCOPES = ['all', ...SCOPE_KINDS] as const;

export class RegisterWebhookDto {
  @ApiProperty({
    example: 'https://bots.example.org/tracker',
    description: 'http(s) only; private and loopback targets are refused',
  })
  @IsString()
  @MaxLength(LIMITS.url)
  url!: string;

  @ApiProperty({ enum: WEBHOOK_SCOPES, description: 'What to follow: everything, or a commitment, team, topic or session' })
  @IsIn(WEBHOOK_SCOPES)
  kind!: (typeof WEBHOOK_SCOPES)[number];

  @ApiPropertyOptional({ description: 'The commitment or session id, or the team or topic name (not for `all`)' })
  @ValidateIf((dto: RegisterWebhookDto) => dto.kind !== 'all' || dto.value !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  value?: string;

  @ApiPropertyOptional({ description: 'The signing secret, 32–200 characters; when absent one is made and shown once' })
  @IsOptionalNotNull()
  @IsString()
  @Length(32, 200)
  secret?: string;
}

interface MessageRow {
  message_id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date;
  sent_at: Date | null;
  event_id: string;
  event_type: string;
}

/** Editors register webhooks; admins send a parked delivery again. Secrets are shown once, at registration. */
@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(NOTIFICATION_SETTINGS) private readonly settings: NotificationSettings,
  ) {}

  @Post()
  @RequireRole('editor')
  @ApiOperation({ summary: 'Register a webhook: each piece of news it follows is POSTed, signed, as JSON' })
  async register(@Body() body: RegisterWebhookDto, @CurrentActor() actor: Actor) {
    const problem = webhookUrlProblem(body.url, this.settings.webhookAllowPrivateTargets);
    if (problem) throw new BadRequestException({ message: `url: ${problem}`, errors: [{ field: 'url', reason: problem }] });
    if (body.kind === 'all' && body.value !== undefined) {
      const reason = 'must be absent when following all';
      throw new BadRequestException({ message: `value: ${reason}`, errors: [{ field: 'value', reason }] });
    }
    const secret = body.secret ?? randomBytes(32).toString('base64url');
    const [row] = (await this.dataSource.query(
      `insert into webhooks (webhook_id, url, scope_kind, scope_value, secret, created_by, created_at)
       values (gen_random_uuid(), $1, $2, $3, $4, $5, now()) returning webhook_id, created_at`,
      [body.url, body.kind, body.value ?? '', secret, actor.subject],
    )) as { webhook_id: string; created_at: Date }[];
    return {
      id: row!.webhook_id,
      url: body.url,
      follow: { kind: body.kind, value: body.value ?? null },
      secret,
      createdAt: new Date(row!.created_at).toISOString(),
    };
  }

  @Get()
  @RequireRole('editor')
  @ApiOperation({ summary: 'The registered webhooks, with how their deliveries stand (no secrets)' })
  async list() {
    const rows = (await this.dataSource.query(
      `select w.webhook_id, w.url, w.scope_kind, w.scope_value, w.created_by, w.created_at,
              count(m.*) filter (where m.status = 'sent')::int as sent,
              count(m.*) filter (where m.status = 'pending')::int as pending,
              count(m.*) filter (where m.status = 'parked')::int as parked
         from webhooks w left join notification_messages m on m.webhook_id = w.webhook_id
        group by w.webhook_id order by w.created_at`,
    )) as Record<string, unknown>[];
    return rows.map((row) => ({
      id: row.webhook_id,
      url: row.url,
      follow: { kind: row.scope_kind, value: row.scope_kind === 'all' ? null : row.scope_value },
      createdBy: row.created_by,
      createdAt: new Date(row.created_at as string).toISOString(),
      deliveries: { sent: row.sent, pending: row.pending, parked: row.parked },
    }));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole('editor')
  @ApiOperation({ summary: 'Remove a webhook and its deliveries' })
  async remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    const [, count] = (await this.dataSource.query('delete from webhooks where webhook_id = $1', [id])) as [unknown, number];
    if (count === 0) throw new NotFoundException(`id: there is no webhook ${id}`);
  }

  @Get(':id/deliveries')
  @RequireRole('editor')
  @ApiOperation({ summary: 'A webhook’s deliveries, newest first: status, attempts, and why the last attempt failed' })
  async deliveries(@Param('id', new ParseUUIDPipe()) id: string) {
    const rows = (await this.dataSource.query(
      `select m.message_id, m.status, m.attempts, m.last_error, m.next_attempt_at, m.sent_at, n.event_id, n.event_type
         from notification_messages m join notification_deliveries d on d.message_id = m.message_id
         join notification_news n on n.event_id = d.event_id
        where m.webhook_id = $1 order by m.created_at desc, m.message_id limit 200`,
      [id],
    )) as MessageRow[];
    return rows.map((row) => ({
      id: row.message_id,
      event: { id: row.event_id, type: row.event_type },
      status: row.status,
      attempts: row.attempts,
      lastError: row.last_error,
      nextAttemptAt: row.status === 'pending' ? new Date(row.next_attempt_at).toISOString() : null,
      sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null,
    }));
  }

  @Post('deliveries/:id/redeliver')
  @HttpCode(202)
  @RequireRole('admin')
  @ApiOperation({ summary: 'Send a delivery again (a parked one, or one already sent), with a fresh count of attempts' })
  async redeliver(@Param('id', new ParseUUIDPipe()) id: string) {
    const [rows] = (await this.dataSource.query(
      `update notification_messages set status = 'pending', attempts = 0, next_attempt_at = now(), leased_until = null
        where message_id = $1 and kind = 'webhook' returning message_id`,
      [id],
    )) as [unknown[], number];
    if (rows.length === 0) throw new NotFoundException(`id: there is no webhook delivery ${id}`);
    return { id, status: 'pending' };
  }
}
