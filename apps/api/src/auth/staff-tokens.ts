import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isRole, SUBJECT_PATTERN, type Actor, type Role } from './roles.js';
import { StaffTokenEntity } from './staff-token.entity.js';

export interface IssuedToken {
  readonly id: string;
  /** The bearer token, `ctk_<id>_<secret>`: returned once, at issue, and never stored. */
  readonly token: string;
  readonly subject: string;
  readonly role: Role;
  readonly createdAt: Date;
}

export interface StaffTokenSummary {
  readonly id: string;
  readonly subject: string;
  readonly role: Role;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

const TOKEN_FORMAT = /^ctk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

// The secret is 256 random bits, so a fast hash is enough: there is nothing to brute-force, unlike a password.
function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function summary(row: StaffTokenEntity): StaffTokenSummary {
  return { id: row.id, subject: row.subject, role: row.role, createdAt: row.createdAt, revokedAt: row.revokedAt };
}

/** Issues, lists, revokes and verifies staff bearer tokens. */
@Injectable()
export class StaffTokens {
  constructor(@InjectRepository(StaffTokenEntity) private readonly tokens: Repository<StaffTokenEntity>) {}

  async issue(subject: string, role: Role): Promise<IssuedToken> {
    if (!SUBJECT_PATTERN.test(subject) || subject.length < 2 || subject.length > 64) {
      throw new RangeError(`Invalid token subject "${subject}"`);
    }
    if (!isRole(role)) throw new RangeError(`Invalid role "${String(role)}"`);
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const row = await this.tokens.save(
      this.tokens.create({ id, subject, role, secretHash: hashSecret(secret), revokedAt: null }),
    );
    return { id, token: `ctk_${id}_${secret}`, subject, role, createdAt: row.createdAt };
  }

  async list(): Promise<StaffTokenSummary[]> {
    const rows = await this.tokens.find({ order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(summary);
  }

  /** False when no token has this id; revoking a revoked token keeps its first revocation time. */
  async revoke(id: string): Promise<boolean> {
    const result = await this.tokens
      .createQueryBuilder()
      .update(StaffTokenEntity)
      .set({ revokedAt: () => 'coalesce(revoked_at, now())' })
      .where('id = :id', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** The actor of a token still in force, by its id: a signed-in page session re-checks it on every request. */
  async active(tokenId: string): Promise<Actor | null> {
    const row = await this.tokens.findOneBy({ id: tokenId });
    return row && row.revokedAt === null ? { subject: row.subject, role: row.role, tokenId: row.id } : null;
  }

  private readonly verifiedFor = new WeakMap<object, { readonly token: string; readonly actor: Promise<Actor | null> }>();

  /** As `verify`, looked up once per request however many of its parts ask (the write limit, then the guard). */
  verifyOnce(request: object, token: string): Promise<Actor | null> {
    const known = this.verifiedFor.get(request);
    if (known?.token === token) return known.actor;
    const actor = this.verify(token);
    this.verifiedFor.set(request, { token, actor });
    return actor;
  }

  /** The actor a token stands for, or null when it is malformed, unknown, revoked or wrong. Never throws on bad input. */
  async verify(token: string): Promise<Actor | null> {
    const match = typeof token === 'string' ? TOKEN_FORMAT.exec(token) : null;
    if (!match) return null;
    const [, id, secret] = match as unknown as [string, string, string];
    // Every staff request asks this: one plain statement, without building a query for the entity.
    const [row] = await this.tokens.query<
      { id: string; subject: string; role: Role; secret_hash: string; revoked_at: Date | null }[]
    >('select id, subject, role, secret_hash, revoked_at from staff_tokens where id = $1', [id]);
    if (!row || row.revoked_at !== null) return null;
    const expected = Buffer.from(row.secret_hash, 'hex');
    const presented = Buffer.from(hashSecret(secret), 'hex');
    if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) return null;
    return { subject: row.subject, role: row.role, tokenId: row.id };
  }
}
