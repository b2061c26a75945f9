import { platformMigrations } from '@nmirf/platform';
import { ReportingDeadline } from './calendar-events/reporting-deadline.entity';
import { Deadline } from './deadlines/deadline.entity';
import { ReminderSent } from './deadlines/reminder-sent.entity';
import { IndicatorDeadline } from './indicator-events/indicator-deadline.entity';
import { Notification } from './inbox/notification.entity';
import { Notifications1764201800000 } from './migrations/1764201800000-notifications';
import { ReportingDeadlines1765800000001 } from './migrations/1765800000001-reporting-deadlines';
import { ReminderSubjects1766000000010 } from './migrations/1766000000010-reminder-subjects';
import { NotificationRecipients1766000000011 } from './migrations/1766000000011-notification-recipients';
import { Digest } from './digests/digest.entity';
import { Delivery } from './email/delivery.entity';
import { ReminderDueIndexes1767000000100 } from './migrations/1767000000100-reminder-due-indexes';
import { Email1767000000200 } from './migrations/1767000000200-email';
import { Webhooks1767000000300 } from './migrations/1767000000300-webhooks';
import { CoordinatorRecipients1767000000800 } from './migrations/1767000000800-coordinator-recipients';
import { MailPreference } from './preferences/mail-preference.entity';
import { InstitutionPeople } from './recipients/institution-people.entity';
import { RecipientProfile } from './recipients/recipient-profile.entity';
import { ReportingReminderSent } from './reporting-reminders/reporting-reminder-sent.entity';
import { WebhookDelivery } from './webhooks/webhook-delivery.entity';
import { WebhookSubscription } from './webhooks/webhook-subscription.entity';

export const SCHEMA = 'notifications';
export const entities = [
  Notification,
  Deadline,
  ReminderSent,
  ReportingDeadline,
  IndicatorDeadline,
  ReportingReminderSent,
  RecipientProfile,
  InstitutionPeople,
  MailPreference,
  Digest,
  Delivery,
  WebhookSubscription,
  WebhookDelivery,
];
export const migrations = [
  ...platformMigrations,
  Notifications1764201800000,
  ReportingDeadlines1765800000001,
  ReminderSubjects1766000000010,
  NotificationRecipients1766000000011,
  ReminderDueIndexes1767000000100,
  Email1767000000200,
  Webhooks1767000000300,
  CoordinatorRecipients1767000000800,
];
