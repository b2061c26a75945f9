import { newCorrelationId, type JobSource, type PlannedJob } from '@nmirf/platform';
import type { WebhookDeliveries } from './webhook-deliveries';
import { WebhookJobNames, webhookJobId, type WebhookJobData } from './webhook-jobs';

/**
 * What the `webhooks` queue must hold: each pending delivery's next attempt, at its moment (the retry
 * schedule is in PostgreSQL, `next_attempt_at`). A lost job, or one that ended while its delivery is
 * still pending, is put back by the next pass; a job for an attempt no longer next goes.
 */
export class WebhookJobSource implements JobSource<WebhookJobData> {
  readonly kinds = [WebhookJobNames['webhook-delivery']];

  constructor(private readonly deliveries: WebhookDeliveries) {}

  async *expected(): AsyncIterable<PlannedJob<WebhookJobData>> {
    const correlationId = newCorrelationId();
    for await (const page of this.deliveries.pendingAttempts()) {
      for (const { deliveryId, attempt, at } of page) {
        yield {
          id: webhookJobId(deliveryId, attempt),
          kind: WebhookJobNames['webhook-delivery'],
          data: { deliveryId, attempt, correlationId },
          runAt: at,
          row: `webhook-delivery/${deliveryId}`,
        };
      }
    }
  }
}
