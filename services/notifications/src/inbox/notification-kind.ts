/**
 * What a notification is about. The UI renders each kind from its params in the user's language
 * (six UN languages), so params hold data only: never an English sentence.
 */
export const NOTIFICATION_KINDS = [
  'action_assigned',
  'action_reassigned_away',
  'action_due_date_changed',
  'deadline_reminder',
  'action_overdue',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Dates are ISO 8601 strings; institutions are ids of the actions service's directory. */
export interface NotificationParamsByKind {
  action_assigned: { title: string; dueAt: string; previousInstitution?: string };
  action_reassigned_away: { title: string; dueAt: string; newInstitution: string };
  action_due_date_changed: { title: string; dueAt: string; previousDueAt: string | null };
  /** offsetSeconds: how long before the due date (0: on the day). */
  deadline_reminder: { title: string; dueAt: string; offsetSeconds: number };
  /** institution: the one responsible, which matters in the coordinator's copy. */
  action_overdue: { title: string; dueAt: string; institution: string };
}
export type NotificationParams = NotificationParamsByKind[NotificationKind];

/** A notification to write; `sourceEventId` is the Kafka event it came from, if any. */
export type NewNotification = {
  [K in NotificationKind]: {
    id: string;
    institution: string;
    kind: K;
    actionId: string;
    params: NotificationParamsByKind[K];
    sourceEventId: string | null;
  };
}[NotificationKind];
