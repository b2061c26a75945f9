import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { WebhookSubscription } from './webhook-subscription.entity';

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

/**
 * One event for one subscription. Its id is the `webhook-id` header: the same on every attempt and
 * replay, so the receiver can tell a repeat from a new event.
 */
@Entity({ name: 'webhook_deliveries' })
@Unique('webhook_deliveries_subscription_id_event_id_key', ['subscriptionId', 'eventId'])
@Check('webhook_deliveries_status_check', `status IN ('pending', 'succeeded', 'failed')`)
@Index('webhook_deliveries_pending', ['nextAttemptAt'], { where: `status = 'pending'` })
// created_at DESC in the migration: TypeORM cannot declare the order, and does not compare it.
@Index('webhook_deliveries_subscription', ['subscriptionId', 'createdAt'])
export class WebhookDelivery {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'subscription_id' })
  subscriptionId: string;

  @ManyToOne(() => WebhookSubscription, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'subscription_id',
    foreignKeyConstraintName: 'webhook_deliveries_subscription_id_fkey',
  })
  subscription?: WebhookSubscription;

  @Column('uuid', { name: 'event_id' })
  eventId: string;

  @Column('text', { name: 'event_type' })
  eventType: string;

  /** Exactly the bytes sent and signed, kept so that a retry or replay sends the same. */
  @Column('text')
  body: string;

  @Column('text')
  status: DeliveryStatus;

  /** Attempts made so far, replays included. */
  @Column('integer', { default: 0 })
  attempts: number;

  /** When the current run of retries began (first attempt, or the last replay): it ends WEBHOOK_RETRY_FOR later. */
  @Column('timestamptz', { name: 'retrying_since', default: () => 'now()' })
  retryingSince: Date;

  @Column('timestamptz', { name: 'next_attempt_at', nullable: true })
  nextAttemptAt: Date | null;

  @Column('timestamptz', { name: 'last_attempt_at', nullable: true })
  lastAttemptAt: Date | null;

  @Column('integer', { name: 'last_status_code', nullable: true })
  lastStatusCode: number | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;
}
