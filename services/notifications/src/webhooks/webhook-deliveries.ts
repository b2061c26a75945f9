import { Inject, Injectable, Logger } from '@nestjs/common';
import { recordAudit } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { addNotifications } from '../inbox/add-notifications';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookJobQueue, type PlannedAttempt } from './webhook-job-queue';
import { sendWebhook, type SendOutcome } from './webhook-sender';
import { nextAttemptAt, WEBHOOK_SETTINGS, type WebhookSettings } from './webhook-settings';
import { signingKeys, WebhookSubscription } from './webhook-subscription.entity';

/** `stale`: the attempt was made already, or the delivery ended meanwhile (a replay, a disabled subscription). */
export type AttemptOutcome = 'succeeded' | 'retrying' | 'failed' | 'stale';

/**
 * Makes delivery attempts and records them. The HTTP request runs outside any transaction; the
 * result is written under the delivery's lock only if no other attempt was recorded meanwhile.
 * A delivery whose retries run out fails for good and disables its subscription: the secretariat's
 * inbox is told and the audit trail records why.
 */
@Injectable()
export class WebhookDeliveries {
  private readonly logger = new Logger(WebhookDeliveries.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: WebhookJobQueue,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
  ) {}

  async attempt(deliveryId: string, attempt: number, correlationId: string): Promise<AttemptOutcome> {
    const manager = this.dataSource.manager;
    const delivery = await manager.findOneBy(WebhookDelivery, { id: deliveryId });
    if (!delivery || delivery.status !== 'pending' || delivery.attempts + 1 !== attempt) return 'stale';
    const subscription = await manager.findOneBy(WebhookSubscription, { id: delivery.subscriptionId });
    if (!subscription || subscription.status !== 'active') {
      await manager.update(
        WebhookDelivery,
        { id: deliveryId, status: 'pending' },
        { status: 'failed', nextAttemptAt: null, lastError: 'the subscription is disabled' },
      );
      return 'stale';
    }
    const now = new Date();
    const sent = await sendWebhook(
      {
        url: subscription.url,
        id: delivery.id,
        body: delivery.body,
        keys: signingKeys(subscription, now, this.settings.secrets),
        now,
      },
      { allow: this.settings.allow, timeoutMs: this.settings.timeoutMs, resolve: this.settings.resolve },
    );
    const { outcome, next } = await this.dataSource.transaction((writer) =>
      this.record(writer, deliveryId, attempt, sent, now),
    );
    // Recorded: should Redis refuse the next attempt now, the job still ends well (BullMQ does not run
    // it again: the schedule is the retry) and the next pass plans that attempt from next_attempt_at.
    if (next)
      await this.queue.schedule([next], correlationId).catch((error: Error) =>
        this.logger.warn({
          msg: 'next webhook attempt not scheduled; the next pass will',
          deliveryId,
          error: error.message,
        }),
      );
    this.logger.log({ msg: 'webhook attempt', deliveryId, attempt, outcome, status: sent.statusCode });
    return outcome;
  }

  private async record(
    manager: EntityManager,
    deliveryId: string,
    attempt: number,
    sent: SendOutcome,
    now: Date,
  ): Promise<{ outcome: AttemptOutcome; next?: PlannedAttempt }> {
    const delivery = await manager.findOne(WebhookDelivery, {
      where: { id: deliveryId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!delivery || delivery.status !== 'pending' || delivery.attempts + 1 !== attempt)
      return { outcome: 'stale' };
    const made = {
      attempts: attempt,
      lastAttemptAt: now,
      lastStatusCode: sent.statusCode,
      lastError: sent.error?.slice(0, 500) ?? null,
    };
    if (sent.ok) {
      await manager.update(
        WebhookDelivery,
        { id: deliveryId },
        { ...made, status: 'succeeded', nextAttemptAt: null },
      );
      return { outcome: 'succeeded' };
    }
    // On the schedule from the moment this attempt was planned for, however late it ran.
    const at = nextAttemptAt(this.settings, attempt, delivery.retryingSince, delivery.nextAttemptAt ?? now);
    if (at) {
      await manager.update(
        WebhookDelivery,
        { id: deliveryId },
        { ...made, status: 'pending', nextAttemptAt: at },
      );
      return { outcome: 'retrying', next: { deliveryId, attempt: attempt + 1, at } };
    }
    await manager.update(
      WebhookDelivery,
      { id: deliveryId },
      { ...made, status: 'failed', nextAttemptAt: null },
    );
    await this.disable(manager, delivery.subscriptionId, deliveryId, attempt, sent);
    return { outcome: 'failed' };
  }

  private async disable(
    manager: EntityManager,
    subscriptionId: string,
    deliveryId: string,
    attempts: number,
    sent: SendOutcome,
  ): Promise<void> {
    const subscription = await manager.findOne(WebhookSubscription, {
      where: { id: subscriptionId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!subscription || subscription.status === 'disabled') return;
    const reason = `delivery ${deliveryId} failed ${attempts} times over the retry period: ${sent.error ?? 'no answer'}`;
    await manager.update(
      WebhookSubscription,
      { id: subscriptionId },
      { status: 'disabled', disabledReason: reason.slice(0, 500), updatedAt: new Date() },
    );
    await recordAudit(manager, {
      entity: 'webhook_subscriptions',
      entityId: subscriptionId,
      action: 'webhook.subscription.disabled',
      after: { deliveryId, attempts, lastStatusCode: sent.statusCode, owner: subscription.ownerSubject },
    });
    await addNotifications(manager, [
      {
        id: randomUUID(),
        institution: this.settings.coordinatorInstitution,
        kind: 'webhook_disabled',
        subjectKind: 'webhook_subscription',
        subjectId: subscriptionId,
        params: {
          url: subscription.url,
          ownerSubject: subscription.ownerSubject,
          ownerName: subscription.ownerName,
          attempts,
          lastStatusCode: sent.statusCode,
        },
        sourceEventId: null,
      },
    ]);
  }

  /** The job source's list: every pending delivery's next attempt, a page at a time. */
  async *pendingAttempts(pageSize = 500): AsyncIterable<PlannedAttempt[]> {
    let after: string | null = null;
    for (;;) {
      const rows: Array<{ id: string; attempts: number; next_attempt_at: Date }> =
        await this.dataSource.query(
          `SELECT id, attempts, next_attempt_at FROM webhook_deliveries
          WHERE status = 'pending' AND ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT ${pageSize}`,
          [after],
        );
      if (rows.length > 0)
        yield rows.map((row) => ({
          deliveryId: row.id,
          attempt: row.attempts + 1,
          at: row.next_attempt_at ?? new Date(),
        }));
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1].id;
    }
  }
}
