import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ActionStatus } from './action-status';

@Entity({ name: 'actions' })
@Index('actions_institution_status', ['institution', 'status'])
@Index('actions_recommendation', ['recommendationId'])
export class Action {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'recommendation_id' })
  recommendationId: string;

  @Column('text')
  title: string;

  @Column('text', { default: '' })
  description: string;

  /** The lead institution, e.g. "Ministry of Justice"; null until assigned. */
  @Column('text', { nullable: true })
  institution: string | null;

  @Column('timestamptz', { name: 'due_at', nullable: true })
  dueAt: Date | null;

  @Column('text', { default: 'not_started' })
  status: ActionStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
