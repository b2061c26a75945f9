import type { NotificationKind } from '../inbox/notification-kind';

/**
 * The kinds of mail a person chooses a cadence for. Several notification kinds share one (every
 * reminder is a `reminder`); a notification kind not listed here is never mailed (comments and
 * webhook notices stay in the inbox).
 */
export const MAIL_KINDS = [
  'assignment',
  'reminder',
  'overdue',
  'escalation',
  'returned_for_changes',
  'validation_requested',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** The template of each mail: one per mail kind, and the digest. */
export type TemplateKey = MailKind | 'digest';

const MAIL_KIND_OF_NOTIFICATION: Readonly<Partial<Record<NotificationKind, MailKind>>> = {
  action_assigned: 'assignment',
  deadline_reminder: 'reminder',
  reporting_deadline_reminder: 'reminder',
  indicator_reminder: 'reminder',
  action_overdue: 'overdue',
  indicator_overdue: 'overdue',
  escalation: 'escalation',
  returned_for_changes: 'returned_for_changes',
  validation_requested: 'validation_requested',
};

export const mailKindOf = (notificationKind: string): MailKind | undefined =>
  MAIL_KIND_OF_NOTIFICATION[notificationKind as NotificationKind];

/** [notification kind, mail kind] pairs, for SQL. */
export const mailedNotificationKinds = (): Array<[string, MailKind]> =>
  Object.entries(MAIL_KIND_OF_NOTIFICATION) as Array<[string, MailKind]>;

export const CADENCES = ['immediate', 'daily', 'weekly', 'off'] as const;
export type Cadence = (typeof CADENCES)[number];
export type DigestCadence = Extract<Cadence, 'daily' | 'weekly'>;

/** Mails a person cannot turn off: late work must reach someone. */
export const ALWAYS_ON: ReadonlySet<MailKind> = new Set(['overdue', 'escalation']);
export const DEFAULT_CADENCE: Cadence = 'immediate';
