import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { isSealed, type SecretBox } from './webhook-secret-box';

export type SubscriptionStatus = 'active' | 'disabled';

/** Where a service account wants events pushed, and the key it checks their signatures with. */
@Entity({ name: 'webhook_subscriptions' })
@Check('webhook_subscriptions_status_check', `status IN ('active', 'disabled')`)
@Index('webhook_subscriptions_owner', ['ownerSubject', 'createdAt'])
// GIN in the migration (event type = ANY (event_types)); TypeORM does not compare the method.
@Index('webhook_subscriptions_active', ['eventTypes'], { where: `status = 'active'` })
export class WebhookSubscription {
  @PrimaryColumn('uuid')
  id: string;

  /** The token subject of the service account that made it. */
  @Column('text', { name: 'owner_subject' })
  ownerSubject: string;

  @Column('text', { name: 'owner_name' })
  ownerName: string;

  @Column('text')
  url: string;

  /** Names from the platform's event catalogue, e.g. ActionAssigned. */
  @Column('text', { name: 'event_types', array: true })
  eventTypes: string[];

  @Column('text', { default: '' })
  description: string;

  @Column('text')
  status: SubscriptionStatus;

  @Column('text', { name: 'disabled_reason', nullable: true })
  disabledReason: string | null;

  /** Sealed with WEBHOOK_SECRET_KEY (webhook-secret-box.ts): the database never holds it in clear. */
  @Column('bytea', { name: 'signing_key' })
  signingKey: Buffer;

  /** The key before the last rotation, still signing until previousKeyExpiresAt; sealed too. */
  @Column('bytea', { name: 'previous_signing_key', nullable: true })
  previousSigningKey: Buffer | null;

  @Column('timestamptz', { name: 'previous_key_expires_at', nullable: true })
  previousKeyExpiresAt: Date | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}

/**
 * The keys a delivery at `now` is signed with, opened: the current one, and the previous one in its
 * grace period. A key written before keys were sealed is used as it is (start-up seals it).
 */
export function signingKeys(subscription: WebhookSubscription, now: Date, secrets: SecretBox): Buffer[] {
  const open = (stored: Buffer) => (isSealed(stored) ? secrets.open(stored, subscription.id) : stored);
  const keys = [open(subscription.signingKey)];
  if (
    subscription.previousSigningKey &&
    subscription.previousKeyExpiresAt &&
    subscription.previousKeyExpiresAt.getTime() > now.getTime()
  )
    keys.push(open(subscription.previousSigningKey));
  return keys;
}
