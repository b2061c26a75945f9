import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { NotificationKind, NotificationParams, NotificationSubjectKind } from './notification-kind';

/** One message in an institution's inbox. */
@Entity({ name: 'notifications' })
// created_at DESC in the migration: TypeORM cannot declare the order, and does not compare it.
@Index('notifications_inbox', ['institution', 'createdAt'])
// With the consumer's inbox table this makes a redelivered event harmless twice over.
@Index('notifications_source_event', ['sourceEventId', 'institution', 'kind', 'recipientUserId'], {
  unique: true,
  where: 'source_event_id IS NOT NULL',
})
@Index('notifications_subject', ['subjectKind', 'subjectId'])
@Check(
  'notifications_subject_kind',
  `subject_kind IN ('action', 'reporting_deadline', 'indicator', 'webhook_subscription')`,
)
@Check(
  'notifications_action_subject',
  `(subject_kind = 'action' AND action_id = subject_id) OR (subject_kind <> 'action' AND action_id IS NULL)`,
)
export class Notification {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  institution: string;

  @Column('text')
  kind: NotificationKind;

  /** Set for notifications about an action (subject_kind 'action'), null otherwise. */
  @Column('uuid', { name: 'action_id', nullable: true })
  actionId: string | null;

  /** What the notification is about; a trigger fills subject_id from action_id for older writers. */
  @Column('text', { name: 'subject_kind', default: 'action' })
  subjectKind: NotificationSubjectKind;

  @Column('uuid', { name: 'subject_id' })
  subjectId: string;

  @Column('jsonb')
  params: NotificationParams;

  @Column('uuid', { name: 'source_event_id', nullable: true })
  sourceEventId: string | null;

  /** The one person of the institution it is addressed to (a mention); null: the whole inbox. */
  // Stored as '' rather than NULL, so the unique index above also holds for whole-inbox rows.
  @Column('text', {
    name: 'recipient_user_id',
    default: '',
    transformer: { to: (value?: string | null) => value ?? '', from: (value: string) => value || null },
  })
  recipientUserId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'read_at', nullable: true })
  readAt: Date | null;
}
