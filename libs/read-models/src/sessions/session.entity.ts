import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Person } from '#governance';

@Entity({ name: 'sessions' })
export class SessionEntity {
  @PrimaryColumn('text', { name: 'session_id' }) sessionId!: string;
  @Column('date') date!: string;
  @Column('text') title!: string;
  @Column('text') kind!: string;
  @Column('jsonb') hosts!: Person[];
  @Column('text', { name: 'source_url' }) sourceUrl!: string;
  @Column('int') revision!: number;
  @Column('text', { name: 'last_position' }) lastPosition!: string;
}
