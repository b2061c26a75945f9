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

/** One job per delivery, ever: the id is the delivery's (BullMQ refuses ":" in custom ids). */
export const sendMailJobId = (deliveryId: string): string => `mail-${deliveryId}`;
export const digestSchedulerId = (cadence: DigestCadence, timeZone: string): string =>
  `digest:${cadence}:${timeZone}`;
