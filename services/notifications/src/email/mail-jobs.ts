import { defineJobNames, type JobTrace } from '@nmirf/platform';
import type { DigestCadence } from './mail-kinds';

export const MAIL_QUEUE = 'mail';
export const MailJobs = defineJobNames('send-mail', 'digest');

export type MailJobData = JobTrace & {
  /** send-mail */
  deliveryId?: string;
  /** digest */
  cadence?: DigestCadence;
  timeZone?: string;
};

/**
 * One job id per delivery (BullMQ refuses ":" in custom ids): adding it twice is a no-op, and a pass
 * replaces the job only if it ended while its delivery is still pending.
 */
export const sendMailJobId = (deliveryId: string): string => `mail-${deliveryId}`;
export const digestSchedulerId = (cadence: DigestCadence, timeZone: string): string =>
  `digest:${cadence}:${timeZone}`;
