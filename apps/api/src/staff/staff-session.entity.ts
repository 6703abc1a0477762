import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A row of `staff_sessions` (migration 1764000000000): a signed-in browser, keyed by the hash of its cookie's id. */
@Entity({ name: 'staff_sessions' })
export class StaffSessionEntity {
  @PrimaryColumn({ name: 'id_hash', type: 'text' })
  idHash!: string;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
