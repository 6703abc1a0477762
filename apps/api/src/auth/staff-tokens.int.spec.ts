import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { openEmbeddedPostgres, type EmbeddedPostgres } from '#event-store';
import { migrations } from '../storage/migrations/index.js';
import { StaffTokenEntity } from './staff-token.entity.js';
import { StaffTokens } from './staff-tokens.js';

interface StoredRow {
  id: string;
  subject: string;
  role: string;
  secret_hash: string;
  created_at: Date;
  revoked_at: Date | null;
}

describe('StaffTokens on PostgreSQL (PGlite)', () => {
  let embedded: EmbeddedPostgres;
  let dataSource: DataSource;
  let staffTokens: StaffTokens;

  beforeAll(async () => {
    embedded = await openEmbeddedPostgres('memory://');
    dataSource = new DataSource({
      type: 'postgres',
      url: embedded.connectionString,
      entities: [StaffTokenEntity],
      migrations,
      migrationsRun: true,
      synchronize: false,
      extra: { max: 1 },
    });
    await dataSource.initialize();
    staffTokens = new StaffTokens(dataSource.getRepository(StaffTokenEntity));
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await embedded?.stop();
  });

  const stored = async (id: string): Promise<StoredRow[]> =>
    (await dataSource.query('select * from staff_tokens where id = $1', [id])) as StoredRow[];

  it('issues a ctk_ token and stores only the SHA-256 hash of its secret', async () => {
    const issued = await staffTokens.issue('ana.lima@example.org', 'editor');

    expect(issued).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{12}$/),
      token: expect.stringMatching(/^ctk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/),
      subject: 'ana.lima@example.org',
      role: 'editor',
      createdAt: expect.any(Date),
    });
    expect(issued.token.startsWith(`ctk_${issued.id}_`)).toBe(true);
    const secret = issued.token.slice(`ctk_${issued.id}_`.length);

    const rows = await stored(issued.id);
    expect(rows).toEqual([
      {
        id: issued.id,
        subject: 'ana.lima@example.org',
        role: 'editor',
        secret_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        created_at: issued.createdAt,
        revoked_at: null,
      },
    ]);
    const everything = JSON.stringify(await dataSource.query('select * from staff_tokens'));
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(issued.token);
  });

  it('verifies the issued token as its actor', async () => {
    const issued = await staffTokens.issue('bo', 'staff');
    expect(await staffTokens.verify(issued.token)).toEqual({ subject: 'bo', role: 'staff', tokenId: issued.id });
  });

  it('rejects a tampered secret, an unknown id and garbage, without throwing', async () => {
    const issued = await staffTokens.issue('carla', 'admin');
    const secret = issued.token.slice(`ctk_${issued.id}_`.length);
    const tampered = `ctk_${issued.id}_${secret[0] === 'A' ? 'B' : 'A'}${secret.slice(1)}`;
    const otherId = issued.id === '000000000000' ? '000000000001' : '000000000000';

    expect(await staffTokens.verify(tampered)).toBeNull();
    expect(await staffTokens.verify(`ctk_${otherId}_${secret}`)).toBeNull();
    for (const garbage of [
      '',
      'ctk_',
      'ctk__',
      issued.token.slice(0, -1),
      `${issued.token}x`,
      `Bearer ${issued.token}`,
      'ctk_zzzzzzzzzzzz_' + secret,
      "ctk_' or 1=1 --_x",
    ]) {
      expect({ garbage, actor: await staffTokens.verify(garbage) }).toEqual({ garbage, actor: null });
    }
    expect(await staffTokens.verify(undefined as unknown as string)).toBeNull();
  });

  it('revokes: the token stops verifying, the list shows when, revoking again keeps the first time', async () => {
    const issued = await staffTokens.issue('dario', 'editor');
    expect(await staffTokens.revoke(issued.id)).toBe(true);
    expect(await staffTokens.verify(issued.token)).toBeNull();

    const [first] = await stored(issued.id);
    expect(first!.revoked_at).toEqual(expect.any(Date));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await staffTokens.revoke(issued.id)).toBe(true);
    const [second] = await stored(issued.id);
    expect(second!.revoked_at).toEqual(first!.revoked_at);

    const listed = await staffTokens.list();
    expect(listed.find((token) => token.id === issued.id)).toEqual({
      id: issued.id,
      subject: 'dario',
      role: 'editor',
      createdAt: issued.createdAt,
      revokedAt: first!.revoked_at,
    });
    expect(listed.filter((token) => token.id !== issued.id).every((token) => token.revokedAt === null)).toBe(true);
    for (const token of listed) expect(Object.keys(token).sort()).toEqual(['createdAt', 'id', 'revokedAt', 'role', 'subject']);
  });

  it('answers false when revoking an unknown id', async () => {
    expect(await staffTokens.revoke('ffffffffffff')).toBe(false);
    expect(await staffTokens.revoke('not an id')).toBe(false);
  });
});
