import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { NotificationKind, NotificationParams } from './notification-kind';

/** One message in an institution's inbox. */
@Entity({ name: 'notifications' })
// created_at DESC in the migration: TypeORM cannot declare the order, and does not compare it.
@Index('notifications_inbox', ['institution', 'createdAt'])
// With the consumer's inbox table this makes a redelivered event harmless twice over.
@Index('notifications_source_event', ['sourceEventId', 'institution', 'kind'], {
  unique: true,
  where: 'source_event_id IS NOT NULL',
})
export class Notification {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  institution: string;

  @Column('text')
  kind: NotificationKind;

  @Column('uuid', { name: 'action_id' })
  actionId: string;

  @Column('jsonb')
  params: NotificationParams;

  @Column('uuid', { name: 'source_event_id', nullable: true })
  sourceEventId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'read_at', nullable: true })
  readAt: Date | null;
}
