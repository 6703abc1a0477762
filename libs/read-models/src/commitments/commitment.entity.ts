import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CommitmentStatus } from '#governance';

/** The `commitments` read model as TypeORM sees it; written only by the projection. */
@Entity({ name: 'commitments' })
export class CommitmentEntity {
  @PrimaryColumn('text', { name: 'commitment_id' }) commitmentId!: string;
  @Column('text') status!: CommitmentStatus;
  @Column('text', { name: 'session_id' }) sessionId!: string;
  @Column('date', { name: 'session_date' }) sessionDate!: string;
  @Column('text', { name: 'revisited_in', array: true }) revisitedIn!: string[];
  @Column('text', { name: 'speaker_name' }) speakerName!: string;
  @Column('text', { name: 'speaker_role', nullable: true }) speakerRole!: string | null;
  @Column('text', { name: 'owner_team' }) ownerTeam!: string;
  @Column('text', { array: true }) topics!: string[];
  @Column('text') summary!: string;
  @Column('text') quote!: string;
  @Column('text') strength!: string;
  @Column('text', { nullable: true }) note!: string | null;
  @Column('text', { name: 'target_as_said', nullable: true }) targetAsSaid!: string | null;
  @Column('date', { name: 'target_latest_date', nullable: true }) targetLatestDate!: string | null;
  @Column('date', { name: 'first_target_latest_date', nullable: true }) firstTargetLatestDate!: string | null;
  @Column('text', { name: 'superseded_by', nullable: true }) supersededBy!: string | null;
  @Column('boolean', { name: 'work_started' }) workStarted!: boolean;
  @Column('int', { name: 'update_count' }) updateCount!: number;
  @Column('int', { name: 'slip_count' }) slipCount!: number;
  @Column('int', { name: 'slip_days' }) slipDays!: number;
  @Column('timestamptz', { name: 'made_at' }) madeAt!: Date;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt!: Date | null;
  @Column('timestamptz', { name: 'last_changed_at' }) lastChangedAt!: Date;
  @Column('timestamptz', { name: 'last_recorded_at' }) lastRecordedAt!: Date;
  @Column('int') revision!: number;
  @Column('text', { name: 'last_position' }) lastPosition!: string;
  @Column('text', { name: 'search_text', select: false }) searchText!: string;
}

@Entity({ name: 'commitment_timeline' })
export class TimelineEntryEntity {
  @PrimaryColumn('text', { name: 'commitment_id' }) commitmentId!: string;
  @PrimaryColumn('int') revision!: number;
  @Column('text', { name: 'event_type' }) eventType!: string;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
  @Column('text') actor!: string;
  @Column('text', { name: 'session_id', nullable: true }) sessionId!: string | null;
  @Column('text') text!: string;
  @Column('text', { array: true }) evidence!: string[];
  @Column('text') position!: string;
}
