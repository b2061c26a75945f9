import { defineJobNames, type JobTrace } from '@nmirf/platform';

export const WEBHOOKS_QUEUE = 'webhooks';
export const WebhookJobNames = defineJobNames('webhook-delivery');

export interface WebhookJobData extends JobTrace {
  deliveryId: string;
  /** The attempt this job makes, from 1: a job for an attempt already made is stale. */
  attempt: number;
  correlationId: string;
}

/** One id per attempt: adding an attempt twice is a no-op, and the next attempt is a new job. */
export function webhookJobId(deliveryId: string, attempt: number): string {
  return `webhook-${deliveryId}-${attempt}`;
}
