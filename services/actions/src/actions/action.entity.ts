import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Institution } from '../institutions/institution.entity';
import type { ActionStatus } from './action-status';

@Entity({ name: 'actions' })
@Index('actions_lead_institution_status', ['institution', 'status'])
@Index('actions_recommendation', ['recommendationId'])
@Check(
  'actions_status',
  `status IN ('proposed', 'assigned', 'acknowledged', 'declined', 'in_progress', 'blocked', 'completed', 'cancelled')`,
)
export class Action {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'recommendation_id' })
  recommendationId: string;

  @Column('text')
  title: string;

  @Column('text', { default: '' })
  description: string;

  /** The lead institution's id in the directory, e.g. "Ministry of Justice"; null until assigned. */
  @Column('text', { name: 'lead_institution_id', nullable: true })
  institution: string | null;

  @ManyToOne(() => Institution, { nullable: true })
  @JoinColumn({ name: 'lead_institution_id', foreignKeyConstraintName: 'actions_lead_institution_id_fkey' })
  leadInstitution?: Institution;

  @Column('timestamptz', { name: 'due_at', nullable: true })
  dueAt: Date | null;

  @Column('text', { default: 'proposed' })
  status: ActionStatus;

  /** Counts changes; the ETag (`"<version>"`), so a command on a stale read is refused (412). */
  @Column('integer', { default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
