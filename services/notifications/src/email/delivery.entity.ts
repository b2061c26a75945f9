import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type DeliveryStatus = 'pending' | 'sent' | 'failed';
export type DeliveryChannel = 'email';

/**
 * One message to one person over one channel, for a notification or a digest. Its id is the
 * idempotency key (one row per source × channel × person) and the mail's Message-ID.
 */
@Entity({ name: 'deliveries' })
@Index('deliveries_notification', ['notificationId', 'channel', 'recipientSubject'], {
  unique: true,
  where: 'notification_id IS NOT NULL',
})
@Index('deliveries_digest', ['digestId', 'channel', 'recipientSubject'], {
  unique: true,
  where: 'digest_id IS NOT NULL',
})
@Index('deliveries_pending', ['createdAt'], { where: `status = 'pending'` })
@Check('deliveries_channel', `channel IN ('email')`)
@Check('deliveries_status', `status IN ('pending', 'sent', 'failed')`)
@Check('deliveries_source', `(notification_id IS NULL) <> (digest_id IS NULL)`)
export class Delivery {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'notification_id', nullable: true })
  notificationId: string | null;

  @Column('uuid', { name: 'digest_id', nullable: true })
  digestId: string | null;

  @Column('text')
  channel: DeliveryChannel;

  @Column('text', { name: 'recipient_subject' })
  recipientSubject: string;

  @Column('text', { default: 'pending' })
  status: DeliveryStatus;

  @Column('integer', { default: 0 })
  attempts: number;

  /** The last refusal or error, e.g. the SMTP server's reply; no message content. */
  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt: Date | null;
}
