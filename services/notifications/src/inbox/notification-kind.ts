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
  'escalation',
  'reporting_deadline_reminder',
  'indicator_reminder',
  'indicator_overdue',
  'comment_mention',
  'comment_posted',
  'validation_requested',
  'returned_for_changes',
  'webhook_disabled',
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
  /**
   * A step of the escalation ladder of an overdue action: step from 1; rung, who is told
   * (focal_point, institution_validator, coordinator); institution, the one responsible.
   */
  escalation: {
    title: string;
    dueAt: string;
    institution: string;
    step: number;
    rung: 'focal_point' | 'institution_validator' | 'coordinator';
  };
  /** A deadline of the State's reporting calendar; the title is a key of the calendar's catalogue. */
  reporting_deadline_reminder: {
    titleKey: string;
    titleParams: object;
    deadlineKind: string;
    dueOn: string;
    offsetSeconds: number;
  };
  /** An indicator's next measurement; subject: the action or recommendation it measures. */
  indicator_reminder: {
    name: string;
    dueOn: string;
    offsetSeconds: number;
    subjectKind: 'action' | 'recommendation';
    subjectId: string;
  };
  /** Its reporting day passed without a measurement; institutions: those that report it. */
  indicator_overdue: {
    name: string;
    dueOn: string;
    subjectKind: 'action' | 'recommendation';
    subjectId: string;
    institutions: string[];
  };
  /** mentionedAs: how the inbox was named (one of its people, the institution, the coordinator). */
  comment_mention: CommentParams & { mentionedAs: 'user' | 'institution' | 'coordinator' };
  comment_posted: CommentParams;
  /**
   * A progress report awaits review. institution: the reporting one; rung: who reviews at this step
   * (the reporting institution's validators, mailed instead of its focal points, or the coordinator).
   */
  validation_requested: ProgressReportParams & { rung: 'institution_validator' | 'coordinator' };
  /**
   * A progress report sent back to the reporting institution (its focal points); returnedBy: which
   * review step; reason: the reviewer's comments as written (not translated), when there are any.
   */
  returned_for_changes: ProgressReportParams & {
    returnedBy: 'institution_validator' | 'coordinator';
    reason?: string;
  };
  /** A webhook subscription stopped after its deliveries kept failing; owner: the service account. */
  webhook_disabled: {
    url: string;
    ownerSubject: string;
    ownerName: string;
    attempts: number;
    lastStatusCode: number | null;
  };
}

/** A comment on an action's thread; excerpt: its start as the author wrote it (not translated). */
export interface CommentParams {
  title: string;
  commentId: string;
  excerpt: string;
  authorId: string;
  authorName: string;
  authorRole: 'coordinator' | 'institution';
  /** The institution an institution's comment speaks for; absent for the coordinator's. */
  authorInstitution?: string;
}
/** A progress report on an action; title: the action's, as this service knows it ('' if not yet). */
export interface ProgressReportParams {
  title: string;
  reportId: string;
  institution: string;
  final: boolean;
  percentage: number;
}
export type NotificationParams = NotificationParamsByKind[NotificationKind];

/** What a notification is about: an action, a deadline of the reporting calendar, or an indicator. */
export const NOTIFICATION_SUBJECT_KINDS = [
  'action',
  'reporting_deadline',
  'indicator',
  'webhook_subscription',
] as const;
export type NotificationSubjectKind = (typeof NOTIFICATION_SUBJECT_KINDS)[number];

/** About an action (the subject is then the action), or about another subject. */
export type NotificationAbout =
  | { actionId: string; subjectKind?: 'action'; subjectId?: string }
  | { actionId?: null; subjectKind: Exclude<NotificationSubjectKind, 'action'>; subjectId: string };

/** A notification to write; `sourceEventId` is the Kafka event it came from, if any. */
export type NewNotification = {
  [K in NotificationKind]: {
    id: string;
    institution: string;
    kind: K;
    params: NotificationParamsByKind[K];
    sourceEventId: string | null;
    /** Addressed to one person of the institution (a mention of them); absent: the whole inbox. */
    recipientUserId?: string | null;
  } & NotificationAbout;
}[NotificationKind];
