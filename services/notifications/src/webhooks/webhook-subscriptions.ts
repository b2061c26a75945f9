import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DomainError, hasRole, newCorrelationId, recordAudit, type Principal } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { WebhookDelivery, type DeliveryStatus } from './webhook-delivery.entity';
import { WebhookJobQueue } from './webhook-job-queue';
import { isSealed } from './webhook-secret-box';
import { WEBHOOK_SETTINGS, type WebhookSettings } from './webhook-settings';
import { formatSecret, newSigningKey } from './webhook-signature';
import { WebhookSubscription } from './webhook-subscription.entity';
import { parseTargetUrl, RefusedTargetError, resolveTarget } from './webhook-target';

export interface SubscriptionInput {
  url: string;
  eventTypes: string[];
  description?: string;
}

export interface SubscriptionChange extends Partial<SubscriptionInput> {
  /** true re-enables a disabled subscription; false disables it. */
  enabled?: boolean;
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  limit: number;
  offset: number;
}

/**
 * Subscriptions as their owners manage them: a service account sees and changes only its own, an
 * administrator all of them. Another owner's subscription is "not found", never "forbidden", so ids
 * reveal nothing. Every change is in a transaction, which hands the actor to the audit trail.
 */
@Injectable()
export class WebhookSubscriptions implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhookSubscriptions.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: WebhookJobQueue,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
  ) {}

  /** The subscription and its secret, shown this once. */
  async create(
    input: SubscriptionInput,
    caller: Principal,
  ): Promise<{ subscription: WebhookSubscription; secret: string }> {
    const url = await this.checkedUrl(input.url);
    const key = newSigningKey();
    const id = randomUUID();
    const subscription = await this.dataSource.transaction(async (manager) => {
      const created = manager.create(WebhookSubscription, {
        id,
        ownerSubject: caller.subject,
        ownerName: caller.name || caller.subject,
        url,
        eventTypes: [...new Set(input.eventTypes)].sort(),
        description: input.description?.trim() ?? '',
        status: 'active',
        disabledReason: null,
        signingKey: this.settings.secrets.seal(key, id),
        previousSigningKey: null,
        previousKeyExpiresAt: null,
      });
      return manager.save(created);
    });
    return { subscription, secret: formatSecret(key) };
  }

  async list(caller: Principal): Promise<WebhookSubscription[]> {
    return this.dataSource.manager.find(WebhookSubscription, {
      where: isAdmin(caller) ? {} : { ownerSubject: caller.subject },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  async get(id: string, caller: Principal, manager = this.dataSource.manager): Promise<WebhookSubscription> {
    const found = await manager.findOneBy(WebhookSubscription, { id });
    if (!found || !(isAdmin(caller) || found.ownerSubject === caller.subject))
      throw DomainError.notFound('Webhook subscription', id);
    return found;
  }

  async update(id: string, change: SubscriptionChange, caller: Principal): Promise<WebhookSubscription> {
    const url = change.url === undefined ? undefined : await this.checkedUrl(change.url);
    return this.dataSource.transaction(async (manager) => {
      const current = await this.get(id, caller, manager);
      const enabling = change.enabled === true && current.status === 'disabled';
      await manager.update(
        WebhookSubscription,
        { id },
        {
          ...(url ? { url } : {}),
          ...(change.eventTypes ? { eventTypes: [...new Set(change.eventTypes)].sort() } : {}),
          ...(change.description !== undefined ? { description: change.description.trim() } : {}),
          ...(enabling ? { status: 'active' as const, disabledReason: null } : {}),
          ...(change.enabled === false && current.status === 'active'
            ? { status: 'disabled' as const, disabledReason: `disabled by ${caller.subject}` }
            : {}),
          updatedAt: new Date(),
        },
      );
      return this.get(id, caller, manager);
    });
  }

  async remove(id: string, caller: Principal): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.get(id, caller, manager);
      await manager.delete(WebhookSubscription, { id });
    });
  }

  /**
   * A new key, shown this once. The old one keeps signing beside it for WEBHOOK_SECRET_GRACE, so the
   * receiver can switch without losing a delivery; a second rotation within that time drops the oldest.
   */
  async rotateSecret(
    id: string,
    caller: Principal,
  ): Promise<{ subscription: WebhookSubscription; secret: string }> {
    const key = newSigningKey();
    const subscription = await this.dataSource.transaction(async (manager) => {
      const current = await this.get(id, caller, manager);
      await manager.update(
        WebhookSubscription,
        { id },
        {
          signingKey: this.settings.secrets.seal(key, id),
          previousSigningKey: this.resealed(current.signingKey, id),
          previousKeyExpiresAt: new Date(Date.now() + this.settings.secretGraceMs),
          updatedAt: new Date(),
        },
      );
      return this.get(id, caller, manager);
    });
    return { subscription, secret: formatSecret(key) };
  }

  /** A stored key sealed with the current WEBHOOK_SECRET_KEY, whatever it was stored as. */
  private resealed(stored: Buffer, id: string): Buffer {
    const secrets = this.settings.secrets;
    if (secrets.sealedWithCurrentKey(stored, id)) return stored;
    return secrets.seal(isSealed(stored) ? secrets.open(stored, id) : stored, id);
  }

  /**
   * Seals every key still stored in clear (written before keys were sealed) and seals again those
   * sealed with an older WEBHOOK_SECRET_KEY, so the old key can leave the configuration. Row by row,
   * locked: any number of replicas may run it at once. A key that opens with no configured key is
   * logged and left alone (the configuration is wrong, not the row).
   */
  async sealStoredKeys(): Promise<number> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM webhook_subscriptions ORDER BY id`,
    );
    let sealed = 0;
    for (const { id } of rows) {
      try {
        sealed += await this.dataSource.transaction(async (manager) => {
          const row = await manager.findOne(WebhookSubscription, {
            where: { id },
            lock: { mode: 'pessimistic_write' },
          });
          if (!row) return 0;
          const secrets = this.settings.secrets;
          const previous = row.previousSigningKey;
          if (
            secrets.sealedWithCurrentKey(row.signingKey, id) &&
            (!previous || secrets.sealedWithCurrentKey(previous, id))
          )
            return 0;
          await manager.update(
            WebhookSubscription,
            { id },
            {
              signingKey: this.resealed(row.signingKey, id),
              previousSigningKey: previous ? this.resealed(previous, id) : null,
            },
          );
          return 1;
        });
      } catch (error) {
        this.logger.error({ msg: 'webhook signing key not sealed', id, error: (error as Error).message });
      }
    }
    if (sealed > 0) this.logger.log({ msg: 'webhook signing keys sealed', count: sealed });
    return sealed;
  }

  onApplicationBootstrap(): void {
    void this.sealStoredKeys().catch((error: Error) =>
      this.logger.warn({ msg: 'webhook signing keys not checked', error: error.message }),
    );
  }

  async deliveries(
    id: string,
    filter: DeliveryFilter,
    caller: Principal,
  ): Promise<{ items: WebhookDelivery[]; total: number }> {
    await this.get(id, caller);
    const [items, total] = await this.dataSource.manager.findAndCount(WebhookDelivery, {
      where: { subscriptionId: id, ...(filter.status ? { status: filter.status } : {}) },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: filter.limit,
      skip: filter.offset,
    });
    return { items, total };
  }

  /**
   * Sends a delivery again now, whatever became of it, with the same `webhook-id` (the receiver
   * deduplicates on it) and a fresh retry period. The subscription must be active.
   */
  async replay(id: string, deliveryId: string, caller: Principal): Promise<WebhookDelivery> {
    const { delivery, attempt } = await this.dataSource.transaction(async (manager: EntityManager) => {
      const subscription = await this.get(id, caller, manager);
      const found = await manager.findOne(WebhookDelivery, {
        where: { id: deliveryId, subscriptionId: id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!found) throw DomainError.notFound('Webhook delivery', deliveryId);
      if (subscription.status !== 'active')
        throw new DomainError(
          'conflict',
          'The subscription is disabled: enable it before replaying a delivery',
        );
      const now = new Date();
      await manager.update(
        WebhookDelivery,
        { id: deliveryId },
        { status: 'pending', retryingSince: now, nextAttemptAt: now },
      );
      await recordAudit(manager, {
        entity: 'webhook_deliveries',
        entityId: deliveryId,
        action: 'webhook.delivery.replayed',
        after: {
          subscriptionId: id,
          eventId: found.eventId,
          eventType: found.eventType,
          previousStatus: found.status,
        },
      });
      return {
        delivery: await manager.findOneByOrFail(WebhookDelivery, { id: deliveryId }),
        attempt: found.attempts + 1,
      };
    });
    // Best effort: if Redis misses it, the worker's reconciler schedules the pending attempt.
    await this.queue.runNow({ deliveryId, attempt }, newCorrelationId()).catch(() => undefined);
    return delivery;
  }

  private async checkedUrl(text: string): Promise<string> {
    try {
      const url = parseTargetUrl(text.trim());
      await resolveTarget(url, this.settings.allow, this.settings.resolve);
      return url.toString();
    } catch (error) {
      if (error instanceof RefusedTargetError) throw new DomainError('unprocessable', error.message);
      throw error;
    }
  }
}

const isAdmin = (caller: Principal) => hasRole(caller, 'admin');
