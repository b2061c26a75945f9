import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * An action's current due date and whether it still needs reminders. The source of truth for
 * every reminder and escalation job: Redis only holds a copy that the reconciler can rebuild.
 */
@Index('deadlines_open_due_at', ['dueAt', 'actionId'], { where: 'open' })
@Entity({ name: 'deadlines' })
export class Deadline {
  @PrimaryColumn('uuid', { name: 'action_id' })
  actionId: string;

  @Column('text')
  institution: string;

  @Column('text')
  title: string;

  @Column('timestamptz', { name: 'due_at' })
  dueAt: Date;

  /** False once the action is completed or cancelled. */
  @Column('boolean')
  open: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
