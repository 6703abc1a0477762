import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../command-handling/clock.js';
import { LIMITS } from '../http/dto.js';
import { followPage } from './follow-pages.js';
import { SCOPE_KINDS, type Scope, type ScopeKind } from './news.js';
import { Sender } from './sender.js';
import { Subscriptions, type Cadence } from './subscriptions.js';

export class ScopeQueryDto {
  @ApiProperty({ enum: SCOPE_KINDS, description: 'What to follow: a commitment, a team, a topic or a session' })
  @IsIn(SCOPE_KINDS)
  kind!: ScopeKind;

  @ApiProperty({ description: 'The commitment or session id, or the team or topic name', example: 'Trust & Safety' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  value!: string;
}

export class FollowDto extends ScopeQueryDto {
  @ApiProperty({ example: 'reader@example.org' })
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;

  @ApiProperty({ enum: ['immediate', 'daily'] })
  @IsIn(['immediate', 'daily'])
  cadence!: Cadence;
}

export class ManageUnsubscribeDto {
  @ApiProperty({ description: 'Which of your subscriptions to stop' })
  @IsUUID()
  subscription!: string;
}

const HTML = 'text/html; charset=utf-8';

/**
 * Following by email, as pages that work without script. Sign-up always answers the same page,
 * whether or not the address already follows: only the mailbox's owner learns anything.
 * Links with a token are neither cached nor passed on as a referrer.
 */
@ApiTags('follow')
@Controller('follow')
export class FollowController {
  constructor(
    private readonly subscriptions: Subscriptions,
    private readonly sender: Sender,
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The form to follow a commitment, team, topic or session by email' })
  async form(@Query() scope: ScopeQueryDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    await this.mustExist(scope);
    response.type(HTML);
    return followPage.form({ kind: scope.kind, value: scope.value });
  }

  @Post()
  @HttpCode(202)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Ask to follow: a confirmation link is mailed; nothing else is sent before it is used' })
  async follow(@Body() body: FollowDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    const scope: Scope = { kind: body.kind, value: body.value };
    await this.mustExist(scope);
    const token = await this.subscriptions.request(body.email, scope, body.cadence, this.clock.now());
    if (token !== null) {
      try {
        await this.sender.sendConfirmation(body.email.trim(), scope, body.cadence, token);
      } catch {
        throw new ServiceUnavailableException('The confirmation email could not be sent just now; please try again later.');
      }
    }
    response.type(HTML);
    return followPage.requested(`/follow?${new URLSearchParams({ kind: scope.kind, value: scope.value }).toString()}`);
  }

  @Get('confirm/:token')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The confirmation page of a sign-up (a button: link scanners do not confirm by fetching it)' })
  async confirmForm(@Param('token') token: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const scope = await this.subscriptions.awaitingConfirmation(token, this.clock.now());
    response.type(HTML);
    if (!scope) return invalid(response);
    return followPage.confirmForm(token, scope);
  }

  @Post('confirm/:token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Confirm a sign-up' })
  async confirm(@Param('token') token: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const confirmed = await this.subscriptions.confirm(token, this.clock.now());
    response.type(HTML);
    return confirmed ? followPage.confirmed(confirmed.scope, confirmed.cadence) : invalid(response);
  }

  @Get('unsubscribe/:token')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The unsubscribe page of a mail (a button)' })
  async unsubscribeForm(@Param('token') token: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const scope = await this.subscriptions.scopeOf(token);
    response.type(HTML);
    return scope ? followPage.unsubscribeForm(token, scope) : invalid(response);
  }

  /** Also the RFC 8058 one-click target (`List-Unsubscribe=One-Click` in the body): no cookie, no further step. */
  @Post('unsubscribe/:token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Unsubscribe (RFC 8058 one-click POST)' })
  async unsubscribe(@Param('token') token: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const scope = await this.subscriptions.unsubscribe(token);
    response.type(HTML);
    return scope ? followPage.unsubscribed(scope) : invalid(response);
  }

  @Get('manage/:token')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Everything kept about the address a mail was sent to' })
  async manage(@Param('token') token: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const stored = await this.subscriptions.storedAbout(token);
    response.type(HTML);
    return stored ? followPage.manage(token, stored) : invalid(response);
  }

  @Post('manage/:token/unsubscribe')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Stop one of the subscriptions of this address' })
  async unsubscribeOne(
    @Param('token') token: string,
    @Body() body: ManageUnsubscribeDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const scope = await this.subscriptions.unsubscribeOne(token, body.subscription);
    response.type(HTML);
    return scope ? followPage.unsubscribed(scope) : invalid(response);
  }

  @Post('manage/:token/delete')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Delete everything kept about this address' })
  async forget(@Param('token') token: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const forgotten = await this.subscriptions.forget(token);
    response.type(HTML);
    return forgotten === null ? invalid(response) : followPage.forgotten();
  }

  /** A commitment, or a session recorded or announced (an announced one is followed for its plan, then its record). */
  private async mustExist(scope: Scope): Promise<void> {
    const tables =
      scope.kind === 'commitment' ? ['commitments'] : scope.kind === 'session' ? ['sessions', 'upcoming_sessions'] : [];
    if (tables.length === 0) return;
    const found = tables.map((table) => `select 1 from ${table} where ${scope.kind}_id = $1`).join(' union all ');
    const rows = (await this.dataSource.query(found, [scope.value])) as unknown[];
    if (rows.length === 0) throw new NotFoundException(`value: there is no ${scope.kind} ${scope.value}`);
  }
}

function invalid(response: Response): string {
  response.status(404);
  return followPage.linkInvalid();
}
