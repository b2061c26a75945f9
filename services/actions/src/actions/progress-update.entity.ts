import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Action } from './action.entity';
import type { HistoricStatus } from './action-status';

/** A progress report from the responsible institution; kept forever as the action's history. */
@Entity({ name: 'progress_updates' })
@Index('progress_updates_action', ['actionId', 'reportedAt'])
export class ProgressUpdate {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'action_id' })
  actionId: string;

  @ManyToOne(() => Action, { nullable: false })
  @JoinColumn({ name: 'action_id', foreignKeyConstraintName: 'progress_updates_action_id_fkey' })
  action?: Action;

  @Column('text', { name: 'previous_status' })
  previousStatus: HistoricStatus;

  @Column('text')
  status: HistoricStatus;

  @Column('text', { default: '' })
  note: string;

  @Column('text', { name: 'reported_by' })
  reportedBy: string;

  @CreateDateColumn({ name: 'reported_at', type: 'timestamptz' })
  reportedAt: Date;
}
